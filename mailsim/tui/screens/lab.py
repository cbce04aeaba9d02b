"""The lab screen: lesson pages, the live checklist and a terminal on the lab's machine.

At 120 columns and more the panes sit side by side; below that they become tabs
(Ctrl+T or a click switches) under an always-visible score line, so nothing is
cut at 80x24. Grading runs in a worker after every command and every save.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Static, Tab, Tabs

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.data.catalog import LabRef, Lesson, Pack
from mailsim.tui.data.lab import LabError, LabResult, LabRun, open_lab
from mailsim.tui.screens.machine import MachineScreen
from mailsim.tui.widgets.checklist import Checklist
from mailsim.tui.widgets.lesson import LessonView
from mailsim.tui.widgets.terminal import TerminalView

if TYPE_CHECKING:
    from mailsim.packs.recording import LabRecorder
    from mailsim.tui.app import MailsimApp

WIDE = 120
PANES = ("lesson", "tasks", "terminal")


class LabScreen(MachineScreen):
    CSS_PATH = "lab.tcss"
    # Footer order is what matters most to a learner at work, so that the keys cut off
    # at 80 columns are the rarer ones (Esc is where everybody looks for it anyway).
    ACTIONS = (
        Action("lab.pane", "ctrl+t", "next_pane"),
        Action("lab.hint", "f2", "hint"),
        Action("lab.check", "f5", "check"),
        Action("lab.prev_page", "f3", "page(-1)"),
        Action("lab.next_page", "f4", "page(1)"),
        Action("lab.diff", "f6", "diff"),
        Action("lab.undo", "f7", "undo"),
        Action("lab.reset", "f8", "reset"),
        Action("lab.solution", "f9", "solution"),
        Action("lab.next_lab", "f10", "next_lab"),
        Action("lab.home", "escape", "app.pop_screen"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self, pack: Pack, lesson: Lesson, ref: LabRef) -> None:
        super().__init__()
        localise(self)
        self.pack = pack
        self.lesson = lesson
        self.ref = ref
        self.run: LabRun | None = None
        self.result: LabResult | None = None
        self.pane = "terminal"
        self.recorder: LabRecorder | None = None

    @property
    def mailsim(self) -> MailsimApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab-status"):
            yield Static(t("tui.lab.opening"), id="lab-title", markup=False)
        yield Tabs(
            *(Tab(t(f"tui.lab.tab.{p}"), id=f"tab-{p}") for p in PANES),
            id="lab-tabs",
            active="tab-terminal",
        )
        with Horizontal(id="lab-body"):
            with Vertical(id="left"):
                yield LessonView(self.pack, self.lesson, self.mailsim.lang, id="lesson")
                yield Checklist(id="checklist")
            yield Vertical(id="terminal-pane")
        yield Footer()

    def on_mount(self) -> None:
        self._apply_layout(self.size.width)
        self.title = self.pack.text(self.ref.title, self.mailsim.lang)
        self._open()

    @work(thread=True, exclusive=True, group="lab-open")
    def _open(self) -> None:
        from mailsim.machine.clock import Clock

        seed = int(Clock.from_env().now()) % 1000
        try:
            run = open_lab(self.pack, self.lesson, self.ref, self.mailsim.lang, seed)
            result = run.grade()
            # Baselined here, off the UI thread (it grades); the store is attached in
            # _opened because its SQLite connection belongs to the UI thread.
            recorder = run.session.recorder(None)
        except (LabError, OSError) as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._opened, run, result, recorder)

    def _failed(self, message: str) -> None:
        self.query_one("#lab-title", Static).update(t("tui.lab.broken"))
        self.notify(message, title=t("tui.lab.broken"), severity="error", timeout=15, markup=False)

    def _opened(self, run: LabRun, result: LabResult, recorder: LabRecorder) -> None:
        from mailsim.tui.data.recent import remember

        self.run = run
        recorder.store = self.mailsim.store
        self.recorder = recorder
        self.machine = run.machine
        self.title = run.title
        self.sub_title = (
            f"{self.pack.text(self.pack.title, self.mailsim.lang)} · {run.machine.hostname}"
        )
        remember("lab", pack=self.pack.id, lab=self.ref.id, title=run.title)
        greeting = t("tuiux.lab.welcome")
        if self.has_class("-narrow"):
            greeting += "\n" + t("tuiux.lab.welcome_narrow")
        terminal = TerminalView(
            run.machine,
            run.machine.state / "history",
            after_command=run.checkpoints.record,
            disabled_commands=run.disabled,
            greeting=greeting,
            id="terminal",
        )
        self.query_one("#terminal-pane").mount(terminal)
        self._show_result(result)
        self.refresh_bindings()

    # -- layout --------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width)

    def _apply_layout(self, width: int) -> None:
        narrow = width < WIDE
        self.set_class(narrow, "-narrow")
        for pane in PANES:
            self.set_class(pane == self.pane, f"-show-{pane}")
        self.refresh_bindings()

    @on(Tabs.TabActivated, "#lab-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        self.pane = (event.tab.id or "tab-terminal").removeprefix("tab-")
        self._apply_layout(self.size.width)
        if self.pane == "terminal" and self.query(TerminalView):
            self.query_one(TerminalView).input.focus()
        elif self.has_class("-narrow"):
            # The shown pane takes the focus, so the arrows and PageDown scroll it; left
            # on the hidden prompt, keys typed here would vanish into it.
            scroll = "#lesson VerticalScroll" if self.pane == "lesson" else "#checklist #tasks"
            self.query_one(scroll).focus()

    def action_next_pane(self) -> None:
        index = (PANES.index(self.pane) + 1) % len(PANES)
        self.query_one("#lab-tabs", Tabs).active = f"tab-{PANES[index]}"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_pane":
            return self.has_class("-narrow")
        if action in ("hint", "check", "diff", "undo", "reset", "solution") and self.run is None:
            return False
        if action == "undo" and self.run is not None:
            return self.run.checkpoints.can_undo or None
        if action == "next_lab":
            return self._next_lab() is not None
        return True

    # -- grading -------------------------------------------------------------------

    def machine_changed(self) -> None:
        self.grade()

    @work(thread=True, exclusive=True, group="lab-grade")
    def grade(self, checked: bool = False) -> None:
        """Regrade in a worker; ``checked`` when the learner asked (a failure is stored)."""
        run = self.run
        if run is None:
            return
        run.checkpoints.record()
        result = run.grade()
        self.app.call_from_thread(self._show_result, result, checked)

    def _record(self, run: LabRun, result: LabResult, checked: bool) -> None:
        """Hand the outcomes to the recorder, which stores what they mean (on the UI
        thread: the store's connection lives there)."""
        from mailsim.packs.recording import TaskOutcome

        recorder = self.recorder
        if recorder is None:
            return
        outcomes = [
            TaskOutcome(s.task.id, s.passed, s.task.facts, run.hints_used(s.task.id))
            for s in result.tasks
        ]
        recorder.observe(outcomes, checked=checked, solution_shown=run.solution_shown)
        for message in recorder.errors:
            self.notify(message, severity="error", markup=False)
        recorder.errors.clear()

    def _show_result(self, result: LabResult, checked: bool | None = None) -> None:
        """Show a grading; ``checked`` is None for the opening grade (the baseline),
        else whether the learner asked for it."""
        run = self.run
        if run is None:
            return
        if checked is not None:
            self._record(run, result, checked)
        before = self.result
        self.result = result
        hints = {s.task.id: s.task.hints[: s.hints_shown] for s in result.tasks}
        self.query_one(Checklist).show(result, hints, run.solution_shown)
        self.query_one("#lab-title", Static).update(
            f"{run.title} — {t('tui.lab.summary', done=result.done, total=result.total)}"
            f" ({result.percent}%)"
        )
        self._announce(result, before)
        self.refresh_bindings()

    def _announce(self, result: LabResult, before: LabResult | None) -> None:
        """Keep the lab's best score; say when the lab is done."""
        run = self.run
        assert run is not None
        from mailsim.tui.data.recent import record_score

        record_score(self.pack.id, self.ref.id, result.percent)
        if result.complete and before is not None and not before.complete:
            message = t("tui.lab.all_done_seen" if run.solution_shown else "tui.lab.all_done")
            if self._next_lab() is not None:
                message += " " + t("tuiux.lab.next_lab_hint")
            self.notify(message, title=run.title, markup=False)

    def action_check(self) -> None:
        self.grade(checked=True)

    # -- commands ------------------------------------------------------------------

    def action_hint(self) -> None:
        if self.run is None or self.result is None:
            return
        found = self.run.next_hint(self.result)
        if found is None:
            self.notify(t("tui.lab.no_more_hints"), markup=False)
        elif self.has_class("-narrow"):
            # The hint is shown under its task: a hidden checklist would make F2 look dead.
            self.query_one("#lab-tabs", Tabs).active = "tab-tasks"
        self.grade()

    def action_page(self, step: int) -> None:
        lesson = self.query_one(LessonView)
        moved = lesson.next_page() if step > 0 else lesson.previous_page()
        if moved and self.has_class("-narrow"):
            self.query_one("#lab-tabs", Tabs).active = "tab-lesson"

    def action_diff(self) -> None:
        if self.run is None:
            return
        self._diff(self.run)

    @work(thread=True, exclusive=True, group="lab-diff")
    def _diff(self, run: LabRun) -> None:
        text = run.checkpoints.diff() or t("tui.lab.no_changes") + "\n"
        self.app.call_from_thread(self._show_text, text, t("tuiux.diff.title"))

    def _show_text(self, text: str, title: str) -> None:
        from mailsim.tui.screens.pager import PagerScreen

        self.app.push_screen(PagerScreen(text, language="diff", title=title))

    def action_undo(self) -> None:
        if self.run is None or self.query_one(TerminalView).running:
            return
        if self.run.checkpoints.undo():
            self.notify(t("tui.lab.undone"), markup=False)
        else:
            self.notify(t("tui.lab.nothing_to_undo"), markup=False)
        self.grade()

    def action_reset(self) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes and self.run is not None:
                self.run.reset()
                self.notify(t("tui.lab.was_reset"), markup=False)
                self.grade()

        self.app.push_screen(
            ConfirmScreen(t("tui.lab.reset_question"), t("tui.lab.reset_yes"), True), decided
        )

    def action_solution(self) -> None:
        from mailsim.tui.screens.confirm import ConfirmScreen

        def decided(yes: bool | None) -> None:
            if yes and self.run is not None:
                lines = self.run.solution()
                self._show_text(
                    t("tui.lab.solution_header") + "\n\n" + "\n".join(lines) + "\n",
                    t("tuiux.solution.title"),
                )
                self.grade()

        self.app.push_screen(
            ConfirmScreen(t("tui.lab.solution_question"), t("tui.lab.solution_yes"), True), decided
        )

    def _next_lab(self) -> tuple[Pack, LabRef] | None:
        """The pack's next lab; after its last, the first lab of the next pack with labs
        (packs in the home screen's order), so F10 never goes dead at a pack's end."""
        labs = self.pack.all_labs
        ids = [lab.id for _, lab in labs]
        if self.ref.id not in ids:
            return None
        index = ids.index(self.ref.id) + 1
        if index < len(labs):
            return self.pack, labs[index][1]
        catalog = self.mailsim.catalog_or_none()
        packs = [p.id for p in catalog.packs] if catalog is not None else []
        if self.pack.id not in packs:
            return None
        for pack in catalog.packs[packs.index(self.pack.id) + 1 :]:  # type: ignore[union-attr]
            if pack.all_labs:
                return pack, pack.all_labs[0][1]
        return None

    def action_next_lab(self) -> None:
        found = self._next_lab()
        if found is None:
            self.notify(t("tui.lab.last_lab"), markup=False)
            return
        pack, ref = found
        self.app.pop_screen()
        self.mailsim.open_lab(pack.id, ref.id)
