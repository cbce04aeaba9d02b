"""The command palette: every action that can run now, and a search over the content.

"Maildir" finds the lesson and its pages, the lab, and the Postfix parameters and
Dovecot settings whose names contain it.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from mailsim.i18n import t
from mailsim.tui.actions import Action

if TYPE_CHECKING:
    from mailsim.tui.app import MailsimApp


def _actions_for(node: Any) -> list[Action]:
    return list(getattr(type(node), "ACTIONS", ()))


class ActionsProvider(Provider):
    """The actions of the current screen and of the app."""

    def _available(self) -> list[tuple[Action, Any]]:
        screen = self.screen
        app = self.app
        found: list[tuple[Action, Any]] = []
        for node in (screen, app):
            for action in _actions_for(node):
                if not action.palette:
                    continue
                name = action.action.split("(", 1)[0]
                if name.startswith("app."):
                    target: Any = app
                    name = name[4:]
                else:
                    target = node
                try:
                    allowed = target.check_action(name, ())
                except Exception:  # a screen's check may assume a mounted widget
                    allowed = True
                if allowed:  # None is "shown but disabled": not runnable now
                    found.append((action, node))
        return found

    def _run(self, action: Action, node: Any) -> None:
        self.app.call_later(node.run_action, action.action)

    async def discover(self) -> Hits:
        for action, node in self._available():
            yield DiscoveryHit(action.label, partial(self._run, action, node), help=action.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action, node in self._available():
            score = matcher.match(action.label)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.label),
                    partial(self._run, action, node),
                    help=action.help,
                )


class ContentProvider(Provider):
    """Lessons, pages, labs, Postfix parameters and Dovecot settings."""

    async def search(self, query: str) -> Hits:
        if len(query.strip()) < 2:
            return
        app: MailsimApp = self.app  # type: ignore[assignment]
        from mailsim.tui.data.search import search_entries

        entries = await asyncio.to_thread(search_entries, app.catalog_or_none(), app.lang)
        matcher = self.matcher(query)
        needle = query.strip().lower()
        for entry in entries:
            score = matcher.match(entry.title)
            if score <= 0 and needle in entry.body:
                score = 0.3
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(entry.title) if score > 0.3 else entry.title,
                    partial(app.open_entry, entry),
                    help=t(f"tui.search.kind.{entry.kind}"),
                )
