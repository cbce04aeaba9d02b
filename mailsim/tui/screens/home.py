"""The home screen: lesson packs with progress, "continue", and the ways in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, OptionList, Tree
from textual.widgets.option_list import Option

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise

if TYPE_CHECKING:
    from mailsim.tui.app import MailsimApp
    from mailsim.tui.data.catalog import Catalog


def bar(percent: int, width: int = 10) -> str:
    filled = round(width * max(0, min(percent, 100)) / 100)
    return "█" * filled + "░" * (width - filled)


class HomeScreen(Screen[None]):
    CSS_PATH = "home.tcss"
    ACTIONS = (
        Action("home.continue", "c", "continue"),
        Action("home.sandbox", "s", "app.open_sandbox_default"),
        Action("home.quiz", "q", "app.open_quiz"),
        Action("home.progress", "p", "app.open_progress"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self) -> None:
        super().__init__()
        localise(self)
        self._last: dict[str, Any] | None = None
        self._due = 0
        """Quiz questions due for review now (counted once the first frame is up)."""

    @property
    def mailsim(self) -> MailsimApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="menu-pane"):
                yield Label(t("tui.home.start_here"), classes="pane-title")
                yield OptionList(id="home-menu")
            with Vertical(id="packs-pane"):
                yield Label(t("tui.home.packs"), classes="pane-title")
                yield Tree(t("tui.home.packs"), id="packs")
        yield Footer()

    def on_mount(self) -> None:
        tree = self.query_one("#packs", Tree)
        tree.show_root = False
        tree.root.add_leaf(t("tui.home.loading"))
        self._fill_menu()
        self.query_one("#home-menu", OptionList).focus()
        catalog = self.mailsim.catalog_or_none()
        if catalog is not None:
            self.catalog_loaded(catalog)

    def on_screen_resume(self) -> None:
        catalog = self.mailsim.catalog_or_none()
        if catalog is not None:
            self._count_due()
        self._fill_menu()
        if catalog is not None:
            self.catalog_loaded(catalog)

    def _fill_menu(self) -> None:
        from mailsim.tui.data.recent import last_place

        self._last = last_place()
        menu = self.query_one("#home-menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        if self._last is not None:
            menu.add_option(
                Option(
                    Text(t("tui.home.continue", what=self._last.get("title", ""))), id="continue"
                )
            )
        else:
            # A first run: "Start here" leads to the first lesson, not to a bare sandbox.
            menu.add_option(Option(Text(t("tui.home.start")), id="start"))
        menu.add_options(
            [
                Option(Text(t("tui.home.sandbox")), id="sandbox"),
                Option(Text(t("tui.home.sandboxes")), id="sandboxes"),
                Option(Text(t("tui.home.quiz")), id="quiz"),
                Option(
                    Text(
                        t("tui.home.review_due", count=self._due)
                        if self._due
                        else t("tui.home.review")
                    ),
                    id="review",
                ),
                Option(Text(t("tui.home.exam")), id="exam"),
                Option(Text(t("tui.home.progress")), id="progress"),
            ]
        )
        menu.highlighted = highlighted if highlighted is not None else 0

    def catalog_loaded(self, catalog: Catalog) -> None:
        # The store is opened here, after the first frame, not in on_mount: opening it
        # (SQLite, migrations) is a cost the cold start need not pay.
        before = self._due
        self._count_due()
        if self._due != before:
            self._fill_menu()
        self._load_scores(catalog)

    def _count_due(self) -> None:
        store = self.mailsim.store
        if store is None:
            return
        self._due = sum(1 for key in store.due_items() if not key.startswith("lab:"))

    @work(thread=True, exclusive=True, group="home-scores")
    def _load_scores(self, catalog: Catalog) -> None:
        from mailsim.tui.data.recent import lab_scores

        scores = {
            pack.id: lab_scores(pack.id, [lab.id for _, lab in pack.all_labs])
            for pack in catalog.packs
        }
        self.app.call_from_thread(self._fill_tree, catalog, scores)

    def _fill_tree(self, catalog: Catalog, scores: dict[str, dict[str, int]]) -> None:
        lang = self.mailsim.lang
        tree = self.query_one("#packs", Tree)
        tree.clear()
        if not catalog.packs:
            tree.root.add_leaf(Text(t("tui.home.no_packs")))
        for pack in catalog.packs:
            title = pack.text(pack.title, lang)
            if pack.error:
                node = tree.root.add(Text(f"⚠ {title}", style="bold"), expand=True)
                node.add_leaf(Text(pack.error, style="red"))
                continue
            labs = pack.all_labs
            done = sum(1 for _, lab in labs if scores[pack.id].get(lab.id, 0) >= 100)
            percent = round(100 * done / len(labs)) if labs else 0
            label = Text.assemble(
                (title, "bold"),
                "  ",
                (bar(percent), "green"),
                f" {t('tui.home.labs_done', done=done, total=len(labs))}",
            )
            node = tree.root.add(label, data={"pack": pack.id}, expand=True)
            for lesson in pack.lessons:
                lesson_node = node.add(
                    Text(pack.text(lesson.title, lang)),
                    data={"pack": pack.id, "lesson": lesson.id},
                    expand=True,
                )
                for lab in lesson.labs:
                    best = scores[pack.id].get(lab.id)
                    mark = "✓" if best is not None and best >= 100 else "○" if best is None else "◐"
                    extra = "" if best is None else f"  {best}%"
                    lesson_node.add_leaf(
                        Text(f"{mark} {t('tui.home.lab')}: {pack.text(lab.title, lang)}{extra}"),
                        data={"pack": pack.id, "lab": lab.id},
                    )
            if pack.banks:
                node.add_leaf(
                    Text(f"? {t('tui.home.banks', count=len(pack.banks))}"),
                    data={"pack": pack.id, "quiz": True},
                )

    @on(OptionList.OptionSelected, "#home-menu")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "continue":
            self.action_continue()
        elif choice == "start":
            self._start()
        elif choice == "sandbox":
            self.mailsim.open_sandbox("default")
        elif choice == "sandboxes":
            self.mailsim.action_open_sandboxes()
        elif choice in ("quiz", "review", "exam"):
            self.mailsim.action_open_quiz({"quiz": "practice"}.get(choice, choice))
        elif choice == "progress":
            self.mailsim.action_open_progress()

    @on(Tree.NodeSelected, "#packs")
    def _node_selected(self, event: Tree.NodeSelected[Any]) -> None:
        data = event.node.data or {}
        if "lab" in data:
            self.mailsim.open_lab(data["pack"], data["lab"])
        elif "lesson" in data:
            self.mailsim.open_lesson(data["pack"], data["lesson"])
        elif data.get("quiz"):
            from mailsim.tui.screens.quiz_setup import start_quiz

            start_quiz(self.mailsim, "practice", pack=data["pack"])

    def _start(self) -> None:
        """Open the first lesson of the first pack that loads (the built-in packs come
        in learning order)."""
        catalog = self.mailsim.catalog_or_none()
        if catalog is None:
            self.notify(t("tui.home.loading"))
            return
        for pack in catalog.packs:
            if not pack.error and pack.lessons:
                self.mailsim.open_lesson(pack.id, pack.lessons[0].id)
                return
        self.notify(t("tui.home.no_packs"), severity="warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue":
            return self._last is not None
        return True

    def action_continue(self) -> None:
        last = self._last
        if last is None:
            return
        kind = last.get("kind")
        if kind == "lab":
            self.mailsim.open_lab(str(last.get("pack")), str(last.get("lab")))
        elif kind == "sandbox":
            self.mailsim.open_sandbox(str(last.get("name", "default")))
        elif kind == "lesson":
            self.mailsim.open_lesson(
                str(last.get("pack")), str(last.get("lesson")), int(last.get("page", 0))
            )
