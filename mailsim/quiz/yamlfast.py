"""Bank files parsed with libyaml's safe parser when PyYAML has it.

``mailsim.packs.yamlsrc`` composes nodes with PyYAML's pure-Python parser, which
takes about 8 s for a 5,000-question bank; libyaml's ``CSafeLoader`` gives the
same nodes and the same marks in about a quarter of that. This module feeds
libyaml's nodes to yamlsrc's own builder (so limits, marks and duplicate-key
records are yamlsrc's) and defers to ``yamlsrc.load_yaml`` for everything else:
missing files, size limits, encoding errors, or a PyYAML without libyaml.
It goes away once yamlsrc picks libyaml itself.
"""

from __future__ import annotations

import os
from pathlib import Path

from mailsim.packs import yamlsrc
from mailsim.packs.problems import Problem
from mailsim.packs.yamlsrc import YamlDoc, YamlSourceError


def load(path: str | os.PathLike[str], display: str) -> YamlDoc:
    """Like ``yamlsrc.load_yaml(path, display=display)``."""
    import yaml

    loader_class = getattr(yaml, "CSafeLoader", None)
    builder_class = getattr(yamlsrc, "_Builder", None)
    if loader_class is None or builder_class is None:
        return yamlsrc.load_yaml(path, display=display)
    try:
        raw = Path(path).read_bytes()
        if len(raw) > yamlsrc.MAX_FILE_BYTES:
            raise ValueError("too large")
        text = raw.decode("utf-8")
    except (OSError, ValueError):
        return yamlsrc.load_yaml(path, display=display)  # its problem says why
    loader = loader_class(text)
    try:
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        doc = YamlDoc(display, None)
        if node is not None:
            doc.data = builder_class(loader, doc).build(node, ())
        return doc
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        message = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if mark is None:
            raise YamlSourceError(Problem(display, None, None, message)) from None
        raise YamlSourceError(Problem(display, mark.line + 1, mark.column + 1, message)) from None
    except yaml.YAMLError as e:
        raise YamlSourceError(Problem(display, None, None, str(e))) from None
    except RecursionError:
        raise YamlSourceError(
            Problem(display, None, None, "document is nested too deeply")
        ) from None
