"""A project file's report branding, read and checked: the logo a file of its folder (unless
--allow-outside), a PNG or JPEG of reasonable size; every problem located in the project file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assessment.common.errors import InputError, Problem
from assessment.common.files import outside_problem, read_user_file
from assessment.load.models.project import ReportBranding
from assessment.load.yamlio import Located

LOGO_LIMIT = 2 * 1024 * 1024
_KINDS = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


@dataclass(frozen=True)
class Branding:
    logo: bytes | None = None
    logo_type: str = "image/png"
    colour: str | None = None
    firm: str | None = None


def load_branding(
    spec: ReportBranding | None, base: Path, root: Path | None, src: Located
) -> tuple[Branding | None, list[Problem]]:
    if spec is None:
        return None, []
    if spec.logo is None:
        return Branding(colour=spec.colour, firm=spec.firm), []
    where = ("report", "logo")
    path = base / spec.logo
    outside = outside_problem(path, root, f"logo {spec.logo!r}") if root else None
    if outside is not None:
        return None, [src.problem(where, outside)]
    try:
        data = read_user_file(path, str(path), LOGO_LIMIT)
    except InputError as exc:
        return None, [src.problem(where, f"logo {spec.logo!r}: {p.message}") for p in exc.problems]
    kind = next((k for magic, k in _KINDS if data.startswith(magic)), None)
    if kind is None:
        return None, [src.problem(where, f"logo {spec.logo!r} is not a PNG or JPEG image")]
    return Branding(data, kind, spec.colour, spec.firm), []
