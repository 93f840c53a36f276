"""Structure layer: plain YAML data to pydantic models, every error located at once."""

from __future__ import annotations

import copy
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from assessment.common.errors import InputError, Problem
from assessment.load.models.base import ID_PATTERN, LINE_PATTERN
from assessment.load.yamlio import Located, PathKey

M = TypeVar("M", bound=BaseModel)

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "tuple_type": "expected a list (items each on a line starting with '- ', or [a, b])",
    "list_type": "expected a list (items each on a line starting with '- ', or [a, b])",
    "dict_type": "expected a mapping of fields (key: value lines)",
    "model_type": "expected a mapping of fields (key: value lines)",
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
        elif isinstance(part, str) and ("[" in part or part in {"int", "str", "float", "bool"}):
            continue  # union member tags like "literal['na']" or "int"
        elif last and isinstance(node, dict) and not isinstance(part, int):
            path.append(part)  # a missing key: report it under its parent
        else:
            break
    return tuple(path)


def _value_at(data: Any, path: PathKey) -> Any:
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def problems_from(error: ValidationError, located: Located) -> list[Problem]:
    by_path: dict[PathKey, list[str]] = {}
    at_key: set[PathKey] = set()
    for err in error.errors(include_url=False):
        path = _data_path(located.data, tuple(err["loc"]))
        if path in located.failed:
            continue  # a value YAML could not read (a bad date): said once, by the reader
        if err["type"] == "literal_error" and isinstance(_value_at(located.data, path), dict):
            continue  # a mapping given where a union also takes a word: the mapping's errors tell
        if err["type"] == "too_short" and _long_enough_as_written(err):
            continue  # pydantic counts only the items that passed: their own errors tell
        if err["type"] == "extra_forbidden":
            at_key.add(path)
        message = _message(err, located.raw.get(path))
        messages = by_path.setdefault(path, [])
        if message not in messages:
            messages.append(message)
    mapping = _MESSAGES["model_type"]
    for msgs in by_path.values():
        # A scalar given where a union also takes a mapping (finding: awful): the scalar's
        # own message says what to write; "expected a mapping" would only mislead.
        if mapping in msgs and len(msgs) > 1:
            msgs.remove(mapping)
    return [
        located.problem(path, _join(msgs), key=path in at_key) for path, msgs in by_path.items()
    ]


def _long_enough_as_written(err: Any) -> bool:
    written, least = err.get("input"), err.get("ctx", {}).get("min_length")
    return (
        isinstance(written, list | tuple | dict)
        and isinstance(least, int)
        and len(written) >= least
    )


_DATE_ERRORS = {
    "date_type",
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
}


def _message(err: Any, written: str | None = None) -> str:
    if err["type"] in _MESSAGES:
        return _MESSAGES[err["type"]]
    if err["type"] == "too_short" and err.get("ctx", {}).get("min_length") == 1:
        return "must list at least one item"
    if err["type"] in _DATE_ERRORS:
        return "must be a date written YYYY-MM-DD, e.g. 2026-11-01"
    if err["type"] == "string_type" and written is not None:
        return f'write "{written}" in quotes: unquoted, YAML reads it as the number {err["input"]}'

    if err["type"] == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        return "must be an id of lowercase letters, digits, '.', '_' or '-' (no spaces or slashes)"
    if (
        err["type"] == "string_pattern_mismatch"
        and err.get("ctx", {}).get("pattern") == LINE_PATTERN
    ):
        return (
            "one line per item (spreadsheets and the form list items one per line): make it"
            " several items, or put the detail in note"
        )
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
    found, problems = parse_partial(located, model)
    if problems or found is None:
        raise InputError(problems)
    return found


# Rounds of leaving out what failed; each round drops at least one value, and real files
# fail in few places at once.
_PRUNE_ROUNDS = 12


def parse_partial(located: Located, model: type[M]) -> tuple[M | None, list[Problem]]:
    """The structure layer, reporting every problem and still giving the cross-reference
    layer something to check: every problem of the file is the structure's problems plus
    the cross references of what is left when the values that failed are left out (a
    level of 7 beside a misspelt finding is reported too, not just the finding). The model
    is None when what failed cannot be left out (a required top-level field)."""
    read = list(located.problems)  # what YAML could not take, its values left out
    if not isinstance(located.data, dict):
        return None, [*read, located.problem((), "expected a mapping of fields at the top level")]
    try:
        return model.model_validate(located.data), read
    except ValidationError as exc:
        error = exc
    problems = read + problems_from(error, located)
    data = copy.deepcopy(located.data)
    for _ in range(_PRUNE_ROUNDS):
        paths = {_data_path(data, tuple(err["loc"])) for err in error.errors(include_url=False)}
        # Every failed value is left out in each round (no short cut after the first).
        removed = [_leave_out(data, path) for path in sorted(paths, key=len, reverse=True)]
        if not any(removed):
            return None, problems
        try:
            return model.model_validate(data), problems
        except ValidationError as exc:
            error = exc
    return None, problems


def _leave_out(data: Any, path: PathKey) -> bool:
    """Remove the value at path (for a list item or a missing field, the list or the mapping
    that holds it), unless that is the whole document."""
    while path:
        *parents, last = path
        node = data
        for part in parents:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return False  # an enclosing value already left out this round
        if isinstance(node, dict) and last in node:
            del node[last]
            return True
        path = tuple(parents)
    return False
