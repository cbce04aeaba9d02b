"""The mailsim Textual app: a thin face over the core.

Screens do the work; the app owns what they share: the language, the pack
catalogue (loaded in a worker after the first frame, never in ``compose``),
the progress store (opened on first use), and how to open each screen.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import App

from mailsim import __version__
from mailsim.i18n import detect_language, set_language, t
from mailsim.tui.actions import Action, bindings, localise

if TYPE_CHECKING:
    from mailsim.progress.store import ProgressStore
    from mailsim.quiz.session import QuizSession
    from mailsim.tui.data.catalog import Catalog
    from mailsim.tui.data.search import Entry

log = logging.getLogger("mailsim.tui")


def _actions_provider() -> Any:
    # The palette's machinery (textual.command) is imported when the palette first
    # opens, not at start: it is a sizeable part of a cold start.
    from mailsim.tui.provider import ActionsProvider

    return ActionsProvider


def _content_provider() -> Any:
    from mailsim.tui.provider import ContentProvider

    return ContentProvider


class MailsimApp(App[int]):
    TITLE = "mailsim"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {_actions_provider, _content_provider}
    ACTIONS = (
        Action("app.quit", "ctrl+q", "quit", priority=True),
        Action("app.home", "f1", "go_home", show=False),
        Action("app.sandbox", "", "open_sandbox_default", show=False),
        Action("app.sandboxes", "", "open_sandboxes", show=False),
        Action("app.quiz", "", "open_quiz", show=False),
        Action("app.exam", "", "open_exam", show=False),
        Action("app.progress", "", "open_progress", show=False),
    )
    BINDINGS = bindings(a for a in ACTIONS if a.key)
    fail_loudly = False
    """Tests set it to get Textual's own handling: the exception ends the test run."""

    def __init__(
        self,
        lang: str | None = None,
        packs: list[str] | None = None,
        sandbox: str | None = None,
        quiz: QuizSession | None = None,
    ) -> None:
        self.lang = lang or detect_language()
        set_language(self.lang)
        super().__init__()
        self.sub_title = t("tui.app.subtitle", version=__version__)
        self.extra_packs = list(packs or [])
        self.start_sandbox = sandbox
        self.start_quiz = quiz
        self._catalog: Catalog | None = None
        self._store: ProgressStore | None = None
        self._store_failed = False
        localise(self)

    def on_mount(self) -> None:
        from mailsim.tui.screens.home import HomeScreen

        self._restore_theme()
        self.push_screen(HomeScreen())
        # After the first frame: the worker's imports and YAML reads would otherwise
        # compete with the home screen's mount for the interpreter.
        self.call_after_refresh(self.load_catalog)
        if self.start_sandbox:
            self.open_sandbox(self.start_sandbox)
        elif self.start_quiz is not None:
            from mailsim.tui.screens.quiz import QuizScreen

            self.push_screen(QuizScreen(self.start_quiz))

    # -- preferences ---------------------------------------------------------------

    def _restore_theme(self) -> None:
        """Use the theme the learner chose last time; then keep each new choice."""
        from mailsim.tui.data.recent import load_state

        saved = load_state().get("theme")
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Any) -> None:
        from mailsim.tui.data.recent import load_state, save_state

        if load_state().get("theme") != theme.name:
            save_state(theme=theme.name)

    # -- shared data ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="catalog")
    def load_catalog(self) -> None:
        from mailsim.tui.data.catalog import load_catalog

        catalog = load_catalog(self.extra_packs)
        self.call_from_thread(self._catalog_loaded, catalog)

    def _catalog_loaded(self, catalog: Catalog) -> None:
        self._catalog = catalog
        for screen in self.screen_stack:
            refresh = getattr(screen, "catalog_loaded", None)
            if refresh is not None:
                refresh(catalog)

    def catalog_or_none(self) -> Catalog | None:
        return self._catalog

    @property
    def store(self) -> ProgressStore | None:
        """The progress store, opened on first use; None (and said once) if it cannot be."""
        if self._store is None and not self._store_failed:
            from mailsim.progress.store import StoreError, open_store

            try:
                self._store = open_store()
            except StoreError as exc:
                self._store_failed = True
                self.notify(str(exc), severity="error", timeout=10)
            else:
                if self._store.notice:
                    self.notify(self._store.notice, severity="warning", timeout=10)
        return self._store

    # -- opening screens -----------------------------------------------------------

    def action_go_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def action_open_sandbox_default(self) -> None:
        self.open_sandbox("default")

    def action_open_sandboxes(self) -> None:
        from mailsim.tui.screens.sandboxes import SandboxesScreen

        self.push_screen(SandboxesScreen())

    def open_sandbox(self, name: str) -> None:
        from mailsim.tui.data.sandboxes import SandboxError, open_sandbox
        from mailsim.tui.screens.sandbox import SandboxScreen

        try:
            machine = open_sandbox(name)
        except SandboxError as exc:
            self.notify(str(exc), severity="error")
            return
        self.push_screen(SandboxScreen(name, machine))

    def open_lab(self, pack_id: str, lab_id: str) -> None:
        from mailsim.tui.screens.lab import LabScreen

        pack = self._catalog.find(pack_id) if self._catalog else None
        found = pack.lab(lab_id) if pack else None
        if pack is None or found is None:
            self.notify(t("tui.lab.not_found", lab=f"{pack_id}/{lab_id}"), severity="error")
            return
        self.push_screen(LabScreen(pack, found[0], found[1]))

    def open_lesson(self, pack_id: str, lesson_id: str, page: int = 0) -> None:
        from mailsim.tui.screens.lesson import LessonScreen

        pack = self._catalog.find(pack_id) if self._catalog else None
        lesson = next((x for x in pack.lessons if x.id == lesson_id), None) if pack else None
        if pack is None or lesson is None:
            self.notify(t("tui.lab.not_found", lab=f"{pack_id}/{lesson_id}"), severity="error")
            return
        self.push_screen(LessonScreen(pack, lesson, page))

    def open_lesson_link(self, pack_id: str, lesson_id: str, page_id: str = "") -> None:
        """Open a ``pack/lesson#page`` link (a question's source)."""
        pack = self._catalog.find(pack_id) if self._catalog else None
        lesson = next((x for x in pack.lessons if x.id == lesson_id), None) if pack else None
        pages = [p.id for p in lesson.pages] if lesson else []
        self.open_lesson(pack_id, lesson_id, pages.index(page_id) if page_id in pages else 0)

    def action_open_quiz(self, mode: str = "practice") -> None:
        from mailsim.tui.screens.quiz_setup import start_quiz

        start_quiz(self, mode)

    def action_open_exam(self) -> None:
        self.action_open_quiz("exam")

    def action_open_progress(self) -> None:
        from mailsim.tui.screens.progress import ProgressScreen

        self.push_screen(ProgressScreen())

    def open_entry(self, entry: Entry) -> None:
        """Open what a palette search found."""
        if entry.kind == "lab":
            self.open_lab(entry.pack, entry.lab)
        elif entry.kind in ("lesson", "page"):
            self.open_lesson(entry.pack, entry.lesson, entry.page)
        else:
            self.notify(
                f"{entry.title} = {entry.value}",
                title=t(f"tui.search.kind.{entry.kind}"),
                markup=False,
            )

    # -- leaving -------------------------------------------------------------------

    async def action_quit(self) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        unsaved = [s for s in self.screen_stack if getattr(s, "dirty", False)]
        if not unsaved:
            self.exit(0)
            return

        def decided(yes: bool | None) -> None:
            if yes:
                self.exit(0)

        self.push_screen(
            ConfirmScreen(t("tui.app.quit_unsaved"), t("tui.confirm.quit"), danger=True), decided
        )

    # -- errors ----------------------------------------------------------------------
    # Never a traceback on the learner's screen. A failing action (a key, the palette,
    # a footer click) or worker leaves the app usable: it is logged and said in a
    # notification. Any other handler's failure has stopped that handler's message
    # loop (Textual breaks it), so the app closes with one line, not a frozen screen.

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as error:  # noqa: BLE001 - logged and said, the app goes on
            if self.fail_loudly:
                raise
            self._report(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        from textual.worker import WorkerFailed

        if self.fail_loudly:
            super()._handle_exception(error)
            return
        if isinstance(error, WorkerFailed):
            self._report(error.error)
            return
        self._report(error)
        from mailsim.locations import log_file

        self._return_code = 70
        from rich.text import Text

        said = t("tui.app.internal_error", error=type(error).__name__, log=str(log_file()))
        self.exit(70, message=Text(said))

    def _report(self, error: BaseException) -> None:
        from mailsim.locations import log_file, setup_logging

        setup_logging()
        log.error("unexpected error", exc_info=error)
        self.notify(
            t("tui.app.internal_error", error=type(error).__name__, log=str(log_file())),
            severity="error",
            timeout=15,
            markup=False,
        )

    def on_unmount(self) -> None:
        if self._store is not None:
            self._store.close()


def run(
    lang: str | None = None,
    packs: list[str] | None = None,
    sandbox: str | None = None,
    quiz: Any = None,
    **_: object,
) -> int:
    app = MailsimApp(lang=lang, packs=packs, sandbox=sandbox, quiz=quiz)
    return app.run() or 0
