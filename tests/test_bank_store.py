"""Checked banks kept between runs (assessment/bank_store.py): the same bank, or none."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assessment.common import resources
from assessment.common.errors import InputError
from assessment.load import loader as load
from assessment.load.loader import load_bank
from tests.conftest import FIXTURES


@pytest.fixture
def store(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "store"
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", str(folder))
    return folder


def reading_counted(monkeypatch) -> list[Path]:
    reads: list[Path] = []
    original = load._read

    def counted(path, problems):
        reads.append(path)
        return original(path, problems)

    monkeypatch.setattr(load, "_read", counted)
    return reads


@pytest.mark.parametrize("ref", [*resources.bundled_banks(), "mini"])
def test_a_kept_bank_is_the_bank_its_files_give(store, monkeypatch, ref):
    fresh = load_bank(ref, [FIXTURES])
    assert len(list(store.glob("cxassess-bank-*.json"))) == 1
    reads = reading_counted(monkeypatch)
    kept = load_bank(ref, [FIXTURES])
    assert reads == []  # not one file read again
    assert kept.manifest == fresh.manifest
    assert kept.questions == fresh.questions
    assert kept.content_hash == fresh.content_hash
    assert kept.membership == fresh.membership


def test_an_edited_bank_is_read_again(store, tmp_path, monkeypatch):
    bank = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", bank)
    load_bank(bank)
    question_file = sorted((bank / "questions").glob("*.yaml"))[0]
    question_file.write_text(question_file.read_text("utf-8") + "\n", encoding="utf-8")
    reads = reading_counted(monkeypatch)
    load_bank(bank)
    assert question_file in reads
    assert len(list(store.glob("cxassess-bank-*.json"))) == 2


def test_a_bank_with_problems_is_never_kept(store, tmp_path):
    bank = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", bank)
    manifest = bank / "manifest.yaml"
    manifest.write_text(manifest.read_text("utf-8").replace("id: mini", "id: 'Not an id'"))
    messages = []
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            load_bank(bank)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert "manifest.yaml:" in messages[0]
    assert not list(store.glob("cxassess-bank-*.json"))


def test_a_damaged_entry_is_read_from_the_files_and_kept_again(store, monkeypatch):
    fresh = load_bank("mini", [FIXTURES])
    (entry,) = store.glob("cxassess-bank-*.json")
    entry.write_text('{"manifest": {"id": 1}', encoding="utf-8")
    reads = reading_counted(monkeypatch)
    assert load_bank("mini", [FIXTURES]).questions == fresh.questions
    assert reads
    assert entry.read_text("utf-8").startswith('{"manifest": {')
    reads.clear()
    load_bank("mini", [FIXTURES])
    assert reads == []


def test_nothing_is_kept_when_the_cache_is_off(monkeypatch, tmp_path):
    monkeypatch.setenv("CXASSESS_TEMPLATE_CACHE", "off")
    monkeypatch.chdir(tmp_path)
    reads = reading_counted(monkeypatch)
    load_bank("mini", [FIXTURES])
    first = list(reads)
    load_bank("mini", [FIXTURES])
    assert first
    assert reads == first + first  # every file read again
