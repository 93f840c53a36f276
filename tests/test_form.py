"""The offline self-assessment form (templates/assets/cxform.js) in a real browser.

The mini bank has five questions: q1 and q2 in clause 1.1, q3 in 1.2, q4 and q5 in 2.1.
Every test gets a fresh browser context (its own localStorage) and checks that the page logs
no errors and asks nothing of any host but the local test server.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
import yaml

from assessment import api
from tests.browser import PageWatch, serve
from tests.conftest import FIXTURES, MINI_ANSWERS

ORG_ID = "acme-1.x_y"
ORG_NAME = 'Acme "Home" 家居'
TITLE = "CX check: 2026 #1"
DATE = "2026-11-22"
ASSESSORS = ["Li Na", "Bob O'Neil"]
EVIDENCE = ["Minutes 2026-02", 'Survey: 中文 "quoted" \\ path']
NOTE = 'He said "yes" \\ back\nsecond line: 第二行 # not a comment 😀\u2028end'
REASON = "Not offered — 不提供"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("form") / "site"
    api.build_site(MINI_ANSWERS, out, search=[FIXTURES])
    return out


@pytest.fixture(scope="module")
def base_url(site):
    with serve(site) as url:
        yield url


@pytest.fixture
def open_form(browser, base_url):
    """open_form(lang) -> (page, watch) in a new context; contexts are closed afterwards."""
    contexts = []

    def opener(lang: str = "en", **options):
        context = browser.new_context(accept_downloads=True, **options)
        contexts.append(context)
        page = context.new_page()
        watch = PageWatch(page, base_url)
        page.goto(f"{base_url}/{lang}/form/")
        page.wait_for_load_state("networkidle")  # nothing in flight to be cut off by a reload
        page.locator("#cx-form-export").wait_for()
        return page, watch

    yield opener
    for context in contexts:
        context.close()


def expect(locator):
    """Playwright's auto-waiting assertions (imported late: without Playwright tests skip)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def progress(page) -> str:
    return page.locator(".cx-form-progress-text").inner_text()


def question_ids(page) -> list[str]:
    return page.locator("article.cx-form-question").evaluate_all(
        "nodes => nodes.map(n => n.dataset.question)"
    )


def go_to_clause(page, clause_id: str) -> None:
    options = page.locator("#cx-form-clause option").all_inner_texts()
    index = next(i for i, text in enumerate(options) if text.startswith(clause_id + " "))
    page.locator("#cx-form-clause").select_option(str(index))
    page.locator(f"#cx-form-clause-title:text-matches('^{clause_id} ')").wait_for()


def fill_sample(page) -> None:
    page.fill("#cx-org-id", ORG_ID)
    page.fill("#cx-org-name", ORG_NAME)
    page.fill("#cx-org-sector", "E-commerce")
    page.fill("#cx-title", TITLE)
    page.fill("#cx-date", DATE)
    page.fill("#cx-assessors", "\n".join(ASSESSORS) + "\n")
    page.fill("#cx-scope", "Online retail")
    page.check("#cx-q0-level-3")  # q1
    page.fill("#cx-q0-evidence", "\n".join(EVIDENCE))
    page.fill("#cx-q0-note", NOTE)
    page.select_option("#cx-q0-finding", "ofi")
    page.click(".cx-form-next >> nth=0")
    page.check("#cx-q2-level-na")  # q3
    page.fill("#cx-q2-reason", REASON)
    page.click(".cx-form-next >> nth=0")
    page.check("#cx-q3-level-0")  # q4
    page.select_option("#cx-q3-finding", "major")


def export(page, tmp_path: Path) -> Path:
    with page.expect_download() as info:
        page.click("#cx-form-export")
    download = info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return path


def import_text(page, text: str, name: str = "new.yaml") -> str:
    """Import an answers file's text through the form's file input; the message it shows."""
    page.set_input_files(
        "#cx-form-file",
        files=[{"name": name, "mimeType": "text/yaml", "buffer": text.encode("utf-8")}],
    )
    expect(page.locator(".cx-form-messages")).to_contain_text(f"Imported {name}")
    return page.locator(".cx-form-messages").inner_text()


