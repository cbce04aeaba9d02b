"""Progress: per objective accuracy, readiness and due reviews; the exam date and the
readiness forecast for that day; labs; mock exams; a history chart; export to a file
and import on another computer.

Readiness counts every question of the installed banks (unseen ones as not known), so
the banks are loaded in a worker; until they are, it counts the questions met so far.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Static

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise
from mailsim.tui.widgets.chart import Day, HistoryChart, meter

if TYPE_CHECKING:
    from collections.abc import Callable

    from mailsim.progress.forecast import Forecast
    from mailsim.progress.store import ProgressStore

OBJECTIVES = ("211.1", "211.2", "211.3", "108.3")
"""Always listed, even before a first answer: the objectives mailsim prepares for."""


def per_day(history: list[dict[str, Any]]) -> list[Day]:
    """Quiz answers and lab tasks per day (UTC), oldest first."""
    counts: dict[str, list[int]] = {}
    for row in history:
        if row.get("kind") not in ("quiz", "lab"):
            continue
        day = datetime.fromtimestamp(float(row["at"]), tz=UTC).date().isoformat()
        c = counts.setdefault(day, [0, 0])
        c[0] += bool(row.get("correct"))
        c[1] += 1
    return [Day(day, r, n) for day, (r, n) in sorted(counts.items())]


@dataclass(frozen=True)
class LabProgress:
    pack: str
    lab: str
    passed: int
    tasks: int

    @property
    def done(self) -> bool:
        return self.tasks > 0 and self.passed == self.tasks


def lab_progress(history: list[dict[str, Any]]) -> list[LabProgress]:
    """Per lab, the tasks whose latest grading passed (history is oldest first)."""
    latest: dict[tuple[str, str], dict[str, bool]] = {}
    for row in history:
        if row.get("kind") != "lab":
            continue
        lab, _, task = str(row["item"]).partition("/")
        latest.setdefault((row["pack"], lab), {})[task] = bool(row["correct"])
    return [
        LabProgress(pack, lab, sum(tasks.values()), len(tasks))
        for (pack, lab), tasks in sorted(latest.items())
    ]


def forecast_cell(forecast: Forecast, objective: str) -> Text:
    """The exam-day readiness of one objective, drawn as the Readiness column is."""
    found = forecast.objectives.get(objective)
    if found is None:
        return Text("—")
    recall = round(100 * found.exam_day)
    return Text.assemble(meter(recall, 10), f" {recall:>3}%")


def date_text(when: float) -> str:
    return datetime.fromtimestamp(when, tz=UTC).strftime("%Y-%m-%d %H:%M")


class ProgressScreen(Screen[None]):
    CSS_PATH = "progress.tcss"
    ACTIONS = (
        Action("progress.back", "escape", "back"),
        Action("progress.review", "r", "review"),
        Action("progress.export", "e", "export"),
        Action("progress.import", "i", "import_file"),
        Action("progress.exam_date", "d", "exam_date"),
    )
    BINDINGS = bindings(ACTIONS)

    def __init__(self) -> None:
        super().__init__()
        localise(self)
        self.questions: list[tuple[str, str]] | None = None
        """(key, objective) of every installed question, once the banks are loaded."""
        self.exam_date: date | None = None
        """The learner's exam date, kept between runs (mailsim.progress.examdate)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body"):
            yield Static("", id="progress-learner", markup=False)
            yield DataTable(id="objectives", cursor_type="row", zebra_stripes=True)
            yield Static("", id="readiness-note", markup=False, classes="note")
            with Horizontal(id="exam-row"):
                yield Label(t("tuiexam.label"), markup=False)
                yield Input(
                    placeholder=t("tuiexam.placeholder"),
                    id="exam-date",
                    max_length=10,
                    compact=True,
                )
                yield Button(t("tuiexam.set"), id="exam-set", compact=True)
                yield Button(t("tuiexam.clear"), id="exam-clear", compact=True)
            yield Static("", id="exam-note", markup=False, classes="note")
            yield Static(t("tuiquiz.progress.history"), classes="section", markup=False)
            yield HistoryChart(id="history")
            yield Static("", id="history-note", markup=False, classes="note")
            yield Static(t("tuiquiz.progress.labs"), classes="section", markup=False)
            yield Static("", id="labs")
            yield Static(t("tuiquiz.progress.exams"), classes="section", markup=False)
            yield Static("", id="exams")
            with Horizontal(id="progress-actions"):
                yield Button(t("tuiquiz.progress.review"), id="progress-review", compact=True)
                yield Button(t("tuiquiz.progress.export"), id="progress-export", compact=True)
                yield Button(t("tuiquiz.progress.import"), id="progress-import", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        from mailsim.progress.examdate import load_exam_date

        self.title = t("tuiquiz.progress.title")
        self.exam_date = load_exam_date()
        if self.exam_date is not None:
            self.query_one("#exam-date", Input).value = self.exam_date.isoformat()
        self.query_one("#objectives", DataTable).focus()
        self.refill()
        self._load_questions()

    def on_screen_resume(self) -> None:
        self.refill()

    @property
    def store(self) -> ProgressStore | None:
        return getattr(self.app, "store", None)

    @work(thread=True, exclusive=True, group="progress-banks")
    def _load_questions(self) -> None:
        from mailsim.tui.data.quizzes import QuizLoadError, load_questions

        try:
            questions = load_questions(None, list(getattr(self.app, "extra_packs", [])))
        except QuizLoadError:
            questions = []
        except Exception:  # a broken bank must not take the screen down; readiness waits
            import logging

            logging.getLogger("mailsim.tui").exception("loading banks for progress")
            return
        pairs = [(q.key, q.objective) for q in questions]
        self.app.call_from_thread(self._questions_loaded, pairs)

    def _questions_loaded(self, pairs: list[tuple[str, str]]) -> None:
        self.questions = pairs
        self.refill()

    def refill(self) -> None:
        table = self.query_one("#objectives", DataTable)
        table.clear(columns=True)
        table.add_columns(
            t("tuiquiz.progress.objective"),
            t("tuiquiz.progress.accuracy"),
            t("tuiquiz.progress.readiness"),
            t("tuiquiz.progress.seen"),
            t("tuiquiz.progress.due"),
        )
        if self._upcoming() is not None:
            table.add_column(t("tuiexam.column"), key="exam-day")
        store = self.store
        if store is None:
            self.query_one("#progress-learner", Static).update(t("tuiquiz.progress.unavailable"))
            return
        try:
            self._fill(store, table)
        except Exception as exc:  # a store gone bad mid-session: say so, keep the screen
            import logging

            logging.getLogger("mailsim.tui").exception("reading progress")
            self.notify(str(exc) or type(exc).__name__, severity="error", markup=False)

    def _fill(self, store: ProgressStore, table: DataTable[Any]) -> None:
        history = store.history()
        answers = sum(1 for row in history if row["kind"] == "quiz")
        items = self._items(store)
        readiness = store.readiness_by_objective(items)
        forecast = self._forecast(store, items)
        due_now = sum(r.due for r in readiness.values())
        name = store.learner_name() or t("progress.no_learner")
        self.query_one("#progress-learner", Static).update(
            t("tuiquiz.progress.header", name=name, answers=answers, due=due_now)
        )
        accuracy = store.accuracy_by_objective()
        others = sorted((set(accuracy) | set(readiness)) - set(OBJECTIVES) - {""})
        for objective in (*OBJECTIVES, *others):
            right, total = accuracy.get(objective, (0, 0))
            ready = readiness.get(objective)
            recall = round(100 * ready.recall) if ready else 0
            # Text cells: DataTable reads a plain str as markup, and objectives come from banks.
            cells = [
                Text(objective),
                Text(f"{round(100 * right / total)}% ({right}/{total})" if total else "—"),
                Text.assemble(meter(recall, 10), f" {recall:>3}%") if ready else Text("—"),
                Text(f"{ready.seen}/{ready.total}" if ready else "—"),
                Text(str(ready.due) if ready else "0"),
            ]
            if forecast is not None:
                cells.append(forecast_cell(forecast, objective))
            table.add_row(*cells, key=objective)
        self.query_one("#readiness-note", Static).update(
            t("tuiquiz.progress.readiness_all")
            if self.questions is not None
            else t("tuiquiz.progress.readiness_seen")
        )
        self.query_one("#exam-note", Static).update(self._exam_note(forecast))
        days = per_day(history)
        self.query_one("#history", HistoryChart).set_days(days)
        self.query_one("#history-note", Static).update(
            t("tuiquiz.progress.history_note", days=len(days), answers=sum(d.total for d in days))
            if days
            else t("tuiquiz.progress.no_history")
        )
        self.query_one("#labs", Static).update(self._labs_text(lab_progress(history)))
        exams = [row for row in history if row["kind"] == "exam"]
        self.query_one("#exams", Static).update(self._exams_text(exams))

    def _items(self, store: ProgressStore) -> list[tuple[str, str]] | None:
        """Every installed question, and whatever else the learner has met (a bank given
        with --pack, lab tasks); None until the banks are loaded (the store then counts
        what was met)."""
        if self.questions is None:
            return None
        known = {key for key, _ in self.questions}
        met = [(key, card[2]) for key, card in store.cards().items() if key not in known]
        return self.questions + met

    def _upcoming(self) -> date | None:
        """The exam date, unless it has passed (then there is nothing to forecast)."""
        from mailsim.progress.examdate import today

        if self.exam_date is None or self.exam_date < today(self._now()):
            return None
        return self.exam_date

    def _now(self) -> float:
        store = self.store
        if store is not None:
            return store.clock.now()
        from mailsim.machine.clock import Clock

        return Clock.from_env().now()

    def _forecast(
        self, store: ProgressStore, items: list[tuple[str, str]] | None
    ) -> Forecast | None:
        from mailsim.progress.examdate import exam_moment
        from mailsim.progress.forecast import forecast

        day = self._upcoming()
        return None if day is None else forecast(store, items, exam_moment(day))

    def _exam_note(self, forecast: Forecast | None) -> str:
        if forecast is not None:
            key = {0: "tuiexam.countdown_today", 1: "tuiexam.countdown_one"}
            return t(
                key.get(forecast.days_left, "tuiexam.countdown"),
                date=forecast.date,
                days=forecast.days_left,
            )
        if self.exam_date is not None:
            return t("tuiexam.passed", date=self.exam_date.isoformat())
        return t("tuiexam.hint")

    def _labs_text(self, labs: list[LabProgress]) -> Text:
        if not labs:
            return Text(t("tuiquiz.progress.no_labs"), style="dim")
        done = sum(lab.done for lab in labs)
        text = Text(t("tuiquiz.progress.labs_done", done=done, total=len(labs)) + "\n")
        for lab in labs:
            text.append("✓ " if lab.done else "· ", style="green" if lab.done else "dim")
            text.append(f"{lab.pack}/{lab.lab}", style="bold")
            text.append(
                "  " + t("tuiquiz.progress.lab_tasks", passed=lab.passed, total=lab.tasks) + "\n"
            )
        text.rstrip()
        return text

    def _exams_text(self, exams: list[dict[str, Any]]) -> Text:
        if not exams:
            return Text(t("tuiquiz.progress.no_exams"), style="dim")
        text = Text()
        for row in exams[-5:]:
            text.append(date_text(float(row["at"])) + "  ", style="dim")
            text.append(f"{row['item']:<10}", style="bold")
            text.append(f" {row['correct']}/{row['total']}")
            if row.get("estimate"):
                text.append("  " + t("tuiquiz.progress.estimate", score=row["estimate"]))
            if row.get("timed_out"):
                text.append("  " + t("tuiquiz.progress.timed_out"), style="yellow")
            text.append("\n")
        text.rstrip()
        return text

    # -- actions -------------------------------------------------------------------

    @on(Button.Pressed, "#progress-review")
    def action_review(self) -> None:
        opener = getattr(self.app, "action_open_quiz", None)
        if opener is not None:
            opener("review")

    def action_back(self) -> None:
        self.dismiss(None)

    def _ask_path(self, question: str, default: str, then: Callable[[Path], None]) -> None:
        from mailsim.tui.screens.confirm import AskScreen

        def answered(value: str | None) -> None:
            if value:
                then(Path(value).expanduser())

        self.app.push_screen(AskScreen(question, default), answered)

    def action_exam_date(self) -> None:
        self.query_one("#exam-date", Input).focus()

    @on(Input.Submitted, "#exam-date")
    @on(Button.Pressed, "#exam-set")
    def set_exam_date(self) -> None:
        """Keep the date typed in the field, or say why it cannot be used."""
        from mailsim.progress.examdate import ExamDateError, parse_exam_date, save_exam_date

        value = self.query_one("#exam-date", Input).value
        try:
            day = parse_exam_date(value, self._now())
            save_exam_date(day)
        except ExamDateError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.exam_date = day
        self.query_one("#exam-date", Input).value = day.isoformat()
        self.notify(t("tuiexam.saved", date=day.isoformat()), markup=False)
        self.refill()

    @on(Button.Pressed, "#exam-clear")
    def clear_exam_date(self) -> None:
        from mailsim.progress.examdate import ExamDateError, save_exam_date

        try:
            save_exam_date(None)
        except ExamDateError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.exam_date = None
        self.query_one("#exam-date", Input).value = ""
        self.notify(t("tuiexam.cleared"), markup=False)
        self.refill()

    @on(Button.Pressed, "#progress-export")
    def action_export(self) -> None:
        from mailsim.locations import data_dir

        default = str(data_dir() / "progress-export.json")
        self._ask_path(t("tuiquiz.progress.export_to"), default, self.export_to)

    def export_to(self, path: Path) -> None:
        from mailsim.progress.portable import write_export

        store = self.store
        if store is None:
            return
        try:
            count = write_export(store, path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            self.notify(f"{path}: {reason}", severity="error", markup=False)
            return
        name = store.learner_name() or t("progress.no_learner")
        self.notify(t("progress.exported", count=count, name=name, path=str(path)), markup=False)

    @on(Button.Pressed, "#progress-import")
    def action_import_file(self) -> None:
        self._ask_path(t("tuiquiz.progress.import_from"), "", self.import_from)

    def import_from(self, path: Path) -> None:
        from mailsim.progress.portable import ExportError, import_data, read_export

        store = self.store
        if store is None:
            return
        try:
            count = import_data(store, read_export(path))
        except ExportError as exc:
            reason = t("progress.bad_export", path=str(path), reason=str(exc))
            self.notify(reason, severity="error", markup=False)
            return
        self.notify(t("progress.imported", count=count, path=str(path)), markup=False)
        self.refill()
