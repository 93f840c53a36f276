"""Reading a CISO Assistant framework library: its requirement nodes as a checked tree with
the ids they will have in the bank, its score range and its implementation groups. Every
problem is located in the library and collected, never raised, so one run reports them all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assessment.common.errors import InputError, Problem, did_you_mean
from assessment.common.files import read_user_file
from assessment.io.bank_import.ciso_fields import (
    Asked,
    read_asked,
    read_groups,
    read_presets,
    read_weight,
)
from assessment.io.bank_import.ciso_scale import Scale, read_scale
from assessment.io.bank_import.ciso_text import Languages, Reader, plain, spelled
from assessment.io.bank_import.draft import Data, clause_id, question_id
from assessment.load.yamlio import MAX_FILE_BYTES, Located, PathKey, load_yaml_file

# A clause nests two YAML collections deeper than its parent, and the bank's reader refuses
# files nested deeper than 40: 15 levels (and a ".0" clause below them) stay well inside.
MAX_TREE_DEPTH = 15
_CLAUSE_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.]{0,19}$")
# clause_id cuts at 20 characters (19 where a dot ends the cut): a clash between ids that
# long is most likely the cut's, not the library's.
_CUT = 19


@dataclass
class Node:
    index: int
    path: PathKey
    data: dict[str, Any]
    urn: str
    ref: str | None
    parent: str | None
    depth: int | None  # as the library says
    assessable: bool
    weight: float | None
    presets: list[str]
    asked: list[Asked]
    children: list[Node] = field(default_factory=list)
    level: int = 1  # as the tree says
    clause: str = ""
    own_clause: str = ""  # the leaf clause its question goes into
    qid: str = ""
    area: str = ""  # top-level nodes only


@dataclass
class Library:
    src: Located
    lang: Languages
    data: dict[str, Any]
    urn: str | None  # the framework's
    ref: str | None
    nodes: dict[str, Node]  # every node read, by urn
    order: list[Node]  # the nodes in the tree, parents first, in document order
    roots: list[Node]
    scale: Scale | None
    presets: list[Data]
    unknown_groups: set[str]  # named by nodes, defined nowhere: left out
    cut: int  # clauses numbered because their ref_id was too long for a clause id


def read_located(
    path: Path, problems: list[Problem], files: list[tuple[str, bytes]]
) -> Located | None:
    try:
        src = load_yaml_file(path, str(path))
        # The bytes the source hash is taken of, read as carefully as the YAML was.
        files.append((path.name, read_user_file(path, str(path), MAX_FILE_BYTES)))
    except InputError as exc:
        problems.extend(exc.problems)
        return None
    return src


def read_library(
    path: Path, problems: list[Problem], files: list[tuple[str, bytes]]
) -> Library | None:
    src = read_located(path, problems, files)
    if src is None:
        return None
    r = Reader(src, problems)
    data = src.data
    objects = data.get("objects") if isinstance(data, dict) else None
    framework = objects.get("framework") if isinstance(objects, dict) else None
    if not isinstance(data, dict) or not isinstance(framework, dict):
        r.add(("objects",), "no framework in objects: this is not a framework library", key=True)
        return None
    at: PathKey = ("objects", "framework")
    lang = Languages(plain(data.get("locale")) or "en")
    ref = r.word(data, (), "ref_id")
    if ref is None:
        r.add(("ref_id",), "the library needs a ref_id: it names the standard")
    urn = plain(framework.get("urn"))
    if urn is None:
        r.add((*at, "urn"), "the framework needs a urn")
    presets, groups = read_presets(r, lang, framework, at)
    unknown: set[str] = set()
    nodes = _nodes(r, framework, at, groups, unknown)
    roots = _link(r, nodes)
    order = _walk(r, roots, nodes)
    cut = _clause_ids(r, order, nodes)
    _question_ids(r, order)
    _area_ids(roots)
    scale = read_scale(r, lang, framework, at)
    return Library(src, lang, data, urn, ref, nodes, order, roots, scale, presets, unknown, cut)


def _nodes(
    r: Reader, framework: dict[str, Any], at: PathKey, groups: dict[str, str], unknown: set[str]
) -> dict[str, Node]:
    raw = framework.get("requirement_nodes")
    at = (*at, "requirement_nodes")
    if not isinstance(raw, list) or not raw:
        r.add(at, "the framework has no requirement_nodes")
        return {}
    nodes: dict[str, Node] = {}
    for i, item in enumerate(raw):
        here = (*at, i)
        urn = plain(item.get("urn")) if isinstance(item, dict) else None
        if not isinstance(item, dict) or urn is None:
            r.add(here, "a requirement node needs a urn")
            continue
        if urn in nodes:
            first = r.line(nodes[urn].path)
            r.add((*here, "urn"), f"duplicate urn {urn!r} (first on line {first})")
            continue
        depth = item.get("depth")
        if depth is not None and (isinstance(depth, bool) or not isinstance(depth, int)):
            r.add((*here, "depth"), "depth must be a whole number")
            depth = None
        assessable = item.get("assessable", False)
        if not isinstance(assessable, bool):
            r.add((*here, "assessable"), "assessable must be true or false")
            assessable = False
        nodes[urn] = Node(
            index=i,
            path=here,
            data=item,
            urn=urn,
            ref=r.word(item, here, "ref_id"),
            parent=plain(item.get("parent_urn")),
            depth=depth,
            assessable=assessable,
            weight=read_weight(r, item, here),
            presets=read_groups(r, item, here, groups, unknown),
            asked=read_asked(r, item, here),
        )
    return nodes


def _link(r: Reader, nodes: dict[str, Node]) -> list[Node]:
    """Hang each node below its parent; the nodes without one are the roots."""
    roots: list[Node] = []
    for node in nodes.values():
        if node.parent is None:
            roots.append(node)
        elif node.parent not in nodes or node.parent == node.urn:
            what = "the node itself" if node.parent == node.urn else "no node"
            hint = did_you_mean(node.parent, nodes) if node.parent not in nodes else ""
            r.add((*node.path, "parent_urn"), f"parent_urn {node.parent!r} names {what}{hint}")
        else:
            nodes[node.parent].children.append(node)
    return roots


def _walk(r: Reader, roots: list[Node], nodes: dict[str, Node]) -> list[Node]:
    """The tree in document order, parents first, each node's depth checked."""
    order: list[Node] = []
    stack: list[tuple[Node, Node | None]] = [(node, None) for node in reversed(roots)]
    too_deep = False
    while stack:
        node, parent = stack.pop()
        order.append(node)
        if parent is None:
            if node.depth is not None and node.depth != 1:
                message = f"depth {node.depth} on a node without parent_urn: expected 1"
                r.add((*node.path, "depth"), message)
        else:
            # The tree is made from parent_urn alone; a depth is only checked against the
            # parent's, where both are given (some libraries wrap their top level in a node
            # without depth).
            node.level = parent.level + 1
            above = parent.depth
            if node.depth is not None and above is not None and node.depth != above + 1:
                r.add(
                    (*node.path, "depth"),
                    f"depth {node.depth} below its parent's depth {above}: expected {above + 1}",
                )
        if node.level > MAX_TREE_DEPTH and not too_deep:
            too_deep = True
            r.add(node.path, f"nested more than {MAX_TREE_DEPTH} levels deep")
        stack += [(child, node) for child in reversed(node.children)]
    reached = {node.urn for node in order}
    for node in nodes.values():
        # Below an existing parent yet never reached from a root: on a loop, or hanging
        # below one (the loop itself is what gets reported).
        if node.urn in reached or node.parent not in nodes or node.parent == node.urn:
            continue
        seen = {node.urn}
        up = nodes[node.parent]
        while up.parent in nodes and up.urn not in seen:
            seen.add(up.urn)
            up = nodes[up.parent]
        if up.urn == node.urn:
            r.add((*node.path, "parent_urn"), "parent_urn leads round in a loop back to this node")
    return order


