"""Safe YAML reading that remembers where every value came from.

Aliases and anchors are refused before composing (a "billion laughs" document is cheap to
parse but explodes on traversal), duplicate keys are errors (safe_load keeps the last one
silently) and every scalar is constructed on its own so a bad date can be reported with its
position. Text that holds no character that could start an anchor, alias or tag skips the
event pre-scan (libyaml itself stops at 1,000 levels, and the builder counts levels), which
with positions looked up only on demand makes reading a file a little faster than
yaml.safe_load (tests/test_yaml_reader.py holds both paths to the same result).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assessment.common.collector import collector_paused
from assessment.common.errors import InputError, Problem, format_path
from assessment.common.files import read_user_file

Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Far above any answers file or bank file (`cxassess new` writes about 1.2 kB a question: 16 MiB
# holds a template for some 13,000), and still keeps a stray huge file out.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Located:
    """Plain data from a YAML file, and where each of its values was written.

    Positions are looked up in the composed node tree only when a message needs one: most
    files have no problem, and recording the line and column of every value up front cost
    more than reading the file.
    """

    file: str
    data: Any
    root: yaml.Node | None = None
    # The text of values YAML read as numbers with a fraction, where the text says more.
    raw: dict[PathKey, str] = field(default_factory=dict)
    # Read with keep_going: what YAML itself could not take (a bad date, a repeated key),
    # and the values left out of `data` for it, so the structure layer reports the rest.
    problems: tuple[Problem, ...] = ()
    failed: frozenset[PathKey] = frozenset()

    def mark(self, path: PathKey, *, key: bool = False) -> tuple[int, int]:
        """1-based (line, col) of the value (or with key=True, of the key) at `path`; a path
        that does not exist (a missing field) points at the deepest part of it that does."""
        node, key_node = self.root, None
        for part in path:
            if node is None:
                break
            node, key_node = _child(node, part)
        if key and key_node is not None and node is not None:
            return _mark_of(key_node.start_mark)
        if node is None:
            found = _deepest(self.root, path)
            return (1, 1) if found is None else _mark_of(found.start_mark)
        return _mark_of(node.start_mark)

    def problem(self, path: PathKey, message: str, *, key: bool = False) -> Problem:
        line, col = self.mark(path, key=key)
        return Problem(self.file, line, col, format_path(path), message)


def _child(node: yaml.Node, part: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    """The node under `part` and its key node, the first of duplicates as the data keeps."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and _key_of(key_node) == part:
                return value_node, key_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part >= 0:
        return (node.value[part] if part < len(node.value) else None), None
    return None, None


def _deepest(root: yaml.Node | None, path: PathKey) -> yaml.Node | None:
    node = root
    for part in path:
        child = None if node is None else _child(node, part)[0]
        if child is None:
            return node
        node = child
    return node


def _key_of(key_node: yaml.ScalarNode) -> Any:
    # As _Builder names keys: numbers and names as written, "6.10" stays 6.10, "no" stays "no".
    if key_node.tag == _INT_TAG:
        try:
            return yaml.SafeLoader("").construct_yaml_int(key_node)
        except ValueError:
            return key_node.value
    return key_node.value


def read_text(path: Path, display: str | None = None) -> str:
    """Read a user file as UTF-8 (a BOM is dropped), refusing oversized, non-regular and
    undecodable files."""
    name = display or str(path)
    raw = read_user_file(path, name, MAX_FILE_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        message = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); {_encoding_hint(raw)}"
        raise InputError([Problem(name, line, col, "", message)]) from None
    return text.replace("\r\n", "\n")


def _encoding_hint(raw: bytes) -> str:
    """What a non-programmer can do: which encoding the file seems to be in, and the fix."""
    fix = (
        "open it in your editor and save it as UTF-8 (in Excel or Notepad: Save As, Encoding UTF-8)"
    )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"the file is saved as UTF-16; {fix}"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return f"the file is saved in another encoding; {fix}"
    return f"the file seems to be saved as GBK/GB18030 (usual on Chinese Windows); {fix}"


# What the parser says, and what a person can do about it.
_TAB_HINT = "a tab: YAML is indented with spaces only; replace the tab with spaces"
_HINTS = (
    ("mapping values are not allowed", "a second ':' in a value? put the value in quotes"),
    ("could not find expected ':'", "a line that is not 'key: value', or a quote left open?"),
    ("found undefined alias", "'*' starts an alias; put text starting with * in quotes"),
)


