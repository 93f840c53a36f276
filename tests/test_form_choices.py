"""The offline form on a bank that answers by choice (tests/fixtures/picks): one pick among
several, and several picks for a question that takes them (multiple: true)."""

from __future__ import annotations

import pytest

from assessment import api
from tests.browser import form_page, site_of
from tests.conftest import FIXTURES
from tests.test_form import expect, export, go_to_clause, import_text

ANSWERS = """bank: picks
organisation:
  id: org
  name: Org
assessment:
  title: Picks check
  date: 2026-12-01
answers:
  single:
    choice: some
  several:
    choice:
    - owner
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    with site_of(ANSWERS, tmp_path_factory.mktemp("picks"), [FIXTURES]) as url:
        yield url


@pytest.fixture
def form(browser, base_url):
    with form_page(browser, base_url) as opened:
        yield opened


def test_several_picks_are_ticked_exported_and_read_back(form, tmp_path):
    page, watch = form
    assert "not imported" not in import_text(page, ANSWERS, "org.yaml")
    go_to_clause(page, "1.2")
    assert page.locator("#cx-q2 input[type=checkbox]").count() == 4  # three picks and "na"
    assert page.locator("#cx-q1 input[type=radio]").count() == 5  # one pick of four, or "na"
    expect(page.locator("#cx-q2 legend")).to_have_text("Answer (pick every one that applies)")
    assert page.is_checked("#cx-q2-level-owner")
    page.check("#cx-q2-level-review")
    page.check("#cx-q2-level-plan")
    page.uncheck("#cx-q2-level-owner")
    assert page.is_checked("#cx-q2-level-review")
    answers = api.validate_file(export(page, tmp_path), [FIXTURES]).answers.answers
    assert answers["several"].choice == ("plan", "review")  # in the bank's order
    assert answers["single"].choice == "some"

    page.check("#cx-q2-level-na")  # "not applicable" is never one of several
    assert not page.is_checked("#cx-q2-level-plan")
    assert not page.is_checked("#cx-q2-level-review")
    page.fill("#cx-q2-reason", "no such process")
    answers = api.validate_file(export(page, tmp_path), [FIXTURES]).answers.answers
    assert answers["several"].level == "na"
    assert answers["several"].choice is None

    page.check("#cx-q2-level-plan")  # a pick after "na" starts the picks again
    assert not page.is_checked("#cx-q2-level-na")
    page.uncheck("#cx-q2-level-plan")  # and none left is no answer
    assert "1 / 3 answered" in page.locator(".cx-form-progress-text").inner_text()
    watch.assert_clean()


def test_several_picks_on_a_one_pick_question_are_not_imported(form):
    page, watch = form
    message = import_text(page, ANSWERS.replace("choice: some", 'choice: ["some", "half"]'))
    assert "single: choice must be one of no, some, half, all" in message
    watch.assert_clean()
