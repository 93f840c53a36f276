"""Portfolio quartiles worked by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment.api import load_workspace
from assessment.score.portfolio import build_portfolio, quartiles
from assessment.score.scoring import score
from tests.conftest import FIXTURES, MINI_ANSWERS, make_answers


def test_quartiles_inclusive():
    q = quartiles([1.0, 2.0, 3.0, 4.0, 5.0])
    assert (q.minimum, q.q1, q.median, q.q3, q.maximum) == (1.0, 2.0, 3.0, 4.0, 5.0)
    assert [q.band(v) for v in (1.0, 2.0, 2.5, 3.0, 4.0, 5.0)] == [1, 2, 2, 3, 4, 4]
    assert quartiles([]) is None
    single = quartiles([2.5])
    assert single.median == 2.5
    assert single.band(2.5) == 4


def test_portfolio_benchmark_and_anonymising(mini_bank):
    cards = [
        (f"o{i}", f"Org {i}", score(mini_bank, make_answers("mini", {"q4": {"level": i}})))
        for i in range(5)
    ]
    portfolio = build_portfolio(cards, anonymise=True)
    assert [m.label for m in portfolio.members] == [
        "ORG-01",
        "ORG-02",
        "ORG-03",
        "ORG-04",
        "ORG-05",
    ]
    beta = portfolio.areas["beta"]
    assert beta.median == pytest.approx(2.0)
    assert portfolio.areas["alpha"] is None  # nobody answered alpha
    assert build_portfolio(cards, anonymise=False).members[0].label == "Org 0"


def test_each_bank_is_read_once_for_a_whole_project(monkeypatch, tmp_path):
    """Five answers files name the mini bank: it is read once. A round with its own bank
    folder of the same id gets that folder's bank, read once more."""
    import shutil

    from assessment.load import loader as load

    reads: list[Path] = []
    original = load.load_bank

    def counted(ref, search=()):
        reads.append(Path(ref))
        return original(ref, search)

    monkeypatch.setattr(load, "load_bank", counted)
    project = FIXTURES / "project" / "cxassess.yaml"
    workspace = load_workspace(project, [FIXTURES])
    assert sum(len(o.rounds) for o in workspace.orgs) == 3  # from five answers files
    assert reads == [(FIXTURES / "mini").resolve()]
    banks = {id(r.assessment.bank) for o in workspace.orgs for r in o.rounds}
    assert len(banks) == 1

    copy = tmp_path / "project"
    shutil.copytree(FIXTURES / "project", copy)
    shutil.copytree(FIXTURES / "mini", copy / "banks" / "mini")
    text = (copy / "cxassess.yaml").read_text("utf-8")
    (copy / "cxassess.yaml").write_text(
        text.replace(
            "  - answers: tiny-2026-07.yaml", "  - answers: tiny-2026-07.yaml\n    bank_path: banks"
        ),
        encoding="utf-8",
    )
    reads.clear()
    load_workspace(copy / "cxassess.yaml", [FIXTURES])
    assert sorted(reads) == sorted(
        [(FIXTURES / "mini").resolve(), (copy / "banks" / "mini").resolve()]
    )


def write_portfolio(folder: Path, count: int, broken: dict[int, str] | None = None) -> Path:
    """count organisations answering the mini bank; broken[i] replaces file i's text."""
    import yaml

    text = MINI_ANSWERS.read_text("utf-8")
    organisations = []
    for i in range(count):
        name = f"org{i:02d}.yaml"
        data = yaml.safe_load(text)
        data["organisation"]["id"] = f"org{i:02d}"
        body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        (folder / name).write_text((broken or {}).get(i, body), encoding="utf-8")
        organisations.append({"id": f"org{i:02d}", "rounds": [{"answers": name}]})
    project = {"title": "Many", "default_lang": "en", "organisations": organisations}
    (folder / "cxassess.yaml").write_text(yaml.safe_dump(project), encoding="utf-8")
    return folder / "cxassess.yaml"


def test_a_large_project_loads_on_every_core_with_the_same_result(monkeypatch, tmp_path):
    project = write_portfolio(tmp_path, 12)
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "1")
    here = load_workspace(project, [FIXTURES])
    monkeypatch.setenv("CXASSESS_BUILD_WORKERS", "2")
    spread = load_workspace(project, [FIXTURES])
    assert spread == here
    # One bank object for every organisation, as when loaded in one process.
    assert len({id(o.current.assessment.bank) for o in spread.orgs}) == 1


def test_problems_in_files_loaded_by_workers_are_all_reported(monkeypatch, tmp_path):
    from assessment.common.errors import InputError

    broken = {3: "bank: mini\norganisation: [\n", 9: "bank: nosuchbank\n"}
    project = write_portfolio(tmp_path, 12, broken)
    messages = []
    for workers in ("1", "2"):
        monkeypatch.setenv("CXASSESS_BUILD_WORKERS", workers)
        with pytest.raises(InputError) as caught:
            load_workspace(project, [FIXTURES])
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "org03.yaml:3:1: (document): invalid YAML" in messages[0]
    assert "org09.yaml:1:1: organisation: required field is missing" in messages[0]


def test_an_anonymised_portfolio_page_names_no_member_anywhere(tmp_path):
    import shutil

    from assessment.render.lanes import render_site

    demo = Path(__file__).parent.parent / "examples" / "demo"
    folder = tmp_path / "demo"
    shutil.copytree(demo, folder)
    project = folder / "cxassess.yaml"
    project.write_text(
        project.read_text(encoding="utf-8").replace("anonymise: false", "anonymise: true"),
        encoding="utf-8",
    )
    workspace = load_workspace(project)
    names = [o.name for o in workspace.orgs]
    index_pages = [s.pages[0].text for s in render_site(workspace) if not s.prefix]
    assert len(index_pages) == 2  # the portfolio's own page, in zh and en
    for text in index_pages:
        assert "ORG-01" in text
        assert not [name for name in names if name in text]
        assert f"{workspace.title}: " in text.splitlines()[1]  # its description: the portfolio


def test_a_project_on_two_banks_is_refused_with_the_place(tmp_path):
    (tmp_path / "mini.yaml").write_bytes(MINI_ANSWERS.read_bytes())
    picks = MINI_ANSWERS.read_text(encoding="utf-8").split("answers:")[0]
    picks = picks.replace("bank: mini", "bank: picks").replace("id: tiny", "id: pk")
    (tmp_path / "picks.yaml").write_text(picks.split("targets:")[0] + "answers: {}\n", "utf-8")
    project = tmp_path / "cxassess.yaml"
    project.write_text(
        "title: Mixed\norganisations:\n"
        "  - id: tiny\n    rounds: [{answers: mini.yaml}]\n"
        "  - id: pk\n    rounds: [{answers: picks.yaml}]\n",
        encoding="utf-8",
    )
    from assessment.common.errors import InputError

    with pytest.raises(InputError) as info:
        load_workspace(project, [FIXTURES])
    assert [str(p).replace(str(tmp_path) + "/", "") for p in info.value.problems] == [
        "cxassess.yaml:6:14: organisations[1].rounds[0]: answers for bank 'picks', but 'tiny'"
        " is assessed against 'mini': a project compares its organisations and rounds on one"
        " bank"
    ]
