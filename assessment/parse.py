"""Structure layer: plain YAML data to pydantic models, every error located at once."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError, Problem
from .models.base import ID_PATTERN
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
            node = node[part]  # same step as for a mapping, kept apart for the type narrowing
        elif last and isinstance(node, dict) and not isinstance(part, int):
            path.append(part)  # a missing key: report it under its parent
        elif isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool"}):
            continue  # union member tags like "literal['na']" or "int"
        else:
            break
    return tuple(path)


def problems_from(error: ValidationError, located: Located) -> list[Problem]:
    by_path: dict[PathKey, list[str]] = {}
    at_key: set[PathKey] = set()
    for err in error.errors(include_url=False):
        path = _data_path(located.data, tuple(err["loc"]))
        if err["type"] == "extra_forbidden":
            at_key.add(path)
        message = _message(err)
        messages = by_path.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    return [
        located.problem(path, _join(msgs), key=path in at_key) for path, msgs in by_path.items()
    ]


def _message(err: Any) -> str:
    if err["type"] in _MESSAGES:
        return _MESSAGES[err["type"]]
    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        return "must be an id of lowercase letters, digits, '.', '_' or '-' (no spaces or slashes)"
    message: str = err["msg"]
    return message.removeprefix("Value error, ")


def _join(messages: list[str]) -> str:
    """Union members each complain; say it once: "Input should be a valid integer or 'na'"."""
    if len(messages) > 1 and all(m.startswith("Input should be ") for m in messages):
        return "Input should be " + " or ".join(
            m.removeprefix("Input should be ") for m in messages
        )
    return "; ".join(messages)


def parse(located: Located, model: type[M]) -> M:
    if not isinstance(located.data, dict):
        raise InputError([located.problem((), "expected a mapping of fields at the top level")])
    try:
        return model.model_validate(located.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, located)) from None
