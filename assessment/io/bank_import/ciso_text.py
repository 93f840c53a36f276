"""A CISO Assistant library's texts in cxassess's two languages, and its names and ids as
written.

A library is written in one language (its locale) and may carry translations; a bank needs
every text in Chinese and English. Each text is taken from its own language where the
library has it, else from the other language, else from the library's main text, and every
such fill is counted so the import can say once, per direction, what the pages will show.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.common.errors import Problem
from assessment.io.bank_import.draft import Data, both
from assessment.load.yamlio import Located, PathKey

LANGS = ("zh", "en")
_OTHER = {"zh": "en", "en": "zh"}
_NAME = {"zh": ("中文", "Chinese"), "en": ("英文", "English")}


# ANSSI's libraries mark a reinforced or a lighter variant of a recommendation with signs:
# R5+, R5, R5-, R12 (-). Cleaning drops the signs, and with them the difference.
_SIGNS = re.compile(r"\(\s*([+-][\s+-]*)\)|([+-][\s+-]*)$")


def spelled(ref: str) -> str:
    """A ref_id with its trailing variant signs in words, ready to be cleaned into an id:
    "R5+" -> "R5 plus", "R12 (-)" -> "R12 minus"."""

    def words(match: re.Match[str]) -> str:
        signs = match.group(1) or match.group(2)
        return " " + " ".join("plus" if sign == "+" else "minus" for sign in signs if sign in "+-")

    return _SIGNS.sub(words, ref).strip()


def plain(value: Any) -> str | None:
    """A scalar as text (a title written as a bare number is still a title); None for
    nothing, for blanks and for lists and mappings."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str | int | float):
        return str(value).strip() or None
    return None


@dataclass
class Languages:
    locale: str  # as the library writes it: "fr", "en-US"
    filled: Counter[tuple[str, str]] = field(default_factory=Counter)  # (filled, from)

    @property
    def main(self) -> str:
        return self.locale.split("-")[0].split("_")[0].lower()

    def pair(self, obj: Mapping[str, Any], key: str) -> tuple[str | None, str | None]:
        """(zh, en) of obj[key], each filled from elsewhere where the library lacks it."""
        main = plain(obj.get(key))
        translations = obj.get("translations")
        own: dict[str, str | None] = {}
        for lang in LANGS:
            entry = translations.get(lang) if isinstance(translations, Mapping) else None
            own[lang] = plain(entry.get(key)) if isinstance(entry, Mapping) else None
            if own[lang] is None and self.main == lang:
                own[lang] = main
        out: dict[str, str | None] = {}
        for lang in LANGS:
            other = own[_OTHER[lang]]
            if own[lang] is not None:
                out[lang] = own[lang]
            elif other is not None:
                out[lang] = other
                self.filled[(lang, _OTHER[lang])] += 1
            elif main is not None:
                out[lang] = main
                self.filled[(lang, self.locale)] += 1
            else:
                out[lang] = None
        return out["zh"], out["en"]

    def both(self, obj: Mapping[str, Any], key: str, fallback: str) -> Data:
        return both(*self.pair(obj, key), fallback)

    def has(self, obj: Mapping[str, Any], key: str) -> bool:
        """Whether the library gives obj[key] in some language (counting no fill)."""
        zh, en = Languages(self.locale).pair(obj, key)
        return bool(zh or en)

    def notes(self, where: tuple[str, str] = ("", "")) -> list[tuple[str, str]]:
        """One (zh, en) note per direction a text was filled in, prefixed by `where`."""
        out = []
        for (lang, source), count in sorted(self.filled.items()):
            zh_lang, en_lang = _NAME[lang]
            if source in _NAME:
                zh_from, en_from = f"{_NAME[source][0]}文本", f"the {_NAME[source][1]} text"
            else:
                zh_from, en_from = f"库中的 {source} 文本", f"the library's {source} text"
            out.append(
                (
                    f"{where[0]}库中缺少{zh_lang}文本（{count} 处）：{zh_lang}页面显示{zh_from}。",
                    f"{where[1]}No {en_lang} text in the library ({count} "
                    f"text{'' if count == 1 else 's'}): "
                    f"{en_lang} pages show {en_from}.",
                )
            )
        return out


class Reader:
    """One file's data with the problems found in it."""

    def __init__(self, src: Located, problems: list[Problem]) -> None:
        self.src = src
        self.problems = problems

    def add(self, path: PathKey, message: str, *, key: bool = False) -> None:
        self.problems.append(self.src.problem(path, message, key=key))

    def line(self, path: PathKey) -> int:
        return self.src.mark(path)[0]

    def word(self, obj: dict[str, Any], at: PathKey, key: str) -> str | None:
        """A name or id at obj[key] as written: 6.10 stays "6.10", not the number 6.1."""
        value = obj.get(key)
        if isinstance(value, float):
            return self.src.raw.get((*at, key), str(value))
        if isinstance(value, list | dict):
            self.add((*at, key), "expected a text, not a list or mapping")
        return plain(value)
