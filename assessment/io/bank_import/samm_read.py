"""Reading an OWASP SAMM core model folder: one YAML file per entity, in a folder per kind,
the entities linked by their ids. Every problem is collected, located, and raised at once."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.common.errors import InputError, Problem, did_you_mean
from assessment.common.files import read_user_file
from assessment.load.yamlio import MAX_FILE_BYTES, Located, load_yaml_file

# Folder -> what one file in it describes, for messages.
KINDS: dict[str, str] = {
    "business_functions": "business function",
    "security_practices": "security practice",
    "streams": "stream",
    "maturity_levels": "maturity level",
    "practice_levels": "practice level",
    "activities": "activity",
    "questions": "question",
    "answer_sets": "answer set",
}
SUFFIXES = (".yml", ".yaml")
MAX_FILES = 5000  # the whole SAMM 2 model is some 250 files


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class Entity:
    id: str
    data: dict[str, Any]
    src: Located
    lines: tuple[str, ...]  # the file's text, to recover what YAML turned into another type

    def problem(self, path: tuple[str | int, ...], message: str) -> Problem:
        return self.src.problem(path, message)

    @property
    def where(self) -> str:
        return f"{self.src.file}:{self.src.mark(('id',))[0]}"


def _ident(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


@dataclass
class Model:
    folder: Path
    entities: dict[str, dict[str, Entity]] = field(default_factory=dict)
    files: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Kinds with a file that could not be read or has no id: a link to an unknown id of such
    # a kind may name the entity in that file, so it is not reported as well.
    incomplete: set[str] = field(default_factory=set)

    def text(
        self, e: Entity, *path: str | int, required: bool = True, data: Any = None
    ) -> str | None:
        """A text field; a plain `No` or `2024` that YAML read as a boolean or number is
        taken as written (SAMM's answer sets start with `text: No`)."""
        source: Any = e.data if data is None else data
        value = source.get(path[-1])
        if value is not None and not isinstance(value, str | dict | list):
            value = self._as_written(e, path)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(e.problem(path, f"missing {path[-1]!r}"))
            return None
        if not isinstance(value, str):
            self.problems.append(e.problem(path, f"{path[-1]} must be text"))
            return None
        return value.strip()

    @staticmethod
    def _as_written(e: Entity, path: tuple[str | int, ...]) -> str:
        line, col = e.src.mark(path)
        token = e.lines[line - 1][col - 1 :] if line <= len(e.lines) else ""
        # Such a scalar is plain, so it ends at a comment, or in a flow list at , ] or }.
        return re.split(r"\s#|[,\]}]", token, maxsplit=1)[0].strip()

    def integer(self, e: Entity, *path: str | int, data: Any = None) -> int | None:
        """A whole number, or None where the key is absent (a wrong value is reported)."""
        source: Any = e.data if data is None else data
        value = source.get(path[-1])
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problems.append(e.problem(path, f"{path[-1]} must be a whole number"))
            return None
        return value

    def link(self, e: Entity, key: str, kind: str) -> Entity | None:
        """The entity of `kind` that field `key` names by id."""
        noun = KINDS[kind]
        value = e.data.get(key)
        if value is None or value == "":
            self.problems.append(e.problem((key,), f"missing {key!r} (the id of its {noun})"))
            return None
        ident = _ident(value)
        found = self.entities[kind].get(ident or "")
        if found is None and kind not in self.incomplete:
            known = self.entities[kind]
            hint = did_you_mean(ident, known) if ident else ""
            self.problems.append(e.problem((key,), f"no {noun} has id {value!r}{hint}"))
        return found

    def add(self, kind: str, src: Located, lines: tuple[str, ...]) -> None:
        noun = KINDS[kind]
        if not isinstance(src.data, dict):
            self.problems.append(src.problem((), f"expected the keys of a {noun} (id: …)"))
            self.incomplete.add(kind)
            return
        ident = _ident(src.data.get("id"))
        if ident is None:
            self.problems.append(src.problem(("id",), f"missing 'id' (every {noun} has one)"))
            self.incomplete.add(kind)
            return
        entity = Entity(ident, src.data, src, lines)
        first = self.entities[kind].get(ident)
        if first is not None:
            message = f"duplicate {noun} id {ident!r} (first in {first.where})"
            self.problems.append(entity.problem(("id",), message))
            return
        self.entities[kind][ident] = entity

    def fail_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems)


def model_folder(given: Path) -> Path:
    """The folder given, or its model/ folder when it is a checkout of owaspsamm/core."""
    if not any((given / kind).is_dir() for kind in KINDS) and (given / "model").is_dir():
        return given / "model"
    return given


def read_model(given: Path) -> Model:
    folder = model_folder(given)
    model = Model(folder, {kind: {} for kind in KINDS})
    found = [
        (kind, path)
        for kind in KINDS
        if (folder / kind).is_dir()
        for path in sorted((folder / kind).iterdir())
        if path.suffix.lower() in SUFFIXES and not path.name.startswith(".")
    ]
    where = display(folder)
    if not found:
        expected = ", ".join(f"{kind}/*.yml" for kind in KINDS)
        message = f"no SAMM model files here or in its model/ folder (expected {expected})"
        raise InputError([Problem(where, 0, 0, "", message)])
    if len(found) > MAX_FILES:
        raise InputError([Problem(where, 0, 0, "", f"more than {MAX_FILES} model files")])
    for kind, path in found:
        name = display(path)
        try:
            # The bytes hashed for the bank's source are the ones read here; the YAML reader
            # reads the file again with its own checks.
            raw = read_user_file(path, name, MAX_FILE_BYTES)
            src = load_yaml_file(path, name)
        except InputError as exc:
            model.problems.extend(exc.problems)
            model.incomplete.add(kind)
            continue
        model.files.append((path.relative_to(folder).as_posix(), raw))
        lines = tuple(raw.decode("utf-8-sig").replace("\r\n", "\n").split("\n"))
        model.add(kind, src, lines)
    for kind, noun in KINDS.items():
        if not any(k == kind for k, _ in found):
            message = f"no {noun} files ({kind}/*.yml)"
            model.problems.append(Problem(display(folder / kind), 0, 0, "", message))
            model.incomplete.add(kind)  # every link to one would be reported again
    return model
