"""A CISO Assistant requirement mapping set as a bank crosswalk: the target framework's
requirements that the mappings reach become the crosswalk's items, and each source
question lists the items its requirement maps to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from assessment.common.errors import Problem, did_you_mean
from assessment.io.bank_import.ciso_build import node_title
from assessment.io.bank_import.ciso_parse import Library, Node, urn_tail
from assessment.io.bank_import.ciso_text import Reader, plain, spelled
from assessment.io.bank_import.draft import Data, question_id
from assessment.load.yamlio import Located, PathKey

RELATIONSHIPS = ("equal", "subset", "superset", "intersect", "not_related")


@dataclass
class Crosswalk:
    key: str  # the target's bank id
    entry: Data | None  # the manifest's crosswalks[key]; None when no mapping was kept
    links: dict[str, Data]  # source node urn -> {key: [item ids]}
    notes: list[tuple[str, str]] = field(default_factory=list)


def _sets(r: Reader, data: Any) -> list[tuple[PathKey, dict[str, Any]]]:
    objects = data.get("objects") if isinstance(data, dict) else None
    if not isinstance(objects, dict):
        return []
    out: list[tuple[PathKey, dict[str, Any]]] = []
    one = objects.get("requirement_mapping_set")
    if isinstance(one, dict):
        out.append((("objects", "requirement_mapping_set"), one))
    many = objects.get("requirement_mapping_sets")
    for j, item in enumerate(many if isinstance(many, list) else []):
        at: PathKey = ("objects", "requirement_mapping_sets", j)
        if isinstance(item, dict):
            out.append((at, item))
        else:
            r.add(at, "expected a mapping set (source_framework_urn, requirement_mappings …)")
    return out


def _framework(
    r: Reader, at: PathKey, mapping_set: dict[str, Any], side: str, lib: Library | None
) -> bool:
    """Whether the set's framework on this side is the library's (unknown counts as not)."""
    key = f"{side}_framework_urn"
    urn = plain(mapping_set.get(key))
    if lib is None or lib.urn is None:
        return False
    if urn != lib.urn:
        which = "library" if side == "source" else "target library"
        r.add((*at, key), f"{side} framework {urn!r} is not the {which}'s ({lib.urn!r})")
        return False
    return True


def _node(
    r: Reader, at: PathKey, mapping: dict[str, Any], side: str, lib: Library, check: bool
) -> Node | None:
    key = f"{side}_requirement_urn"
    urn = plain(mapping.get(key))
    node = lib.nodes.get(urn or "")
    if node is None and check:
        hint = did_you_mean(urn, lib.nodes) if urn else ""
        r.add((*at, key), f"{key} {urn!r} names no requirement of {lib.urn}{hint}")
    return node


def read_mapping(
    src: Located, problems: list[Problem], source: Library | None, target: Library | None
) -> Crosswalk | None:
    r = Reader(src, problems)
    sets = _sets(r, src.data)
    if not sets:
        message = "no requirement_mapping_set in objects: this is not a mapping library"
        r.add(("objects",), message, key=True)
        return None
    if target is None:
        r.add(
            (*sets[0][0], "target_framework_urn"),
            "a mapping needs the library of its target framework too (--target)",
        )
    # Published mapping libraries hold the mapping both ways: with a set from the library to
    # the target, the set the other way round is not the one asked for.
    forward = [s for s in sets if _direction(s[1], source, target) == "forward"]
    backward = [s for s in sets if _direction(s[1], source, target) == "backward"]
    if forward:
        sets = [s for s in sets if s not in backward]
    found: list[tuple[Node, Node, str]] = []
    for at, mapping_set in sets:
        if not forward and _direction(mapping_set, source, target) == "backward":
            message = "maps the target library to the library: give them the other way round"
            r.add((*at, "source_framework_urn"), message)
            continue
        source_ok = _framework(r, at, mapping_set, "source", source)
        target_ok = _framework(r, at, mapping_set, "target", target)
        raw = mapping_set.get("requirement_mappings")
        if not isinstance(raw, list):
            r.add((*at, "requirement_mappings"), "expected a list of requirement mappings")
            continue
        for k, mapping in enumerate(raw):
            here = (*at, "requirement_mappings", k)
            if not isinstance(mapping, dict):
                r.add(
                    here, "expected a requirement mapping (source_requirement_urn, relationship …)"
                )
                continue
            relationship = plain(mapping.get("relationship"))
            if relationship not in RELATIONSHIPS:
                r.add(
                    (*here, "relationship"),
                    f"relationship {relationship!r} is not one of {', '.join(RELATIONSHIPS)}",
                )
            # A side whose framework is not the library's would only repeat that for each URN.
            a = _node(r, here, mapping, "source", source, source_ok) if source else None
            b = _node(r, here, mapping, "target", target, target_ok) if target else None
            if a is not None and b is not None and relationship in RELATIONSHIPS:
                found.append((a, b, relationship))
    if source is None or target is None:
        return None
    crosswalk = _crosswalk(target, found)
    if forward and backward:
        crosswalk.notes.append(
            (
                f"映射库中反方向的 {len(backward)} 个映射集已略去。",
                f"The mapping library's {len(backward)} set(s) the other way round were left out.",
            )
        )
    return crosswalk


def _direction(mapping_set: dict[str, Any], source: Library | None, target: Library | None) -> str:
    if source is None or target is None:
        return ""
    sides = (
        plain(mapping_set.get("source_framework_urn")),
        plain(mapping_set.get("target_framework_urn")),
    )
    if sides == (source.urn, target.urn):
        return "forward"
    return "backward" if sides == (target.urn, source.urn) else ""


def _crosswalk(target: Library, found: list[tuple[Node, Node, str]]) -> Crosswalk:
    key = question_id(spelled(target.ref or "")) or "target"
    target.lang.filled.clear()  # only the titles below show on the bank's pages
    kept: Counter[str] = Counter()
    not_related = unasked = 0
    reached: list[tuple[Node, Node]] = []
    for a, b, relationship in found:
        if relationship == "not_related":
            not_related += 1
        elif not a.assessable:
            unasked += 1  # the bank asks nothing about the requirement: nothing to tag
        else:
            kept[relationship] += 1
            reached.append((a, b))
    ids: dict[str, str] = {}
    items: list[Data] = []
    for b in sorted({b.urn: b for _, b in reached}.values(), key=lambda n: n.index):
        # The id the target bank gives the requirement, where it asks about it.
        base = b.qid or question_id(spelled(b.ref or "")) or question_id(urn_tail(b.urn))
        base = base or "item"
        item, n = base, 1
        while item in ids.values():
            n += 1
            item = f"{base[:76]}-{n}"
        ids[b.urn] = item
        items.append({"id": item, "title": node_title(target.lang, b)})
    links: dict[str, Data] = {}
    for a, b in reached:
        listed = links.setdefault(a.urn, {key: []})[key]
        if ids[b.urn] not in listed:
            listed.append(ids[b.urn])
    entry = None
    if items:
        entry = {"title": target.lang.both(target.data, "name", target.ref or key), "items": items}
    counts = ", ".join(f"{kind} {kept[kind]}" for kind in RELATIONSHIPS if kept[kind])
    notes = [
        (
            f"对照表 {key}：保留 {sum(kept.values())} 条映射（{counts or '无'}），"
            f"略去 {not_related} 条 not_related 映射和 {unasked} 条来自不评估要求的映射。",
            f"Crosswalk {key}: {sum(kept.values())} mappings kept ({counts or 'none'}); "
            f"left out {not_related} not_related and {unasked} from requirements that are "
            "not assessed.",
        )
    ]
    where = (f"对照表 {key}：", f"Crosswalk {key}: ")
    notes += target.lang.notes(where)
    return Crosswalk(key, entry, links, notes)