def _clause_ids(r: Reader, order: list[Node], nodes: dict[str, Node]) -> int:
    """ref_ids become clause ids first, so that a node without a usable one takes a numbered
    id no ref_id can claim after it. Returns how many ref_ids were cut to a clash."""
    by_ref: dict[str, Node] = {}
    taken: dict[str, Node] = {}
    cut = 0
    for node in order:
        if node.ref is None:
            continue
        if node.ref in by_ref:
            first = r.line((*by_ref[node.ref].path, "ref_id"))
            r.add((*node.path, "ref_id"), f"duplicate ref_id {node.ref!r} (first on line {first})")
            continue
        by_ref[node.ref] = node
        cid = clause_id(spelled(node.ref))
        if cid in taken and len(cid) >= _CUT:
            cut += 1  # long ref_ids that differ only past the cut: numbered below instead
        elif cid in taken:
            other = taken[cid]
            r.add(
                (*node.path, "ref_id"),
                f"ref_id {node.ref!r} gives clause id {cid!r}, as ref_id {other.ref!r} "
                f"on line {r.line((*other.path, 'ref_id'))} does",
            )
        elif cid:
            taken[cid] = node
            node.clause = cid
    spare = _Spare(set(taken))
    siblings: dict[str | None, int] = {}
    for node in order:
        position = siblings[node.parent] = siblings.get(node.parent, 0) + 1
        if not node.clause:
            above = f"{nodes[node.parent].clause}." if node.parent else ""
            node.clause = spare.take(f"{above}{position}")
        node.own_clause = node.clause
        if node.assessable and node.children:
            # A question must sit in a leaf clause: a requirement that is assessed and has
            # sub-requirements too gets a first sub-clause, titled like it, for its question.
            node.own_clause = spare.take(f"{node.clause}.0")
    return cut


