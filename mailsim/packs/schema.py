"""Validate pack YAML against the published JSON Schemas, with file, line and column.

The loader validates with the very files it publishes (``schemas/pack.schema.json``
and ``schemas/lab.schema.json``), so an editor that validates as the instructor
types and ``mailsim pack validate`` can never disagree. Only the subset of JSON
Schema those files use is implemented: type, const, enum, properties, required,
additionalProperties, patternProperties, minProperties, items, minItems,
maxItems, uniqueItems, pattern, maxLength, minimum, maximum, anyOf and local $ref.
"""

from __future__ import annotations

import difflib
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from mailsim.packs.problems import Problem
from mailsim.packs.yamlsrc import Location, YamlDoc

SCHEMA_DIR = Path(__file__).parent / "schemas"

_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
    "null": (type(None),),
}
_TYPE_WORDS = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "empty",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """``"pack"`` or ``"lab"``: the published schema as a dict."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


def _is_type(value: Any, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "empty"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "a string"
    return type(value).__name__


def _name(path: Location) -> str:
    shown = ""
    for part in path:
        shown += f"[{part}]" if isinstance(part, int) else (f".{part}" if shown else str(part))
    return shown or "document"


class _Validator:
    def __init__(self, root: dict[str, Any], doc: YamlDoc) -> None:
        self.root = root
        self.doc = doc
        self.problems: list[Problem] = []

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            ref = schema["$ref"]
            node: Any = self.root
            for part in ref.lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def add(self, path: Location, message: str, at_key: bool = False) -> None:
        self.problems.append(self.doc.problem(path, f"{_name(path)}: {message}", at_key=at_key))

    def check(self, schema: dict[str, Any], value: Any, path: Location) -> None:
        schema = self.resolve(schema)
        if "anyOf" in schema:
            self._any_of(schema["anyOf"], value, path)
            return
        if "const" in schema and value != schema["const"]:
            self.add(path, f"must be {schema['const']!r}")
            return
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(str(v) for v in schema["enum"])
            self.add(path, f"'{value}' is not one of: {allowed}")
            return
        wanted = schema.get("type")
        if wanted is not None:
            names = [wanted] if isinstance(wanted, str) else list(wanted)
            if not any(_is_type(value, n) for n in names):
                words = " or ".join(_TYPE_WORDS[n] for n in names)
                hint = (
                    ' (quote it: "1.0")' if isinstance(value, float) and "string" in names else ""
                )
                self.add(path, f"must be {words}, not {_describe(value)}{hint}")
                return
        if isinstance(value, str):
            self._string(schema, value, path)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                self.add(path, f"must be at least {schema['minimum']}")
            if "maximum" in schema and value > schema["maximum"]:
                self.add(path, f"must be at most {schema['maximum']}")
        elif isinstance(value, list):
            self._array(schema, value, path)
        elif isinstance(value, dict):
            self._object(schema, value, path)

    def _any_of(self, options: list[dict[str, Any]], value: Any, path: Location) -> None:
        fitting = []
        for option in options:
            trial = _Validator(self.root, self.doc)
            trial.check(option, value, path)
            if not trial.problems:
                return
            wanted = self.resolve(option).get("type")
            names = [wanted] if isinstance(wanted, str) else list(wanted or [])
            if any(_is_type(value, n) for n in names):
                fitting.append(trial.problems)
        if len(fitting) == 1:
            self.problems.extend(fitting[0])
            return
        kinds = []
        for option in options:
            wanted = self.resolve(option).get("type")
            kinds.extend([wanted] if isinstance(wanted, str) else list(wanted or []))
        words = " or ".join(_TYPE_WORDS.get(k, k) for k in dict.fromkeys(kinds))
        self.add(path, f"must be {words}, not {_describe(value)}")

    def _string(self, schema: dict[str, Any], value: str, path: Location) -> None:
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            self.add(path, f"is too long ({len(value)} characters, limit {schema['maxLength']})")
        pattern = schema.get("pattern")
        if pattern is not None and not re.search(pattern, value):
            self.add(path, f"'{value}' does not have the required form ({pattern})")

    def _array(self, schema: dict[str, Any], value: list[Any], path: Location) -> None:
        if "minItems" in schema and len(value) < schema["minItems"]:
            self.add(path, f"needs at least {schema['minItems']} item(s)")
        if "maxItems" in schema and len(value) > schema["maxItems"]:
            self.add(path, f"has more than {schema['maxItems']} items")
        if schema.get("uniqueItems"):
            seen: list[Any] = []
            for index, item in enumerate(value):
                if item in seen:
                    self.add((*path, index), f"'{item}' is given twice")
                seen.append(item)
        items = schema.get("items")
        if items is not None:
            for index, item in enumerate(value):
                self.check(items, item, (*path, index))

    def _object(self, schema: dict[str, Any], value: dict[Any, Any], path: Location) -> None:
        props: dict[str, Any] = schema.get("properties", {})
        patterns: dict[str, Any] = schema.get("patternProperties", {})
        for key in schema.get("required", []):
            if key not in value:
                self.add(path, f"missing required key '{key}'")
        if "minProperties" in schema and len(value) < schema["minProperties"]:
            self.add(path, "must not be empty")
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            child = (*path, key)
            if not isinstance(key, str):
                self.add(child, f"key {key!r} must be a string", at_key=True)
                continue
            if key in props:
                self.check(props[key], item, child)
                continue
            matched = [s for p, s in patterns.items() if re.search(p, key)]
            if matched:
                for sub in matched:
                    self.check(sub, item, child)
                continue
            if extra is False:
                close = difflib.get_close_matches(key, list(props), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problems.append(
                    self.doc.problem(child, f"unknown key '{key}'{hint}", at_key=True)
                )
            elif isinstance(extra, dict):
                self.check(extra, item, child)


def validate(
    doc: YamlDoc, schema_name: str, data: Any = None, path: Location = ()
) -> list[Problem]:
    """Problems of ``doc`` (or of ``data`` found at ``path`` in it) against a published schema."""
    root = load_schema(schema_name)
    validator = _Validator(root, doc)
    validator.check(root, doc.data if data is None else data, path)
    return validator.problems


def check_schema(
    doc: YamlDoc, def_name: str, schema_name: str, data: Any, path: Location
) -> list[Problem]:
    """Validate one value against ``$defs/def_name`` of a published schema."""
    root = load_schema(schema_name)
    validator = _Validator(root, doc)
    validator.check(root["$defs"][def_name], data, path)
    return validator.problems