def assert_sample_restored(page) -> None:
    assert page.input_value("#cx-org-id") == ORG_ID
    assert page.input_value("#cx-org-name") == ORG_NAME
    assert page.input_value("#cx-org-sector") == "E-commerce"
    assert page.input_value("#cx-title") == TITLE
    assert page.input_value("#cx-date") == DATE
    assert page.input_value("#cx-assessors").split() == ["Li", "Na", "Bob", "O'Neil"]
    assert progress(page) == "3 / 5 answered"
    go_to_clause(page, "1.1")
    assert page.is_checked("#cx-q0-level-3")
    assert page.input_value("#cx-q0-evidence").split("\n") == EVIDENCE
    assert page.input_value("#cx-q0-note") == NOTE
    assert page.input_value("#cx-q0-finding") == "ofi"
    assert not page.is_checked("#cx-q1-level-3")
    go_to_clause(page, "1.2")
    assert page.is_checked("#cx-q2-level-na")
    assert page.input_value("#cx-q2-reason") == REASON
    go_to_clause(page, "2.1")
    assert page.is_checked("#cx-q3-level-0")
    assert page.input_value("#cx-q3-finding") == "major"


def wait_until(page, condition, timeout: float = 5.0) -> None:
    """Poll a Python-side condition (e.g. a dialog handler has run) while the page runs."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(50)


def before_unload_blocked(page) -> bool:
    """Whether a beforeunload listener asks to stay (what makes the browser prompt)."""
    return page.evaluate(
        """() => {
            const event = new Event("beforeunload", { cancelable: true });
            window.dispatchEvent(event);
            return event.defaultPrevented;
        }"""
    )


@pytest.mark.parametrize(
    ("lang", "first_level", "progress_text", "next_label"),
    [
        ("en", "0 – L0: q1 level 0", "0 / 5 answered", "Next clause →"),
        ("zh", "0 – L0（中）：q1 level 0（中）", "已答 0 / 5", "下一条款 →"),
    ],
)
def test_form_shows_one_clause_at_a_time(open_form, lang, first_level, progress_text, next_label):
    page, watch = open_form(lang)
    assert progress(page) == progress_text
    assert page.locator("#cx-form-clause option").count() == 3
    assert page.locator("#cx-form-clause option").first.inner_text().endswith("(0/2)")
    assert question_ids(page) == ["q1", "q2"]
    choices = page.locator("#cx-q0 label.cx-form-choice").all_inner_texts()
    assert len(choices) == 7  # six levels and "not applicable"
    assert choices[0].strip() == first_level
    assert page.locator(".cx-form-prev").first.is_disabled()
    assert page.locator(".cx-form-next").first.inner_text() == next_label
    page.locator(".cx-form-next").last.click()
    assert question_ids(page) == ["q3"]
    page.locator("#cx-form-clause").select_option("2")
    assert question_ids(page) == ["q4", "q5"]
    assert page.locator(".cx-form-next").first.is_disabled()
    page.locator(".cx-form-prev").first.click()
    assert question_ids(page) == ["q3"]
    # the date defaults to today
    assert page.input_value("#cx-date") == page.evaluate(
        "() => { const d = new Date(); return [d.getFullYear(), String(d.getMonth() + 1)"
        ".padStart(2, '0'), String(d.getDate()).padStart(2, '0')].join('-'); }"
    )
    watch.assert_clean()


def test_chosen_level_is_marked_and_progress_counts(open_form):
    page, watch = open_form("en")
    page.check("#cx-q1-level-4")
    chosen = page.locator("#cx-q1 label.cx-form-chosen")
    assert chosen.count() == 1
    assert chosen.inner_text().startswith("4 – L4")
    marks = chosen.evaluate(
        "n => [getComputedStyle(n).fontWeight, getComputedStyle(n, '::after').content]"
    )
    assert marks == ["700", '"✓"']  # bold and a check mark, not only a colour
    assert progress(page) == "1 / 5 answered"
    assert page.locator("#cx-form-clause option").first.inner_text().endswith("(1/2)")
    page.check("#cx-q1-level-na")
    assert page.locator("#cx-q1-reason").is_visible()
    assert page.get_attribute("#cx-q1-reason", "aria-invalid") == "true"
    reason_label = page.locator("label[for=cx-q1-reason]")
    assert reason_label.inner_text() == "Reason why it does not apply (required)"
    page.fill("#cx-q1-reason", "kept")
    page.check("#cx-q1-level-3")  # the words stay, and are no longer asked for
    assert page.locator("#cx-q1-reason").is_visible()
    assert page.get_attribute("#cx-q1-reason", "aria-invalid") == "false"
    assert "(required)" not in reason_label.inner_text()
    assert "kept" in reason_label.inner_text()
    page.check("#cx-q1-level-na")
    assert reason_label.inner_text().endswith("(required)")
    page.fill("#cx-q1-reason", "")
    page.click("#cx-q1 .cx-form-unset")
    assert page.locator("#cx-q1 input:checked").count() == 0
    assert not page.locator("#cx-q1-reason").is_visible()
    assert progress(page) == "0 / 5 answered"
    watch.assert_clean()


def test_organisation_id_is_checked_while_typing(open_form):
    page, watch = open_form("en")
    page.fill("#cx-org-id", "Acme Home")
    assert page.get_attribute("#cx-org-id", "aria-invalid") == "true"
    assert page.locator("#cx-org-id-error").is_visible()
    page.fill("#cx-org-id", "acme-home")
    assert page.get_attribute("#cx-org-id", "aria-invalid") == "false"
    assert not page.locator("#cx-org-id-error").is_visible()
    watch.assert_clean()


def test_answers_survive_a_reload(open_form):
    page, watch = open_form("en")
    fill_sample(page)
    assert progress(page) == "3 / 5 answered"
    page.evaluate("window.cxBeforeReload = true")
    page.on("dialog", lambda dialog: dialog.accept())  # the beforeunload prompt
    page.reload()
    page.locator("#cx-form-export").wait_for()
    assert page.evaluate("window.cxBeforeReload === undefined")  # a new document
    assert page.locator("#cx-form-clause-title").inner_text().startswith("2.1 ")
    assert_sample_restored(page)
    stored = page.evaluate("() => Object.keys(localStorage)")
    assert [key for key in stored if key.startswith("cxassess")] == ["cxassess-form:mini"]
    watch.assert_clean()


def test_export_validates_and_imports_into_a_fresh_browser(open_form, tmp_path):
    page, watch = open_form("en")
    fill_sample(page)
    path = export(page, tmp_path)
    assert path.name == f"{ORG_ID}.yaml"
    assert "Exported acme-1.x_y.yaml" in page.locator(".cx-form-messages").inner_text()

    answers = api.validate_file(path, [FIXTURES]).answers
    assert answers.bank == "mini"
    assert answers.organisation.id == ORG_ID
    assert answers.organisation.name == ORG_NAME
    assert answers.organisation.sector == "E-commerce"
    assert answers.assessment.title == TITLE
    assert answers.assessment.date == dt.date(2026, 11, 22)
    assert answers.assessment.assessors == tuple(ASSESSORS)
    assert answers.assessment.scope == "Online retail"
    assert sorted(answers.answers) == ["q1", "q3", "q4"]
    q1, q3, q4 = answers.answers["q1"], answers.answers["q3"], answers.answers["q4"]
    assert (q1.level, q1.evidence, q1.note, q1.finding) == (3, tuple(EVIDENCE), NOTE, "ofi")
    assert (q3.level, q3.reason, q3.evidence, q3.note, q3.finding) == ("na", REASON, (), None, None)
    assert (q4.level, q4.finding, q4.note) == (0, "major", None)

    # one key per line, each value JSON: plain json and yaml.safe_load agree line by line
    text = path.read_text(encoding="utf-8")
    assert "\\/" not in text
    assert "\u2028" not in text  # written as an escape: YAML reads U+2028 as a line break
    data = yaml.safe_load(text)
    assert data["answers"]["q1"]["note"] == NOTE
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert [line.split(":")[0] for line in lines[:3]] == ["bank", "organisation", "assessment"]
    assert lines[3] == "answers:"
    for line in lines[4:]:
        key, _, value = line.strip().partition(": ")
        assert data["answers"][json.loads(key)] == json.loads(value)
    assert json.loads(lines[1].partition(": ")[2]) == data["organisation"]

    # beforeunload is disarmed by the export
    assert not before_unload_blocked(page)
    watch.assert_clean()

    fresh, fresh_watch = open_form("zh")
    assert fresh.locator(".cx-form-progress-text").inner_text() == "已答 0 / 5"
    fresh.set_input_files("#cx-form-file", str(path))  # nothing to lose yet: no confirm
    expect(fresh.locator(".cx-form-messages")).to_contain_text("已导入")
    fresh.reload()  # what was imported is stored too
    fresh.locator("#cx-form-export").wait_for()
    assert fresh.locator(".cx-form-progress-text").inner_text() == "已答 3 / 5"
    fresh.goto(fresh.url.replace("/zh/", "/en/"))  # the same answers in the other language
    fresh.locator("#cx-form-export").wait_for()
    assert_sample_restored(fresh)
    again = export(fresh, tmp_path / "again")
    assert again.read_bytes() == path.read_bytes()
    fresh_watch.assert_clean()


def test_import_tolerates_bom_crlf_and_the_template_of_cxassess_new(open_form, tmp_path):
    page, watch = open_form("en")
    template = tmp_path / "new.yaml"
    api.new_answers("mini", template, search=[FIXTURES], today=dt.date(2026, 1, 2))
    text = template.read_text(encoding="utf-8")
    text = text.replace('"q2":\n    level: null', '"q2":\n    level: 2')
    message = import_text(page, "\ufeff" + text.replace("\n", "\r\n"))
    assert "Imported new.yaml: 1 of 5 questions answered." in message
    assert "Kept as they are and written again on export: targets." in message
    assert page.input_value("#cx-org-id") == "my-organisation"
    assert page.input_value("#cx-date") == "2026-01-02"
    assert page.is_checked("#cx-q1-level-2")
    path = export(page, tmp_path)
    exported = api.validate_file(path, [FIXTURES]).answers
    assert exported.targets.default == 3
    assert {k: a.level for k, a in exported.answers.items()} == {"q2": 2}
    watch.assert_clean()


def test_a_finding_record_and_who_decided_na_come_back_unchanged(open_form, tmp_path):
    """The form edits a finding's grade; the rest of its record and `decided_by` are the
    auditor's data and go back out as they came in."""
    page, watch = open_form("en")
    source = MINI_ANSWERS.read_text(encoding="utf-8")
    page.set_input_files(
        "#cx-form-file",
        files=[{"name": "mini.yaml", "mimeType": "text/yaml", "buffer": source.encode("utf-8")}],
    )
    expect(page.locator(".cx-form-messages")).to_contain_text("Imported mini.yaml")
    before = api.validate_file(MINI_ANSWERS, [FIXTURES]).answers
    after = api.validate_file(export(page, tmp_path), [FIXTURES]).answers
    assert after.answers["q4"].finding == before.answers["q4"].finding
    assert after.answers["q4"].record.owner == "Operations"
    assert after.answers["q3"].decided_by == "Lead assessor"
    watch.assert_clean()


