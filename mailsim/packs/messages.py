"""Messages from the grader: an i18n id plus parameters, rendered in the learner's language.

A parameter may itself be a ``Msg`` (a check's "what the task needs" inside a
reason), rendered first. Values from the machine or the pack are cleaned of
control characters before they reach a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mailsim.packs.text import clean


@dataclass(frozen=True, init=False)
class Msg:
    """``Msg("packs.check.file.missing", file="/etc/aliases")``."""

    id: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, id: str, params: dict[str, Any] | None = None, /, **kwargs: Any) -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "params", {**(params or {}), **kwargs})

    def render(self, lang: str | None = None) -> str:
        return render(self, lang)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "params": {k: v.to_json() if isinstance(v, Msg) else v for k, v in self.params.items()},
        }


def render(msg: Msg, lang: str | None = None) -> str:
    from mailsim.i18n import t

    params: dict[str, Any] = {}
    for key, value in msg.params.items():
        if isinstance(value, Msg):
            params[key] = render(value, lang)
        elif isinstance(value, str):
            params[key] = clean(value)
        elif isinstance(value, list | tuple):
            params[key] = ", ".join(clean(str(v)) for v in value)
        else:
            params[key] = value
    return t(msg.id, lang, **params)
