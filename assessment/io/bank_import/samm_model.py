"""A read SAMM model resolved into its tree: business function -> security practice -> stream
-> questions, each question with its maturity level, activity and answer set. Links to
unknown ids, clause ids that come out the same and bad values are reported, located."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from assessment.io.bank_import.draft import Data, both, clause_id
from assessment.io.bank_import.samm_read import Entity, Model


@dataclass
class Question:
    entity: Entity
    stream: Stream
    level: int
    text: str
    order: float  # a question without one goes last in its activity
    quality: tuple[str, ...]
    choices: tuple[Data, ...]
    activity: str  # its activity's title
    about: str | None  # its activity's first paragraph of description


@dataclass
class Stream:
    entity: Entity
    clause: str
    name: str
    letter: str
    order: float
    questions: list[Question] = field(default_factory=list)


@dataclass
class Practice:
    entity: Entity
    clause: str
    name: str
    short: str
    order: float
    streams: list[Stream] = field(default_factory=list)


@dataclass
class Function:
    entity: Entity
    clause: str
    name: str
    order: float
    practices: list[Practice] = field(default_factory=list)


@dataclass
class Tree:
    functions: list[Function]
    levels: dict[int, str | None]  # maturity level number -> its description
    version: str | None  # "2.0" from `model: SAMM20`, when every function says the same


def _order(value: int | None) -> float:
    return math.inf if value is None else value


def _first_paragraph(text: str | None) -> str | None:
    if text is None:
        return None
    return " ".join(text.strip().split("\n\n", 1)[0].split()) or None


class _Resolver:
    def __init__(self, model: Model) -> None:
        self.model = model
        self.clauses: dict[str, Entity] = {}  # clause id -> the entity that made it

    def entities(self, kind: str) -> list[Entity]:
        return list(self.model.entities[kind].values())

    def claim(self, clause: str, e: Entity, key: str, what: str) -> bool:
        """Whether `clause` is a new clause id; a clash is a problem at `key`."""
        first = self.clauses.get(clause)
        if not clause:
            message = f"{what} gives no clause id (it needs a letter or digit A-Z, 0-9)"
        elif first is not None:
            message = f"{what} gives clause id {clause!r}, as {first.where} does"
        else:
            self.clauses[clause] = e
            return True
        self.model.problems.append(e.problem((key,), message))
        return False

    def functions(self) -> dict[str, Function]:
        found: dict[str, Function] = {}
        for e in self.entities("business_functions"):
            name, order = self.model.text(e, "name"), self.model.integer(e, "order")
            if name is None:
                continue
            clause = clause_id(name[:1].upper())
            if self.claim(clause, e, "name", f"the name {name!r}"):
                found[e.id] = Function(e, clause, name, _order(order))
        return found

    def practices(self, functions: dict[str, Function]) -> dict[str, Practice]:
        found: dict[str, Practice] = {}
        for e in self.entities("security_practices"):
            parent = self.model.link(e, "function", "business_functions")
            name, short = self.model.text(e, "name"), self.model.text(e, "shortName")
            order = self.model.integer(e, "order")
            function = functions.get(parent.id) if parent else None
            if function is None or name is None or short is None:
                continue
            clause = clause_id(f"{function.clause}.{short}")
            if self.claim(clause, e, "shortName", f"shortName {short!r}"):
                found[e.id] = Practice(e, clause, name, short, _order(order))
                function.practices.append(found[e.id])
        return found

    def streams(self, practices: dict[str, Practice]) -> dict[str, tuple[Stream, str]]:
        found: dict[str, tuple[Stream, str]] = {}
        for e in self.entities("streams"):
            parent = self.model.link(e, "practice", "security_practices")
            name, letter = self.model.text(e, "name"), self.model.text(e, "letter")
            order = self.model.integer(e, "order")
            practice = practices.get(parent.id) if parent else None
            if practice is None or name is None or letter is None:
                continue
            clause = clause_id(f"{practice.clause}.{letter}")
            if self.claim(clause, e, "letter", f"letter {letter!r}"):
                stream = Stream(e, clause, name, letter, _order(order))
                practice.streams.append(stream)
                found[e.id] = (stream, practice.entity.id)
        return found

    def levels(self) -> tuple[dict[str, int], dict[int, str | None]]:
        numbers: dict[str, int] = {}  # maturity level id -> number
        described: dict[int, str | None] = {}
        for e in self.entities("maturity_levels"):
            number = self.model.integer(e, "number")
            about = _first_paragraph(self.model.text(e, "description", required=False))
            if number is None and "number" not in e.data:
                self.model.problems.append(e.problem(("number",), "missing 'number' (1, 2, 3)"))
            elif number is not None and number in described:
                message = f"maturity level {number} again (each number once)"
                self.model.problems.append(e.problem(("number",), message))
            elif number is not None:
                numbers[e.id], described[number] = number, about
        if described and sorted(described) != list(range(1, len(described) + 1)):
            e = next(e for e in self.entities("maturity_levels") if e.id in numbers)
            message = (
                f"maturity levels must be numbered 1, 2, 3 … without gaps, not {sorted(described)}"
            )
            self.model.problems.append(e.problem(("number",), message))
        return numbers, dict(sorted(described.items()))

    def practice_levels(self, numbers: dict[str, int]) -> dict[str, tuple[str, int]]:
        found: dict[str, tuple[str, int]] = {}  # id -> (practice id, maturity number)
        for e in self.entities("practice_levels"):
            practice = self.model.link(e, "practice", "security_practices")
            level = self.model.link(e, "maturityLevel", "maturity_levels")
            if practice is not None and level is not None and level.id in numbers:
                found[e.id] = (practice.id, numbers[level.id])
        return found

    def activities(
        self, streams: dict[str, tuple[Stream, str]], levels: dict[str, tuple[str, int]]
    ) -> dict[str, tuple[Stream, int, str, str | None]]:
        """Each activity's stream, maturity level number, title and description."""
        found: dict[str, tuple[Stream, int, str, str | None]] = {}
        for e in self.entities("activities"):
            stream = self.model.link(e, "stream", "streams")
            level = self.model.link(e, "level", "practice_levels")
            title = self.model.text(e, "title")
            about = self.model.text(e, "shortDescription", required=False)
            about = about or self.model.text(e, "longDescription", required=False)
            if stream is None or level is None or title is None:
                continue
            if stream.id not in streams or level.id not in levels:
                continue  # reported with the stream or the practice level
            (made, practice), (of_level, number) = streams[stream.id], levels[level.id]
            if practice != of_level:
                message = (
                    f"practice level {level.id!r} is of practice {of_level!r},"
                    f" the stream {stream.id!r} of practice {practice!r}"
                )
                self.model.problems.append(e.problem(("level",), message))
                continue
            found[e.id] = (made, number, title, _first_paragraph(about))
        return found

    def answer_sets(self) -> dict[str, tuple[Data, ...]]:
        found: dict[str, tuple[Data, ...]] = {}
        for e in self.entities("answer_sets"):
            values = e.data.get("values")
            if not isinstance(values, list) or not values:
                message = "has no values (a list of {text, value, order})"
                self.model.problems.append(e.problem(("values",), message))
                continue
            made: list[Data] = []
            for i, item in enumerate(values):
                choice = self.choice(e, i, item)
                if choice is not None and any(c["id"] == choice["id"] for c in made):
                    message = f"order {choice['order']} again in this answer set"
                    self.model.problems.append(e.problem(("values", i, "order"), message))
                elif choice is not None:
                    made.append(choice)
            if len(made) == len(values):
                made.sort(key=lambda c: c["order"])
                found[e.id] = tuple({k: v for k, v in c.items() if k != "order"} for c in made)
        return found

    def choice(self, e: Entity, i: int, item: Any) -> Data | None:
        at = ("values", i)
        if not isinstance(item, dict):
            self.model.problems.append(e.problem(at, "expected text, value and order"))
            return None
        text = self.model.text(e, *at, "text", data=item)
        order = self.model.integer(e, *at, "order", data=item)
        value = item.get("value")
        if isinstance(value, bool) or not isinstance(value, int | float):
            message = (
                "value must be a number from 0 to 1" if value is not None else "missing 'value'"
            )
            self.model.problems.append(e.problem((*at, "value"), message))
            return None
        if not 0 <= value <= 1:
            written = e.src.raw.get((*at, "value"), str(value))
            message = f"value {written} is outside 0..1 (SAMM answers score 0 to 1)"
            self.model.problems.append(e.problem((*at, "value"), message))
            return None
        if text is None:
            return None
        order = i if order is None else order
        return {"order": order, "id": f"a{order}", "text": both(None, text, text), "value": value}

    def quality(self, e: Entity) -> tuple[str, ...]:
        listed = e.data.get("quality")
        if listed is None:
            return ()
        if not isinstance(listed, list):
            self.model.problems.append(e.problem(("quality",), "expected a list of criteria"))
            return ()
        by_place = dict(enumerate(listed))  # what Model.text reads a field from
        texts = (self.model.text(e, "quality", i, data=by_place) for i in by_place)
        return tuple(t for t in texts if t is not None)


