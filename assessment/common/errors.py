"""Problems found in user input, reported all at once with their positions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One located problem. line and col are 1-based; line 0 means the place is not a line of
    text (a whole file, or a spreadsheet cell named in `path` such as "Planning!E7")."""

    file: str
    line: int
    col: int
    path: str
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return (
                f"{self.file}: {self.path}: {self.message}"
                if self.path
                else f"{self.file}: {self.message}"
            )
        where = self.path or "(document)"
        return f"{self.file}:{self.line}:{self.col}: {where}: {self.message}"


class InputError(Exception):
    """Bad input (exit status 2). Carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(Exception):
    """A build or run-time failure that is not the user's input (exit status 1)."""


def format_path(parts: tuple[str | int, ...]) -> str:
    """Dotted field path; keys that contain dots or spaces are bracketed so ids like 5.4-x stay whole."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part and all(ch.isalnum() or ch in "_-" for ch in part):
            out += f".{part}" if out else part
        else:
            out += f"[{part!r}]"
    return out


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the nearest known name, or '' when none is near."""
    near = difflib.get_close_matches(name, list(known), n=1, cutoff=0.7)
    return f" (did you mean {near[0]!r}?)" if near else ""
