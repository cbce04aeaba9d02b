"""What the palette's content search looks through, built once per catalogue and language."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mailsim.tui.data.catalog import Catalog


@dataclass(frozen=True)
class Entry:
    kind: str
    """lesson, page, lab, postfix or dovecot."""
    title: str
    body: str = ""
    """Lower-cased text also searched (a page's Markdown)."""
    pack: str = ""
    lesson: str = ""
    page: int = 0
    lab: str = ""
    value: str = ""
    """A parameter's or setting's default."""


def search_entries(catalog: Catalog | None, lang: str) -> list[Entry]:
    return _content(catalog, lang) + _settings()


@lru_cache(maxsize=4)
def _content(catalog: Catalog | None, lang: str) -> list[Entry]:
    if catalog is None:
        return []
    entries: list[Entry] = []
    for pack in catalog.packs:
        if pack.error:
            continue
        for lesson in pack.lessons:
            title = pack.text(lesson.title, lang)
            entries.append(Entry("lesson", title, "", pack.id, lesson.id))
            for i, page in enumerate(lesson.pages):
                body = pack.page_markdown(lesson, page, lang).lower()
                entries.append(
                    Entry(
                        "page",
                        f"{title} › {pack.text(page.title, lang)}",
                        body,
                        pack.id,
                        lesson.id,
                        i,
                    )
                )
            for lab in lesson.labs:
                entries.append(
                    Entry("lab", pack.text(lab.title, lang), "", pack.id, lesson.id, lab=lab.id)
                )
    return entries


@lru_cache(maxsize=1)
def _settings() -> list[Entry]:
    from mailsim.dovecot.settings import table as dovecot_table
    from mailsim.postfix.params import table as postfix_table

    entries = [
        Entry("postfix", name, value=value)
        for name, value in sorted(postfix_table().defaults.items())
    ]
    entries += [
        Entry("dovecot", name, value=str(getattr(setting, "default", "")))
        for name, setting in sorted(dovecot_table().globals.items())
    ]
    return entries