def _version(functions: list[Entity]) -> str | None:
    named = set()
    for e in functions:
        found = re.fullmatch(r"SAMM\s*v?(\d)\.?(\d+)", str(e.data.get("model", "")).strip(), re.I)
        named.add(f"{found[1]}.{found[2]}" if found else None)
    return named.pop() if len(named) == 1 else None


def resolve(model: Model) -> Tree:
    r = _Resolver(model)
    functions = r.functions()
    streams = r.streams(r.practices(functions))
    numbers, levels = r.levels()
    activities = r.activities(streams, r.practice_levels(numbers))
    answer_sets = r.answer_sets()
    for e in r.entities("questions"):
        activity = model.link(e, "activity", "activities")
        answers = model.link(e, "answerSet", "answer_sets")
        text, order = model.text(e, "text"), model.integer(e, "order")
        quality = r.quality(e)
        if activity is None or answers is None or text is None:
            continue
        if activity.id in activities and answers.id in answer_sets:
            stream, number, title, about = activities[activity.id]
            choices = answer_sets[answers.id]
            asked = Question(e, stream, number, text, _order(order), quality, choices, title, about)
            stream.questions.append(asked)
    ordered = sorted(functions.values(), key=lambda f: (f.order, f.name))
    for function in ordered:
        function.practices.sort(key=lambda p: (p.order, p.short))
        for practice in function.practices:
            practice.streams.sort(key=lambda s: (s.order, s.letter))
            for branch in practice.streams:
                branch.questions.sort(key=lambda q: (q.level, q.order, q.entity.src.file))
    return Tree(ordered, levels, _version(r.entities("business_functions")))