class _Spare:
    """Clause ids not yet used: the one asked for where it is free and valid, else N1, N2 …"""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.count = 0

    def take(self, wanted: str) -> str:
        while not _CLAUSE_ID.match(wanted) or wanted in self.taken:
            self.count += 1
            wanted = f"N{self.count}"
        self.taken.add(wanted)
        return wanted


def _question_ids(r: Reader, order: list[Node]) -> None:
    """ref_ids become question ids, a clash reported; a node without a usable ref_id is
    named by its urn, numbered apart where that clashes (nobody wrote it as an id)."""
    assessed = [node for node in order if node.assessable]
    taken: dict[str, Node] = {}
    for node in assessed:
        qid = question_id(spelled(node.ref or ""))
        other = taken.get(qid)
        if other is not None and node.ref != other.ref:  # the same ref_id: reported above
            r.add(
                (*node.path, "ref_id"),
                f"ref_id {node.ref!r} gives question id {qid!r}, as ref_id {other.ref!r} "
                f"on line {r.line((*other.path, 'ref_id'))} does",
            )
        if qid:
            taken.setdefault(qid, node)
            node.qid = qid
    for node in assessed:
        if node.qid:
            continue
        base = question_id(urn_tail(node.urn)) or f"q{node.index + 1}"
        qid, n = base, 1
        while qid in taken:
            n += 1
            qid = f"{base[:76]}-{n}"
        taken[qid] = node
        node.qid = qid


def urn_tail(urn: str) -> str:
    """What names a node within its framework: the urn past "req_node:<framework>:"."""
    parts = urn.split(":")
    if "req_node" in parts and len(parts) > parts.index("req_node") + 2:
        return ":".join(parts[parts.index("req_node") + 2 :])
    return parts[-1]


def _area_ids(roots: list[Node]) -> None:
    """Areas are named by the top-level nodes; an id only groups, so a clash is numbered away."""
    taken: set[str] = set()
    for n, node in enumerate(roots, start=1):
        named = spelled(node.ref) if node.ref else plain(node.data.get("name"))
        base = question_id(named or "") or f"area-{n}"
        aid, k = base, 1
        while aid in taken:
            k += 1
            aid = f"{base[:76]}-{k}"
        taken.add(aid)
        node.area = aid
