"""`cxassess bank import` end to end: a model in another tool's format in, a bank folder out
that validate, new, build, xlsx and report use like a bundled one. The converters' own rules
are pinned in test_import_samm.py and test_import_ciso.py."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from assessment.cli import main
from assessment.load.loader import load_bank

DATA = Path(__file__).parent / "data"
SAMM = DATA / "samm" / "model"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


def filled(bank: Path, tmp_path: Path, seed: int) -> Path:
    """A fresh answers file for the bank with a choice on every question, varied by seed."""
    answers = tmp_path / "answers.yaml"
    code, out = run("new", "--bank", str(bank), "--out", str(answers))
    assert code == 0, out
    questions = iter(enumerate(load_bank(bank).questions))

    def choose(_: re.Match[str]) -> str:
        i, q = next(questions)
        return f"choice: {q.choices[(i * 7 + seed) % len(q.choices)].id}"

    text = re.sub(r"choice: null  #[^\n]*", choose, answers.read_text("utf-8"))
    answers.write_text(text.replace("My organisation", "Acme | <b>Sec</b>"), "utf-8")
    return answers


def test_a_samm_model_becomes_a_bank_that_builds_a_site(tmp_path):
    bank = tmp_path / "banks" / "samm"
    code, out = run("bank", "import", "samm", str(SAMM), "--out", str(bank))
    assert code == 0, out
    manifest = yaml.safe_load((bank / "manifest.yaml").read_text("utf-8"))
    source = manifest["source"]
    assert source["format"] == "samm"
    assert source["importer"].startswith("cxassess ")
    assert f"source sha256 {source['sha256']}" in out
    answers = filled(bank, tmp_path, seed=1)
    code, out = run("validate", str(answers), "--bank-path", str(bank.parent))
    assert code == 0, out
    site = tmp_path / "site"
    code, out = run("build", str(answers), "--out", str(site), "--bank-path", str(bank.parent))
    assert code == 0, out
    method = (site / "en" / "methodology" / "index.html").read_text("utf-8")
    assert source["sha256"] in method
    assert "SAMM&#39;s roll-up kept" in method or "SAMM's roll-up kept" in method
    index = (site / "en" / "index.html").read_text("utf-8")
    assert "Acme | &lt;b&gt;Sec&lt;/b&gt;" in index or "Acme &#124; &lt;b&gt;Sec&lt;/b&gt;" in index
    assert "<b>Sec</b>" not in index


def test_the_command_the_import_suggests_gives_answers_that_validate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out = run("bank", "import", "samm", str(SAMM), "--out", "banks/samm")
    assert code == 0, out
    suggested = out.split("use it with: cxassess ", 1)[1].splitlines()[0].split()
    assert suggested == ["new", "--bank", "samm", "--bank-path", "banks", "--out", "answers.yaml"]
    assert run(*suggested)[0] == 0
    code, out = run("validate", "answers.yaml", "--bank-path", "banks")
    assert code == 0, out
    code, out = run("validate", "answers.yaml")
    assert code == 2
    assert "give --bank-path with the folder that holds its folder" in out


def test_the_report_names_the_source_it_was_scored_against(tmp_path):
    import docx

    bank = tmp_path / "banks" / "samm"
    assert run("bank", "import", "samm", str(SAMM), "--out", str(bank))[0] == 0
    answers = filled(bank, tmp_path, seed=2)
    out = tmp_path / "r.docx"
    code, text = run(
        "report", str(answers), "--format", "docx", "--lang", "en", "--out", str(out),
        "--bank-path", str(bank.parent),
    )  # fmt: skip
    assert code == 0, text
    words = "\n".join(p.text for p in docx.Document(str(out)).paragraphs)
    digest = yaml.safe_load((bank / "manifest.yaml").read_text("utf-8"))["source"]["sha256"]
    tables = "\n".join(
        c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells
    )
    assert digest in words + tables


def test_an_existing_folder_is_refused_then_kept_aside_with_force(tmp_path):
    bank = tmp_path / "samm"
    bank.mkdir()
    (bank / "mine.txt").write_text("keep me", "utf-8")
    code, out = run("bank", "import", "samm", str(SAMM), "--out", str(bank))
    assert code == 2
    assert "exists; use --force" in out
    assert (bank / "mine.txt").read_text("utf-8") == "keep me"
    code, out = run("bank", "import", "samm", str(SAMM), "--out", str(bank), "--force")
    assert code == 0, out
    kept = tmp_path / "samm.bak"
    assert f"kept at {kept}" in out
    assert (kept / "mine.txt").read_text("utf-8") == "keep me"
    assert (bank / "manifest.yaml").exists()


def test_a_broken_model_writes_nothing_and_exits_2(tmp_path):
    model = tmp_path / "model"
    for path in SAMM.rglob("*"):
        if path.is_file():
            target = model / path.relative_to(SAMM)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    question = sorted((model / "questions").glob("*.yml"))[0]
    text = question.read_text("utf-8")
    question.write_text(re.sub(r"answerSet: .*", "answerSet: no-such-set", text), "utf-8")
    out_dir = tmp_path / "out"
    code, out = run("bank", "import", "samm", str(model), "--out", str(out_dir))
    assert code == 2
    assert re.search(rf"{re.escape(str(question))}:\d+:\d+: answerSet: ", out), out
    assert "nothing was written" in out
    assert not out_dir.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_source_hash_follows_the_source(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert run("bank", "import", "samm", str(SAMM), "--out", str(first))[0] == 0
    assert run("bank", "import", "samm", str(SAMM), "--out", str(second))[0] == 0
    manifests = [(p / "manifest.yaml").read_bytes() for p in (first, second)]
    assert manifests[0] == manifests[1]  # the same source gives the same bank, byte for byte
    digest = yaml.safe_load(manifests[0])["source"]["sha256"]
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert digest != hashlib.sha256(b"").hexdigest()


def test_bank_show_and_the_old_spelling_agree():
    assert run("bank", "show", "gbt42509") == run("bank", "gbt42509")
    code, out = run("bank")
    assert code == 0
    assert "gbt42509" in out
    code, out = run("bank", "--help")
    assert code == 0
    assert "import" in out
    assert "Example" in out
    code, out = run("bank", "import", "--help")
    assert code == 0
    assert "cxassess bank import samm" in out


CISO = DATA / "ciso"


def test_a_ciso_library_with_a_mapping_builds_a_site_with_its_crosswalk(tmp_path):
    bank = tmp_path / "banks" / "mini-a"
    code, out = run(
        "bank", "import", "ciso-assistant", str(CISO / "mini-a.yaml"), "--out", str(bank),
        "--mapping", str(CISO / "mapping-a-b.yaml"), "--target", str(CISO / "mini-b.yaml"),
    )  # fmt: skip
    assert code == 0, out
    imported = load_bank(bank)
    (target,) = imported.manifest.crosswalks
    answers = tmp_path / "answers.yaml"
    assert run("new", "--bank", str(bank), "--out", str(answers))[0] == 0
    text = answers.read_text("utf-8")
    questions = iter(imported.questions)

    def answer(match: re.Match[str]) -> str:
        q = next(questions)
        return f"choice: {q.choices[-1].id}" if q.choices else "level: 2"

    answers.write_text(re.sub(r"(?:level|choice): null[^\n]*", answer, text), "utf-8")
    site = tmp_path / "site"
    code, out = run("build", str(answers), "--out", str(site), "--bank-path", str(bank.parent))
    assert code == 0, out
    crosswalk = next((site / "zh").rglob("crosswalks/index.html")).read_text("utf-8")
    for item in imported.manifest.crosswalks[target].items:
        assert item.title.zh.split()[0] in crosswalk
    book = tmp_path / "q.xlsx"
    code, out = run("xlsx", "export", "--answers", str(answers), "--out", str(book),
                    "--bank-path", str(bank.parent))  # fmt: skip
    assert code == 0, out
    back = tmp_path / "back.yaml"
    code, out = run("xlsx", "import", str(book), "--out", str(back),
                    "--bank-path", str(bank.parent))  # fmt: skip
    assert code == 0, out
    again = yaml.safe_load(back.read_text("utf-8"))["answers"]
    first = yaml.safe_load(answers.read_text("utf-8"))["answers"]

    def given(a: dict[str, Any]) -> object:  # one choice and a list of one say the same
        picked = a.get("choice")
        return (
            a.get("level") if picked is None else ([picked] if isinstance(picked, str) else picked)
        )

    assert {k: given(v) for k, v in again.items()} == {k: given(v) for k, v in first.items()}


def test_a_ciso_library_with_problems_writes_nothing(tmp_path):
    broken = tmp_path / "lib.yaml"
    text = (CISO / "mini-a.yaml").read_text("utf-8")
    broken.write_text(
        text.replace(
            "parent_urn: urn:test:risk:req_node:mini-a:gov",
            "parent_urn: urn:test:risk:req_node:mini-a:gvo",
            1,
        ),
        "utf-8",
    )
    code, out = run("bank", "import", "ciso-assistant", str(broken), "--out", str(tmp_path / "x"))
    assert code == 2, out
    assert re.search(rf"{re.escape(str(broken))}:\d+:\d+: .*parent_urn", out), out
    assert not (tmp_path / "x").exists()


def test_a_folder_holding_the_source_is_never_replaced(tmp_path):
    model = tmp_path / "work" / "model"
    model.parent.mkdir()
    shutil.copytree(SAMM, model)
    for out in (model, model.parent):
        code, text = run("bank", "import", "samm", str(model), "--out", str(out), "--force")
        assert code == 2, text
        assert "which the import reads" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["work"]
    assert (model / "questions").is_dir()
