"""Safe YAML loading that remembers where every value came from.

Packs and question banks are untrusted input: only ``yaml.SafeLoader`` is used
(no Python tags, no code), files and node counts are bounded (so an alias bomb
cannot exhaust memory), and every error names the file, line and column.

Usage (packs and quiz banks alike)::

    from mailsim.packs.yamlsrc import YamlSourceError, load_yaml

    try:
        doc = load_yaml(path, display="quiz/ports.yaml")
    except YamlSourceError as e:
        problems.append(e.problem)          # file:line:col of the YAML error
    else:
        doc.data                            # plain dicts, lists, str, int, bool, None
        doc.problem(("questions", 3, "id"), "duplicate id 'q1'")   # Problem at that node
        doc.line_of(("questions", 3))       # 1-based line of that node

A location path is a tuple of mapping keys and sequence indexes from the root;
``doc.where(path)`` falls back to the nearest ancestor that has a mark, so a
path to a missing key points at the mapping that lacks it.
``doc.key_where(path)`` gives the position of the key itself (for "unknown key").
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mailsim.packs.problems import ERROR, Problem

MAX_FILE_BYTES = 1_000_000
"""A single YAML file larger than this is refused (packs are text, not data dumps)."""
MAX_NODES = 200_000
"""Nodes visited while building a document, counting every alias expansion."""

Location = tuple[Any, ...]


class YamlSourceError(Exception):
    """A YAML file could not be loaded; ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


@dataclass
class YamlDoc:
    """A loaded YAML document: its data and the position of each node."""

    file: str
    """The name used in problems (relative to the pack where the caller chose so)."""
    data: Any
    marks: dict[Location, tuple[int, int]] = field(default_factory=dict)
    """Location path → (line, column) of the value, both 1-based."""
    key_marks: dict[Location, tuple[int, int]] = field(default_factory=dict)
    """Location path → (line, column) of the mapping key that names it."""
    duplicates: list[tuple[Location, int, int]] = field(default_factory=list)
    """Keys given twice in one mapping (the later value wins, as in PyYAML)."""

    def where(self, path: Location) -> tuple[int | None, int | None]:
        path = tuple(path)
        while True:
            if path in self.marks:
                return self.marks[path]
            if not path:
                return (None, None)
            path = path[:-1]

    def key_where(self, path: Location) -> tuple[int | None, int | None]:
        path = tuple(path)
        if path in self.key_marks:
            return self.key_marks[path]
        return self.where(path)

    def line_of(self, path: Location) -> int | None:
        return self.where(path)[0]

    def problem(
        self, path: Location, message: str, severity: str = ERROR, *, at_key: bool = False
    ) -> Problem:
        line, column = self.key_where(path) if at_key else self.where(path)
        return Problem(self.file, line, column, message, severity)

    def duplicate_problems(self) -> list[Problem]:
        return [
            Problem(self.file, line, col, f"duplicate key '{path[-1]}'")
            for path, line, col in self.duplicates
        ]


def _display(path: str | os.PathLike[str], display: str | None) -> str:
    return display if display is not None else str(path)


def load_yaml(
    path: str | os.PathLike[str],
    *,
    display: str | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> YamlDoc:
    """Read and parse one YAML file; raises ``YamlSourceError`` with file, line and column."""
    name = _display(path, display)
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > max_bytes:
            raise YamlSourceError(
                Problem(name, None, None, f"file is too large ({size} bytes, limit {max_bytes})")
            )
        raw = p.read_bytes()
    except OSError as e:
        raise YamlSourceError(
            Problem(name, None, None, os.strerror(e.errno) if e.errno else str(e))
        ) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise YamlSourceError(Problem(name, line, None, "not valid UTF-8")) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDoc:
    """Parse YAML text (one document) into a ``YamlDoc``.

    libyaml's ``CSafeLoader``, where PyYAML has it, composes the same nodes with
    the same marks about four times faster (a 5,000-question bank). A document it
    rejects is parsed again by the pure-Python ``SafeLoader`` so that problems
    keep one wording whichever PyYAML is installed.
    """
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _parse_with(fast, text, name)
        except YamlSourceError:
            pass
    return _parse_with(yaml.SafeLoader, text, name)


def _parse_with(loader_class: Any, text: str, name: str) -> YamlDoc:
    import yaml

    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        doc = YamlDoc(name, None)
        if node is not None:
            builder = _Builder(loader, doc)
            doc.data = builder.build(node, ())
        return doc
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = ": ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if mark is None:
            raise YamlSourceError(Problem(name, None, None, message)) from None
        raise YamlSourceError(Problem(name, mark.line + 1, mark.column + 1, message)) from None
    except yaml.YAMLError as e:
        raise YamlSourceError(Problem(name, None, None, str(e))) from None
    except RecursionError:
        raise YamlSourceError(Problem(name, None, None, "document is nested too deeply")) from None


class _Builder:
    """Turns composed nodes into plain Python values while recording their marks."""

    def __init__(self, loader: Any, doc: YamlDoc) -> None:
        self.loader = loader
        self.doc = doc
        self.count = 0

    def build(self, node: Any, path: Location) -> Any:
        import yaml

        self.count += 1
        if self.count > MAX_NODES:
            raise YamlSourceError(
                Problem(
                    self.doc.file,
                    node.start_mark.line + 1,
                    node.start_mark.column + 1,
                    f"document is too large (more than {MAX_NODES} nodes after aliases)",
                )
            )
        self.doc.marks.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            if node.tag not in ("tag:yaml.org,2002:map",):
                raise yaml.constructor.ConstructorError(
                    None, None, f"unsupported tag {node.tag!r}", node.start_mark
                )
            self.loader.flatten_mapping(node)
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.loader.construct_object(key_node, deep=True)
                if isinstance(key, list | dict):
                    raise yaml.constructor.ConstructorError(
                        "while building a mapping",
                        node.start_mark,
                        "found an unhashable key",
                        key_node.start_mark,
                    )
                child = (*path, key)
                if key in result:
                    self.doc.duplicates.append(
                        (child, key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                    )
                    self.doc.marks.pop(child, None)
                self.doc.key_marks[child] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                result[key] = self.build(value_node, child)
            return result
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise yaml.constructor.ConstructorError(
                    None, None, f"unsupported tag {node.tag!r}", node.start_mark
                )
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)
