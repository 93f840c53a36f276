"""What an importer hands over: a bank folder's content as plain data, before it is written."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

Data = dict[str, Any]


@dataclass
class Draft:
    """manifest.yaml and questions/<name>.yaml as plain data, plus what the import noted."""

    manifest: Data
    questions: dict[str, list[Data]]  # file stem -> questions, in clause order
    ref: str | None = None  # the framework's own id: a URN, a model name
    provider: str | None = None
    copyright: str | None = None
    notes: list[Data] = field(default_factory=list)  # {zh, en} each

    def note(self, zh: str, en: str) -> None:
        self.notes.append({"zh": zh, "en": en})


def both(zh: str | None, en: str | None, fallback: str) -> Data:
    """A text in both languages; a missing one takes the other (or the fallback)."""
    zh = (zh or "").strip() or None
    en = (en or "").strip() or None
    return {"zh": zh or en or fallback, "en": en or zh or fallback}


_CLAUSE_UNSAFE = re.compile(r"[^0-9A-Za-z.]+")
_ID_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def clause_id(ref: str) -> str:
    """A framework's ref_id as a clause id (letters, digits and dots, at most 20):
    "A.5.1" stays, "D-SA" becomes "D.SA". Empty when nothing usable is left."""
    cleaned = _CLAUSE_UNSAFE.sub(".", _ascii(ref)).strip(".")
    return re.sub(r"\.{2,}", ".", cleaned)[:20].rstrip(".")


def question_id(ref: str) -> str:
    """A ref_id as a question id (lower case letters, digits, dot, dash, underscore)."""
    cleaned = _ID_UNSAFE.sub("-", _ascii(ref).lower()).strip("-._")
    return cleaned[:80].rstrip("-._")
