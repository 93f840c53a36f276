"""Structure layer: plain YAML data to pydantic models, every error located at once."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .yamlio import Located, PathKey

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
}


def _data_path(data: Any, loc: tuple[str | int, ...]) -> PathKey:
    """Keep the parts of a pydantic location that are real keys; drop union member tags."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
        elif last and isinstance(node, dict) and not isinstance(part, int):
            path.append(part)  # a missing key: report it under its parent
        elif isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool"}):
            continue  # union member tags like "literal['na']" or "int"
        else:
            break
    return tuple(path)


def problems_from(error: ValidationError, located: Located) -> list[Problem]:
    by_path: dict[PathKey, list[str]] = {}
    for err in error.errors(include_url=False):
        path = _data_path(located.data, tuple(err["loc"]))
        message = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "value_error":
            message = message.removeprefix("Value error, ")
        messages = by_path.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    return [located.problem(path, "; or ".join(msgs)) for path, msgs in by_path.items()]


def parse(located: Located, model: type[M]) -> M:
    if not isinstance(located.data, dict):
        raise InputError([located.problem((), "expected a mapping of fields at the top level")])
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, located)) from None
