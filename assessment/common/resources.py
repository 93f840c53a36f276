"""Where bundled banks, templates and the site configuration live (wheel or source tree)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from assessment.common.errors import did_you_mean

_PACKAGE = Path(__file__).resolve().parents[1]  # the assessment package
_CANDIDATES = (_PACKAGE / "_data", _PACKAGE.parent)


BANK_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,79}")


class UnknownBankError(LookupError):
    pass


def data_dir(name: str) -> Path:
    """questions/, templates/ or mkdocs.yml: inside the wheel, else in the source checkout."""
    for root in _CANDIDATES:
        candidate = root / name
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"cxassess is installed without its {name}")


def bank_roots(search: Sequence[Path] = ()) -> list[Path]:
    """Folders holding banks: the caller's (--bank-path) first, then the bundled ones."""
    return [*search, data_dir("questions")]


def bundled_banks(search: Sequence[Path] = ()) -> list[str]:
    names: set[str] = set()
    for root in bank_roots(search):
        if root.is_dir():
            names.update(p.name for p in root.iterdir() if (p / "manifest.yaml").is_file())
    return sorted(names)


def bank_dir(ref: str | Path, search: Sequence[Path] = ()) -> Path:
    """A bank by id (looked up in --bank-path folders, then bundled) or a folder with manifest.yaml."""
    path = Path(ref)
    if isinstance(ref, str) and BANK_ID.fullmatch(ref):
        for root in bank_roots(search):
            if (root / ref / "manifest.yaml").is_file():
                return root / ref
    if (path / "manifest.yaml").is_file():
        return path
    names = bundled_banks(search)
    raise UnknownBankError(
        f"unknown bank {str(ref)!r}{did_you_mean(str(ref), names)} (known: {', '.join(names)};"
        " a bank of your own: give --bank-path with the folder that holds its folder)"
    )


def demo_answers() -> Path:
    """The bundled demo workspace: two organisations, rounds, respondents (examples/demo/)."""
    return data_dir("examples") / "demo" / "cxassess.yaml"