def _yaml_message(exc: yaml.MarkedYAMLError, text: str) -> str:
    problem = str(exc.problem)
    hint = next((h for start, h in _HINTS if problem.startswith(start)), None)
    mark = exc.problem_mark
    # libyaml does not name the character it stumbled on; the text does.
    at = getattr(mark, "index", None) if mark is not None else None
    if problem.startswith("found character") and at is not None and text[at : at + 1] == "\t":
        hint = _TAB_HINT
    return f"invalid YAML: {problem}" + (f" ({hint})" if hint else "")


def _mark_of(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _prescan(text: str, name: str) -> None:
    """Refuse anchors, aliases and runaway nesting before anything is built from the text."""
    problems: list[Problem] = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=Loader):
            line, col = _mark_of(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                problems.append(Problem(name, line, col, "", "aliases (*name) are not allowed"))
            elif getattr(event, "anchor", None):
                problems.append(Problem(name, line, col, "", "anchors (&name) are not allowed"))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    problems.append(
                        Problem(name, line, col, "", f"nested deeper than {MAX_DEPTH} levels")
                    )
                    break
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if len(problems) >= 20:
                break
    except yaml.MarkedYAMLError as exc:
        line, col = _mark_of(exc.problem_mark)
        raise InputError([Problem(name, line, col, "", _yaml_message(exc, text))]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        message = f"invalid YAML: character #x{exc.character:04x} is not allowed ({exc.reason})"
        raise InputError([Problem(name, line, col, "", message)]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, 1, 1, "", f"invalid YAML: {exc}")]) from None
    if problems:
        raise InputError(problems)


_RESOLVER: Any = yaml.resolver.Resolver()
_PLAIN_COLLECTIONS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"


class _Builder:
    def __init__(self, name: str, *, tags_possible: bool) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.constructor = yaml.SafeLoader("")
        self.raw: dict[PathKey, str] = {}
        self.failed: set[PathKey] = set()
        # Without a "!" where a token may start, no scalar carries an explicit tag, so every
        # tag is the one its text resolves to and need not be resolved a second time.
        self.tags_possible = tags_possible

    def close(self) -> None:
        # The constructor remembers every node it built and, like any PyYAML loader, refers
        # to itself through its parser states: left alone, each loaded file would stay behind
        # as thousands of nodes and marks that only a full pass of the cycle collector frees.
        self.constructor.constructed_objects.clear()
        self.constructor.dispose()

    def _refuse(
        self, node: yaml.Node, path: PathKey, message: str, *, left_out: bool = True
    ) -> None:
        line, col = _mark_of(node.start_mark)
        self.problems.append(Problem(self.name, line, col, format_path(path), message))
        if left_out:
            self.failed.add(path)

    def build(self, node: yaml.Node, path: PathKey) -> Any:
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, path)
        if node.tag not in _PLAIN_COLLECTIONS:
            self._refuse(node, path, f"tags are not allowed ({node.tag})")
            return None
        if len(path) >= MAX_DEPTH:
            self._refuse(node, (), f"nested deeper than {MAX_DEPTH} levels", left_out=False)
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]

    def _scalar(self, node: yaml.Node, path: PathKey, *, key: bool = False) -> Any:
        if self.tags_possible:
            plain = getattr(node, "style", None) in (None, "")
            if node.tag != _RESOLVER.resolve(yaml.ScalarNode, node.value, (plain, not plain)):
                # Only an explicit tag (!!int "2", !!binary …) gives a scalar another type
                # than its text has; the formats want plain values.
                message = f"tags are not allowed ({node.tag}); write the plain value"
                self._refuse(node, path, message, left_out=not key)
                return None
        if node.tag == _STR_TAG:
            return node.value  # what the safe constructor makes of a string, without its calls
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as exc:
            reason = getattr(exc, "problem", None) or str(exc)
            self._refuse(node, path, f"invalid value: {reason}", left_out=not key)
            return None
        if isinstance(value, float):
            self.raw[path] = node.value  # "6.10" reads as 6.1: messages quote what was written
        return value

    def _mapping(self, node: yaml.MappingNode, path: PathKey) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self._refuse(key_node, path, "keys must be plain values", left_out=False)
                continue
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._refuse(key_node, path, "merge keys (<<) are not allowed", left_out=False)
                continue
            key = self._scalar(key_node, path, key=True)
            if not isinstance(key, str | int) or isinstance(key, bool):
                # Keys are names: "6.10" stays 6.10 (not the number 6.1), "no" stays "no".
                key = key_node.value
            if key in result:
                # The first stays, as every lookup of a position finds the first.
                self._refuse(key_node, (*path, key), "duplicate key", left_out=False)
                continue
            value = self.build(value_node, (*path, key))
            if (*path, key) not in self.failed:
                result[key] = value
        return result


