"""User text is data: the payload corpus in every user field, checked in a real browser.

Every page of the built site is loaded; no dialog may open, no payload script may run
(window.__pwned stays undefined), nothing is fetched from another host, and every payload is
shown as the text that was typed.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from assessment import api
from tests.browser import launched, serve
from tests.conftest import FIXTURES

PAYLOADS: list[str] = yaml.safe_load((Path(__file__).parent / "payloads.yaml").read_text("utf-8"))
PAYLOADS.append("very long line " + "x" * 3000)


def payload_answers(org_id: str, payloads: itertools.cycle) -> dict:
    def take() -> str:
        return next(payloads)

    return {
        "bank": "mini",
        "organisation": {"id": org_id, "name": take(), "sector": take()},
        "assessment": {
            "title": take(),
            "date": "2026-11-01",
            "assessors": [take(), take()],
            "scope": take(),
        },
        "answers": {
            "q1": {"level": 2, "evidence": [take(), take()], "note": take(), "finding": "minor"},
            "q2": {
                "level": 1,
                "evidence": [take()],
                "note": take(),
                "finding": {
                    "grade": "major",
                    "requirement": take(),
                    "evidence": take(),
                    "statement": take(),
                    "corrective_action": take(),
                    "owner": take(),
                    "due": "2027-01-31",
                },
            },
            "q3": {"level": "na", "reason": take(), "decided_by": take()},
            "q4": {"level": 1, "evidence": [take()], "note": take(), "finding": "observation"},
        },
    }


def write_payload_project(folder: Path) -> Path:
    """A two-organisation project (one with two respondents) with every payload in a field
    the site displays; returns its cxassess.yaml."""
    payloads = itertools.cycle(PAYLOADS)
    # The first two files are shown in full and draw more values than there are payloads, so
    # every payload lands in a field the site displays.
    files = {
        "one-a.yaml": payload_answers("one", payloads),
        "two-a.yaml": payload_answers("two", payloads),
    }
    second = payload_answers("two", payloads)
    second["organisation"] = files["two-a.yaml"]["organisation"]
    files["two-b.yaml"] = second
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    respondent_names = [next(payloads) for _ in range(2)]
    project = {
        "title": next(payloads),
        "default_lang": "en",
        "organisations": [
            {"id": "one", "rounds": [{"answers": "one-a.yaml"}]},
            {
                "id": "two",
                "rounds": [
                    {
                        "respondents": [
                            {"name": respondent_names[0], "answers": "two-a.yaml"},
                            {"name": respondent_names[1], "answers": "two-b.yaml"},
                        ]
                    }
                ],
            },
        ],
    }
    (folder / "cxassess.yaml").write_text(
        yaml.safe_dump(project, allow_unicode=True), encoding="utf-8"
    )
    return folder / "cxassess.yaml"


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("payloads")
    out = folder / "site"
    api.build_site(write_payload_project(folder), out, search=[FIXTURES])
    return out


def test_payloads_come_out_as_plain_mkdocs_writes_them(payload_site, tmp_path, monkeypatch):
    """The raw HTML blocks that skip Python-Markdown (assessment/raw_html.py) hold user text:
    with every payload in them, the site must still be byte for byte what MkDocs writes."""
    from tests.test_build import build_with_plain_mkdocs, tree_digest

    plain = tmp_path / "plain"
    build_with_plain_mkdocs(payload_site.parent / "cxassess.yaml", plain, monkeypatch)
    assert tree_digest(plain) == tree_digest(payload_site)


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_no_payload_runs_and_every_payload_is_visible(payload_site):
    pages = sorted(p for p in payload_site.rglob("index.html") if "search" not in p.parts)
    seen_text = ""
    dialogs: list[str] = []
    external: list[str] = []
    with serve(payload_site) as base, launched() as browser:
        page = browser.new_page()
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: external.append(r.url) if not r.url.startswith(base) else None)
        for html in pages:
            url = f"{base}/{html.relative_to(payload_site).parent.as_posix()}/".replace("/./", "/")
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("typeof window.__pwned") == "undefined", url
            seen_text += "\n" + page.inner_text("body")
    assert dialogs == []
    assert [u for u in external if not u.startswith("data:")] == []
    visible = normalise(seen_text)
    missing = [p for p in PAYLOADS if normalise(p) not in visible]
    assert missing == []