def test_import_reports_what_it_cannot_take(open_form, tmp_path):
    page, watch = open_form("en")
    page.fill("#cx-org-name", "Kept")
    other = "bank: other\norganisation: {}\n"
    page.set_input_files(
        "#cx-form-file",
        files=[{"name": "other.yaml", "mimeType": "text/yaml", "buffer": other.encode()}],
    )
    expect(page.locator(".cx-form-messages")).to_contain_text("other.yaml")
    message = page.locator(".cx-form-messages").inner_text()
    assert "other.yaml was not imported" in message
    assert "“other”" in message
    assert "“mini”" in message
    assert page.input_value("#cx-org-name") == "Kept"

    odd = "\n".join(
        [
            'bank: "mini"',
            'organisation: {"id": "odd", "name": "Odd", "colour": "red"}',
            'assessment: {"title": "T", "date": "2026-11-01"}',
            "answers:",
            '  "q1": {"level": 4, "finding": "severe"}',
            '  "q9": {"level": 2}',
            '  "q2": {"level": 7, "note": "kept"}',
            "",
        ]
    )
    dialogs: list[str] = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    payload = [{"name": "odd.yaml", "mimeType": "text/yaml", "buffer": odd.encode()}]
    page.set_input_files("#cx-form-file", files=payload)
    wait_until(page, lambda: dialogs)
    assert dialogs == ["Replace the answers in this form with those in odd.yaml?"]
    assert page.input_value("#cx-org-name") == "Kept"  # declined: nothing changed

    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files("#cx-form-file", files=payload)
    expect(page.locator(".cx-form-messages")).to_contain_text("Imported odd.yaml")
    message = page.locator(".cx-form-messages").inner_text()
    assert "Imported odd.yaml: 1 of 5 questions answered." in message
    assert "unknown key “organisation.colour”" in message
    assert "unknown question id “q9”" in message
    assert "q1: unknown finding “severe”" in message
    assert "q2: level must be 0–5" in message
    assert page.input_value("#cx-org-name") == "Odd"
    assert page.is_checked("#cx-q0-level-4")
    assert page.input_value("#cx-q1-note") == "kept"

    broken = 'bank: "mini"\nanswers:\n  "q1": {"level": 4\n'
    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files(
        "#cx-form-file",
        files=[{"name": "broken.yaml", "mimeType": "text/yaml", "buffer": broken.encode()}],
    )
    expect(page.locator(".cx-form-messages")).to_contain_text("broken.yaml")
    message = page.locator(".cx-form-messages").inner_text()
    assert "broken.yaml was not imported" in message
    assert "line 3:" in message
    assert page.input_value("#cx-org-name") == "Odd"
    watch.assert_clean()


