"""The fields of a CISO Assistant requirement node beyond its place in the tree: its
weight, its implementation groups and the questions CISO Assistant asks about it; and the
framework's implementation groups as presets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assessment.io.bank_import.ciso_text import Languages, Reader, plain, spelled
from assessment.io.bank_import.draft import Data, question_id
from assessment.load.yamlio import PathKey

CHOICE_TYPES = ("unique_choice", "multiple_choice")


@dataclass
class Choice:
    urn: str
    data: dict[str, Any]
    add_score: float | None


@dataclass
class Asked:
    """One of the questions CISO Assistant asks about a requirement."""

    urn: str
    data: dict[str, Any]
    kind: str
    choices: list[Choice]


def read_presets(
    r: Reader, lang: Languages, framework: dict[str, Any], at: PathKey
) -> tuple[list[Data], dict[str, str]]:
    """The implementation groups as presets, and each group's ref_id with its preset id."""
    raw = framework.get("implementation_groups_definition") or []
    at = (*at, "implementation_groups_definition")
    if not isinstance(raw, list):
        r.add(at, "expected a list of groups")
        return [], {}
    presets: list[Data] = []
    groups: dict[str, str] = {}
    for j, group in enumerate(raw):
        ref = r.word(group, (*at, j), "ref_id") if isinstance(group, dict) else None
        pid = question_id(spelled(ref or ""))
        if not isinstance(group, dict) or not ref or not pid:
            r.add((*at, j, "ref_id"), "a group needs a ref_id of letters or digits")
            continue
        if ref in groups:
            r.add((*at, j, "ref_id"), f"duplicate group ref_id {ref!r}")
            continue
        # Nodes name their groups by ref_id, so ids that clean alike ("R+", "R-") are
        # simply numbered apart.
        base, n = pid, 1
        while pid in groups.values():
            n += 1
            pid = f"{base[:76]}-{n}"
        groups[ref] = pid
        preset: Data = {"id": pid, "title": lang.both(group, "name", ref)}
        if lang.has(group, "description"):
            preset["description"] = lang.both(group, "description", ref)
        presets.append(preset)
    return presets, groups


def read_weight(r: Reader, item: dict[str, Any], at: PathKey) -> float | None:
    weight = item.get("weight")
    if weight is None:
        return None
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not 0 < weight <= 100:
        r.add((*at, "weight"), "weight must be a number above 0 and at most 100")
        return None
    return float(weight)


def read_groups(
    r: Reader, item: dict[str, Any], at: PathKey, groups: dict[str, str], unknown: set[str]
) -> list[str]:
    """The node's presets. A group the framework does not define (published libraries have
    a few, misspelt) is left out and collected in `unknown` for a note."""
    raw = item.get("implementation_groups") or []
    if not isinstance(raw, list):
        r.add((*at, "implementation_groups"), "expected a list of group ref_ids")
        return []
    out: list[str] = []
    for value in raw:
        ref = plain(value)
        if ref is not None and ref not in groups:
            unknown.add(ref)
        elif ref is not None and groups[ref] not in out:
            out.append(groups[ref])
    return out


def read_asked(r: Reader, item: dict[str, Any], at: PathKey) -> list[Asked]:
    raw = item.get("questions")
    if raw is None:
        return []
    if not isinstance(raw, dict):
        r.add((*at, "questions"), "expected a mapping of questions keyed by their urn")
        return []
    out: list[Asked] = []
    for urn, question in raw.items():
        here = (*at, "questions", urn)
        if not isinstance(question, dict):
            r.add(here, "a question is a mapping (type, text, choices)")
            continue
        kind = plain(question.get("type")) or "text"
        raw_choices = question.get("choices")
        if kind in CHOICE_TYPES and (not isinstance(raw_choices, list) or not raw_choices):
            r.add((*here, "type"), f"a {kind} question needs choices")
        choices: list[Choice] = []
        for k, choice in enumerate(raw_choices if isinstance(raw_choices, list) else []):
            if not isinstance(choice, dict):
                r.add((*here, "choices", k), "a choice is a mapping (urn, value, add_score)")
                continue
            score = choice.get("add_score")
            if score is not None and (
                isinstance(score, bool) or not isinstance(score, int | float)
            ):
                r.add((*here, "choices", k, "add_score"), "add_score must be a number")
                score = None
            curn = plain(choice.get("urn")) or f"{urn}:{k + 1}"
            choices.append(Choice(curn, choice, None if score is None else float(score)))
        out.append(Asked(str(urn), question, kind, choices))
    return out
