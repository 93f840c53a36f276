"""The offline form keeps the audit rules `cxassess validate` keeps: an answers file that
validate refuses for one of them is not exported, and the form says why, in the same terms.

The bank is a copy of the mini bank in which q1 covers a 'should' provision only and q2 is a
knock-out question, and its preset "core" holds q1 to q3; its default target is 3."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessment import api
from assessment.common.errors import InputError
from tests.browser import form_page, site_of
from tests.conftest import FIXTURES
from tests.test_form import export, import_text

HEAD = """bank: mini
organisation:
  id: rules
  name: Rules Co
assessment:
  title: Rules check
  date: 2026-11-01
"""

CASES = {
    "knock-out na": (
        "answers:\n  q2:\n    level: na\n    reason: not here\n",
        "q2 (clause 1.1): a knock-out question always applies",
    ),
    "should provision": (
        "answers:\n  q1:\n    level: 1\n    finding: minor\n",
        "q1 (clause 1.1): a Minor nonconformity needs a “shall” provision; this question "
        "covers “should” provisions only",
    ),
    "no level": (
        "answers:\n  q3:\n    finding: minor\n",
        "q3 (clause 1.2): a Minor nonconformity needs a level (0–5).",
    ),
    "no shortfall": (
        "answers:\n  q4:\n    level: 3\n    finding: major\n",
        "q4 (clause 2.1): a Major nonconformity on level 3, at or above its target 3",
    ),
    "major on 4": (
        "targets:\n  default: 5\nanswers:\n  q5:\n    level: 4\n    finding: major\n",
        "q5 (clause 2.1): a major nonconformity cannot stand on level 4 (4 or more).",
    ),
    "outside the preset": (
        "preset: core\nanswers:\n  q4:\n    level: 1\n    finding: minor\n",
        "q4 (clause 2.1): a Minor nonconformity needs a question that applies; the preset "
        "“core” leaves this one out.",
    ),
    "closed before": (
        "answers:\n  q4:\n    level: 1\n    finding:\n      grade: minor\n"
        "      status: closed\n      closed: 2026-10-01\n",
        "q4 (clause 2.1): the finding’s closed date 2026-10-01 is before the assessment date",
    ),
}


@pytest.fixture(scope="module")
def bank_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("banks")
    shutil.copytree(FIXTURES / "mini", folder / "mini")
    manifest = folder / "mini" / "manifest.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace(
            "    - id: p\n      en: point\n",
            "    - id: p\n      en: point\n      strength: should\n",
        )
        + "presets:\n- id: core\n  title: {zh: 核心, en: Core}\n",
        encoding="utf-8",
    )
    questions = folder / "mini" / "questions" / "all.yaml"
    text = questions.read_text(encoding="utf-8")
    text = text.replace("- id: q1\n  clause: '1.1'\n", "- id: q1\n  clause: '1.1'\n  covers: [p]\n")
    text = text.replace(
        "- id: q2\n  clause: '1.1'\n", "- id: q2\n  clause: '1.1'\n  knockout: true\n"
    )
    for qid, clause in (("q1", "1.1"), ("q2", "1.1"), ("q3", "1.2")):
        text = text.replace(
            f"- id: {qid}\n  clause: '{clause}'\n",
            f"- id: {qid}\n  clause: '{clause}'\n  presets: [core]\n",
        )
    assert text.count("presets: [core]") == 3
    questions.write_text(text, encoding="utf-8")
    assert "strength: should" in manifest.read_text(encoding="utf-8")
    assert "knockout: true" in text
    assert "covers: [p]" in text
    return folder


@pytest.fixture(scope="module")
def base_url(bank_folder, tmp_path_factory):
    with site_of(HEAD, tmp_path_factory.mktemp("rules"), [bank_folder]) as url:
        yield url


@pytest.fixture
def form(browser, base_url):
    with form_page(browser, base_url) as (page, watch):
        page.on("dialog", lambda dialog: dialog.accept())
        yield page, watch


@pytest.mark.parametrize("case", sorted(CASES))
def test_what_validate_refuses_the_form_does_not_export(form, bank_folder, tmp_path, case):
    body, said = CASES[case]
    path = tmp_path / "case.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    with pytest.raises(InputError):
        api.validate_file(path, [bank_folder])
    page, watch = form
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    assert "not imported" not in import_text(page, HEAD + body, "case.yaml")
    page.click("#cx-form-export")
    message = page.locator(".cx-form-messages").inner_text()
    assert "Not exported yet" in message
    assert said in message
    page.wait_for_timeout(200)
    assert downloads == []
    watch.assert_clean()


def test_a_file_that_keeps_the_rules_is_exported(form, bank_folder, tmp_path):
    body = (
        "preset: core\ntargets:\n  default: 5\nanswers:\n  q1:\n    level: 1\n    finding: observation\n"
        "  q2:\n    level: 0\n  q3:\n    level: 3\n    finding: major\n"
        "  q4:\n    level: 2\n    finding: observation\n"  # outside the preset: no nonconformity
    )
    page, watch = form
    import_text(page, HEAD + body, "fine.yaml")
    exported = api.validate_file(export(page, tmp_path), [bank_folder]).answers
    assert exported.preset == "core"
    assert exported.answers["q3"].finding == "major"
    assert exported.answers["q4"].finding == "observation"
    watch.assert_clean()