def test_export_is_blocked_until_the_file_would_be_valid(open_form, tmp_path):
    page, watch = open_form("en")
    downloads: list[object] = []
    page.on("download", lambda download: downloads.append(download))
    page.fill("#cx-date", "")
    page.click("#cx-form-export")
    message = page.locator(".cx-form-messages").inner_text()
    for expected in (
        "Organisation identifier is missing.",
        "Organisation name is missing.",
        "Assessment title is missing.",
        "Assessment date is missing",
    ):
        assert expected in message

    page.fill("#cx-org-id", "acme")
    page.fill("#cx-org-name", "Acme")
    page.fill("#cx-title", "Check")
    page.fill("#cx-date", DATE)
    page.click(".cx-form-next >> nth=0")
    page.check("#cx-q2-level-na")
    page.click(".cx-form-prev >> nth=0")
    page.click("#cx-form-export")
    message = page.locator(".cx-form-messages").inner_text()
    assert "q3 (clause 1.2): not applicable needs a reason." in message
    assert "identifier" not in message
    page.locator(".cx-form-messages a").click()  # "Go to" opens the clause at the field
    assert question_ids(page) == ["q3"]
    assert page.evaluate("document.activeElement.id") == "cx-q2-reason"
    page.wait_for_timeout(300)
    assert downloads == []

    page.fill("#cx-q2-reason", "   ")
    page.click("#cx-form-export")
    assert "needs a reason" in page.locator(".cx-form-messages").inner_text()
    page.fill("#cx-q2-reason", REASON)
    path = export(page, tmp_path)
    assert api.validate_file(path, [FIXTURES]).answers.answers["q3"].reason == REASON
    watch.assert_clean()