def _parser_caps_nesting() -> bool:
    """libyaml (0.2.5 and later) stops at 1,000 levels, so composing cannot run out of stack
    and the builder can count levels itself; PyYAML's pure-Python parser has no such limit."""
    try:
        yaml.compose("[" * 1001 + "]" * 1001, Loader=Loader)
    except yaml.YAMLError:
        return True
    except RecursionError:
        return False
    return False


_NESTING_CAPPED = _parser_caps_nesting()

# An anchor (&), alias (*) or tag (!) can only start a token: at the start of the text, after
# white space, or after a flow indicator or ':' / '?' (which need no space inside flow
# collections). Text without one holds none of them; text with one (say "P & L") only costs
# the event pre-scan that finds out.
_MARK_CHARACTERS = re.compile(r"[&*!]")
_TOKEN_START = frozenset(" \t\r\n\x85\u2028\u2029[]{},:?\ufeff")


def _marks_in(text: str, marks: str) -> bool:
    return any(
        m.group() in marks and (m.start() == 0 or text[m.start() - 1] in _TOKEN_START)
        for m in _MARK_CHARACTERS.finditer(text)
    )


# Without a parser that limits nesting, only flow collections ([ {), or "- " and "? " at the
# start of a line, let a document nest deeper than MAX_DEPTH without the pre-scan noticing.
_FLOW_CHARACTERS = re.compile(r"[\[{]")
_LINE_PREFIX = re.compile(r"^[ \-?:]*", re.MULTILINE)


def _needs_prescan(text: str) -> bool:
    if _marks_in(text, "&*"):
        return True
    if _NESTING_CAPPED:
        return False
    if _FLOW_CHARACTERS.search(text):
        return True
    return max(map(len, _LINE_PREFIX.findall(text)), default=0) + 1 >= MAX_DEPTH


def load_yaml(text: str, name: str, *, keep_going: bool = False) -> Located:
    """Parse one YAML document into plain data with positions; raise InputError on any problem,
    or with keep_going, on those that leave no data (bad syntax): the others come back in
    Located.problems, for callers that go on to the structure layer (parse_partial)."""
    with collector_paused():
        return _load_yaml(text, name, keep_going=keep_going)


def _load_yaml(text: str, name: str, *, keep_going: bool) -> Located:
    if _needs_prescan(text):
        _prescan(text, name)
    try:
        try:
            node = yaml.compose(text, Loader=Loader)
        except yaml.YAMLError:
            _prescan(text, name)  # words the problem with its position, as for any file
            raise
    except yaml.MarkedYAMLError as exc:
        line, col = _mark_of(exc.problem_mark)
        raise InputError([Problem(name, line, col, "", _yaml_message(exc, text))]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, 1, 1, "", f"invalid YAML: {exc}")]) from None
    if node is None:
        raise InputError([Problem(name, 1, 1, "", "the file is empty")])
    builder = _Builder(name, tags_possible=_marks_in(text, "!"))
    try:
        data = builder.build(node, ())
    finally:
        builder.close()
    if builder.problems and not keep_going:
        raise InputError(builder.problems)
    failed = frozenset(builder.failed)
    return Located(name, data, node, builder.raw, tuple(builder.problems), failed)


def load_yaml_file(path: Path, display: str | None = None, *, keep_going: bool = False) -> Located:
    name = display or str(path)
    return load_yaml(read_text(path, name), name, keep_going=keep_going)


def load_trusted(path: Path) -> Any:
    """YAML that ships with cxassess (interface labels, the base mkdocs.yml): read with the
    safe loader, without the positions and checks that user files get."""
    loader = Loader(path.read_text(encoding="utf-8"))
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
