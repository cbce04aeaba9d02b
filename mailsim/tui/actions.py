"""TUI actions declared once: the key binding, the footer, the palette and help come from here.

A screen lists its ``Action``s in ``ACTIONS`` and sets ``BINDINGS = bindings(ACTIONS)``.
Every binding has an ``id`` (``App.set_keymap`` can rebind it) which is also the
i18n id of its label (``action.<id>``) and of its palette help (``action.<id>.help``).
The palette offers only what ``check_action`` allows now.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from textual.binding import Binding, BindingType

from mailsim.i18n import catalogue, language, t

if TYPE_CHECKING:
    from textual.dom import DOMNode


@dataclass(frozen=True)
class Action:
    id: str
    """Binding id and i18n key: ``lab.reset`` → ``action.lab.reset``."""
    key: str
    action: str
    show: bool = True
    priority: bool = False
    palette: bool = True
    """Offered in the command palette (keys like Up/Down are not)."""

    @property
    def label(self) -> str:
        return t(f"tui.action.{self.id}")

    @property
    def help(self) -> str:
        text = t(f"tui.action.{self.id}.help")
        return "" if text == f"tui.action.{self.id}.help" else text


def bindings(actions: Iterable[Action]) -> list[BindingType]:
    return [
        Binding(a.key, a.action, a.id, show=a.show, priority=a.priority, id=a.id) for a in actions
    ]


def localise(node: DOMNode) -> None:
    """Show binding labels in the learner's language.

    Binding descriptions are fixed when a class is defined, before the language is
    known; each node gets its own copy of the bindings map (``DOMNode._bindings``),
    so we swap in translated copies there. Textual is pinned exactly and
    ``tests/test_tui_actions.py`` fails if this stops reaching the footer.
    """
    known = catalogue(language())
    english = catalogue("en")
    for key, items in list(node._bindings.key_to_bindings.items()):
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(f"tui.action.{b.id}"))
            if b.id and (f"tui.action.{b.id}" in known or f"tui.action.{b.id}" in english)
            else b
            for b in items
        ]