def test_leaving_with_unexported_changes_asks_first(open_form, base_url):
    page, watch = open_form("en")
    assert not before_unload_blocked(page)  # nothing typed yet
    page.check("#cx-q0-level-1")
    assert before_unload_blocked(page)
    assert "Changes not yet exported." in page.locator(".cx-form-status").inner_text()

    dialogs: list[str] = []

    def accept(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    page.goto(f"{base_url}/en/")
    assert dialogs == ["beforeunload"]
    page.wait_for_load_state("networkidle")
    page.goto(f"{base_url}/en/form/")
    page.locator("#cx-form-export").wait_for()
    assert page.is_checked("#cx-q0-level-1")
    assert before_unload_blocked(page)  # still not exported
    watch.assert_clean()


def test_clear_all_asks_first(open_form):
    page, watch = open_form("en")
    page.fill("#cx-org-name", "Acme")
    page.check("#cx-q0-level-2")
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.click("#cx-form-clear")
    assert page.input_value("#cx-org-name") == "Acme"
    assert page.is_checked("#cx-q0-level-2")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#cx-form-clear")
    assert page.input_value("#cx-org-name") == ""
    assert progress(page) == "0 / 5 answered"
    assert not before_unload_blocked(page)
    page.reload()
    page.locator("#cx-form-export").wait_for()
    assert page.input_value("#cx-org-name") == ""
    watch.assert_clean()


def test_form_fits_a_phone_screen_in_the_dark_palette(open_form):
    page, watch = open_form("zh", viewport={"width": 375, "height": 740}, color_scheme="dark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    box = page.locator("#cx-q0").bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 375
    colours = page.locator("#cx-q0-note").evaluate(
        "n => [getComputedStyle(n).color, getComputedStyle(n).backgroundColor]"
    )
    assert colours[0] != colours[1]
    watch.assert_clean()


AWKWARD = [
    "quotes \" ' and a backslash \\ and \\u2028 typed out",
    "yaml: looking # not a comment - [a, b] {c: d} &anchor *alias !tag | > % @ `",
    "中文：全角标点，“引号”",
    "emoji 😀👍🏽 and a flag 🇨🇳",
    "line\u2028separator, paragraph\u2029separator, next line\x85, bom\ufeff here",
    "control\x7f and\x9f c1, tab\tend",
    "  leading and trailing spaces  ",
    "null",
    "3",
    "na",
]


def test_export_keeps_awkward_text(open_form, tmp_path):
    page, watch = open_form("en")
    page.fill("#cx-org-id", "awkward")
    page.fill("#cx-org-name", "Awkward")
    page.fill("#cx-title", "Awkward text")
    page.fill("#cx-date", DATE)
    page.check("#cx-q0-level-2")
    note = "\n".join(AWKWARD)
    page.fill("#cx-q0-note", note)
    page.fill("#cx-q0-evidence", "\n".join(item.strip() for item in AWKWARD))
    page.check("#cx-q1-level-na")
    # a lone surrogate cannot be written as UTF-8: it becomes U+FFFD
    page.locator("#cx-q1-reason").evaluate(
        "n => { n.value = 'half \\ud83d pair'; n.dispatchEvent(new Event('input')); }"
    )
    path = export(page, tmp_path)
    raw = path.read_bytes()
    assert raw.decode("utf-8")
    for loader in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        data = loader(raw.decode("utf-8")).get_single_data()  # both safe loaders, C and Python
        assert data["answers"]["q1"]["note"] == note
        assert data["answers"]["q1"]["evidence"] == [item.strip() for item in AWKWARD]
        assert data["answers"]["q2"]["reason"] == "half \ufffd pair"
    answers = api.validate_file(path, [FIXTURES]).answers.answers
    assert answers["q1"].note == note
    assert answers["q1"].evidence == tuple(item.strip() for item in AWKWARD)

    fresh, fresh_watch = open_form("en")
    fresh.set_input_files("#cx-form-file", str(path))
    expect(fresh.locator(".cx-form-messages")).to_contain_text("Imported awkward.yaml")
    assert fresh.input_value("#cx-q0-note") == note
    assert fresh.input_value("#cx-q1-reason") == "half \ufffd pair"
    watch.assert_clean()
    fresh_watch.assert_clean()


def test_a_preset_is_kept_and_written_again_on_export(open_form, tmp_path):
    page, watch = open_form("en")
    template = tmp_path / "new.yaml"
    api.new_answers("mini", template, search=[FIXTURES], today=dt.date(2026, 1, 2))
    # The form's bank (mini) has no presets: the form keeps the line as it keeps targets,
    # and validate, not the form, judges it.
    text = template.read_text(encoding="utf-8").replace(
        "answers:\n", 'preset: "basic"\nanswers:\n', 1
    )
    message = import_text(page, text)
    assert "Kept as they are and written again on export: targets, preset." in message
    path = export(page, tmp_path)
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["preset"] == "basic"
    watch.assert_clean()


def test_a_file_written_by_cxassess_itself_imports_with_its_text_exact(open_form, tmp_path):
    """Files from `combine` and `xlsx import` (dump_answers) keep long and multi-line text on
    one line, in YAML's double-quoted escapes, which the form's reader decodes."""
    from assessment.io.answers import dump_answers

    note = ("A long note that would once have been folded over lines. " * 6) + (
        "\nsecond line \u2028 next \x85 bell \x07 esc \x1b tab\t 😀 \u00a0 'q' \"dq\" \\ end"
    )
    answers = api.validate_file(MINI_ANSWERS, [FIXTURES]).answers
    q1 = answers.answers["q1"].model_copy(update={"note": note})
    written = dump_answers(answers.model_copy(update={"answers": {**answers.answers, "q1": q1}}))
    assert "\\L" in written
    assert "\\e" in written
    assert yaml.safe_load(written)["answers"]["q1"]["note"] == note

    page, watch = open_form("en")
    message = import_text(page, written, "combined.yaml")
    assert "not imported" not in message
    go_to_clause(page, "1.1")
    assert page.input_value("#cx-q0-note") == note
    watch.assert_clean()


def test_answers_this_bank_no_longer_takes_are_kept_and_exported_as_comments(open_form, tmp_path):
    """An answer stored for a question the bank has since dropped, or at a level it no longer
    has, is the user's work: it stays in the browser, is named, and goes out with the export."""
    page, watch = open_form("en")
    fill_sample(page)
    page.evaluate(
        """() => {
            const key = "cxassess-form:mini";
            const state = JSON.parse(localStorage.getItem(key));
            state.answers.gone = { level: 2, note: "typed for a removed question", evidence: "" };
            state.answers.q2 = { level: 9, note: "level 9 no longer exists", evidence: "" };
            localStorage.setItem(key, JSON.stringify(state));
        }"""
    )
    page.on("dialog", lambda dialog: dialog.accept())
    page.reload()
    page.locator("#cx-form-export").wait_for()
    status = page.locator(".cx-form-status").inner_text()
    assert "2 answers saved in this browser no longer fit this bank" in status
    assert "gone" in status
    assert "q2" in status
    go_to_clause(page, "1.1")
    assert page.input_value("#cx-q1-note") == "level 9 no longer exists"  # the words stay

    page.reload()  # kept across visits, not dropped by the save after the first one
    page.locator("#cx-form-export").wait_for()
    assert "2 answers saved" in page.locator(".cx-form-status").inner_text()

    path = export(page, tmp_path)
    text = path.read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if line.startswith("#   ")]
    assert [json.loads(line[4:].partition(": ")[0]) for line in kept] == ["gone", "q2"]
    assert json.loads(kept[0].partition(": ")[2])["note"] == "typed for a removed question"
    answers = api.validate_file(path, [FIXTURES]).answers  # comments do not break the file
    assert "gone" not in answers.answers
    assert answers.answers["q2"].level is None

    page.click("#cx-form-clear")  # Clear all asks first, then removes them too
    assert "no longer fit" not in page.locator(".cx-form-status").inner_text()
    watch.assert_clean()


def test_words_kept_beside_any_level_go_out_as_they_came_in(open_form, tmp_path):
    """A reason left from an earlier "not applicable", an answer with only a reason, evidence
    indented or starting with "-": the form shows them and exports them unchanged."""
    from assessment.io.answers import dump_answers

    answers = api.validate_file(MINI_ANSWERS, [FIXTURES]).answers
    q1 = answers.answers["q1"].model_copy(
        update={
            "reason": "applied until 2026",
            "decided_by": "-Board",
            "evidence": ("  indented item", "-x form 7", "?query log", ":colon"),
        }
    )
    q5 = answers.answers["q1"].model_copy(
        update={"level": None, "evidence": None, "reason": "asked the board"}
    )
    written = dump_answers(
        answers.model_copy(update={"answers": {**answers.answers, "q1": q1, "q5": q5}})
    )
    page, watch = open_form("en")
    assert "not imported" not in import_text(page, written, "kept.yaml")
    go_to_clause(page, "1.1")
    expect(page.locator("#cx-q0-reason")).to_be_visible()
    assert page.input_value("#cx-q0-reason") == "applied until 2026"
    page.fill("#cx-q0-reason", "")  # emptied by hand: stays open under the cursor
    expect(page.locator("#cx-q0-reason")).to_be_visible()
    page.fill("#cx-q0-reason", "applied until 2026")
    expect(page.locator("#cx-q1-reason")).to_be_hidden()  # q2: no words, not "na"

    after = api.validate_file(export(page, tmp_path), [FIXTURES]).answers.answers
    assert after["q1"].level == 2
    assert after["q1"].reason == "applied until 2026"
    assert after["q1"].decided_by == "-Board"
    assert after["q1"].evidence == q1.evidence
    assert after["q5"].level is None
    assert after["q5"].reason == "asked the board"
    assert after["q3"].decided_by == "Lead assessor"
    watch.assert_clean()


def test_a_hand_written_file_in_flow_style_imports_as_cxassess_reads_it(open_form, tmp_path):
    """Mappings and lists in braces and brackets on one line, and a note as a block of lines,
    as people write them: the form takes what cxassess takes, and exports the same answers."""
    written = "\n".join(
        [
            "bank: mini  # hand-written",
            "organisation: {id: flow, name: 'Flow, Inc.', sector: retail}",
            "assessment: {title: Flow check, date: 2026-11-20, assessors: [Ann, 'B. O''Neil']}",
            "targets: {default: 3, clauses: {'1': 4, 1.2: 2}}",
            "answers:",
            '  q1: {level: 2, evidence: [minutes, "a, b", {{x}}], note: "see: it"}',
            "  q2: {level: 4, finding: observation,}  # a trailing comma",
            "  q3: {level: na, reason: not offered, decided_by: Lead}",
            "  q4: {level: 1, finding: {grade: major, owner: Ops, due: 2026-10-15}}",
            "  q5:",
            "    note: |",
            "      written over",
            "      two lines",
            "",
        ]
    ).replace("{{x}}", "'[x]'")
    path = tmp_path / "flow.yaml"
    path.write_text(written, encoding="utf-8")
    before = api.validate_file(path, [FIXTURES]).answers
    page, watch = open_form("en")
    message = import_text(page, written, "flow.yaml")
    assert "not imported" not in message
    (tmp_path / "out").mkdir()
    after = api.validate_file(export(page, tmp_path / "out"), [FIXTURES]).answers
    assert after.organisation == before.organisation
    assert after.assessment == before.assessment
    assert after.targets == before.targets
    assert {k: v for k, v in after.answers.items() if v.answered or v.note} == {
        k: v for k, v in before.answers.items() if v.answered or v.note
    }

    broken = "bank: mini\norganisation: {id: x, name: [unclosed}\n"
    message = import_text_failing(page, broken)
    assert "line 2: the form cannot read this line" in message
    watch.assert_clean()


def import_text_failing(page, text: str, name: str = "bad.yaml") -> str:
    page.once("dialog", lambda dialog: dialog.accept())
    page.set_input_files(
        "#cx-form-file",
        files=[{"name": name, "mimeType": "text/yaml", "buffer": text.encode("utf-8")}],
    )
    expect(page.locator(".cx-form-messages")).to_contain_text(f"{name} was not imported")
    return page.locator(".cx-form-messages").inner_text()
