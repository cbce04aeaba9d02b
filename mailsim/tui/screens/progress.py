"""Progress: per objective accuracy, readiness and due reviews; labs; history; export/import."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Sparkline, Static

from mailsim.i18n import t
from mailsim.tui.actions import Action, bindings, localise

if TYPE_CHECKING:
    from mailsim.progress.store import ProgressStore
    from mailsim.tui.app import MailsimApp

OBJECTIVES = ("211.1", "211.2", "211.3", "108.3")


def daily_accuracy(history: list[dict[str, Any]], days: int = 30) -> list[float]:
    """Percent right per day over the last ``days`` days that had answers (oldest first)."""
    per_day: dict[str, list[int]] = {}
    for row in history:
        if row.get("kind") not in ("quiz", "lab"):
            continue
        day = datetime.fromtimestamp(float(row["at"]), tz=UTC).date().isoformat()
        counts = per_day.setdefault(day, [0, 0])
        counts[0] += bool(row.get("correct"))
        counts[1] += 1
    return [100 * r / n for _, (r, n) in sorted(per_day.items())[-days:]]


class ProgressScreen(Screen[None]):
    ACTIONS = (
        Action("progress.back", "escape", "app.pop_screen"),
        Action("progress.export", "e", "export"),
        Action("progress.import", "i", "import_file"),
        Action("progress.review", "r", "app.open_quiz('review')"),
    )
    BINDINGS = bindings(ACTIONS)
    DEFAULT_CSS = """
    ProgressScreen #progress-body { padding: 0 1; }
    ProgressScreen DataTable { height: auto; margin: 1 0; }
    ProgressScreen Sparkline { height: 3; margin: 0 0 1 0; }
    ProgressScreen .section { text-style: bold; margin: 1 0 0 0; }
    """

    def __init__(self) -> None:
        super().__init__()
        localise(self)

    @property
    def mailsim(self) -> MailsimApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body"):
            yield Static("", id="progress-learner", markup=False)
            yield DataTable(id="objectives", cursor_type="row", zebra_stripes=True)
            yield Static(t("tui.progress.history"), classes="section", markup=False)
            yield Sparkline([], id="history")
            yield Static("", id="history-note", markup=False)
            yield Static(t("tui.progress.labs"), classes="section", markup=False)
            yield Static("", id="labs", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.title = t("tui.progress.title")
        self.refill()

    def on_screen_resume(self) -> None:
        self.refill()

    def refill(self) -> None:
        store = self.mailsim.store
        table = self.query_one("#objectives", DataTable)
        table.clear(columns=True)
        table.add_columns(
            t("tui.progress.objective"),
            t("tui.progress.accuracy"),
            t("tui.progress.readiness"),
            t("tui.progress.due"),
        )
        if store is None:
            self.query_one("#progress-learner", Static).update(t("tui.progress.unavailable"))
            return
        self._fill(store, table)

    def _fill(self, store: ProgressStore, table: DataTable[Any]) -> None:
        name = store.learner_name() or t("progress.no_learner")
        self.query_one("#progress-learner", Static).update(t("tui.progress.learner", name=name))
        accuracy = store.accuracy_by_objective()
        readiness = store.readiness_by_objective()
        for objective in sorted(set(OBJECTIVES) | set(accuracy) | set(readiness)):
            if not objective:
                continue
            right, total = accuracy.get(objective, (0, 0))
            ready = readiness.get(objective)
            table.add_row(
                objective,
                f"{round(100 * right / total)}% ({right}/{total})" if total else "—",
                f"{round(100 * ready.recall)}%" if ready else "—",
                str(ready.due) if ready else "0",
            )
        history = store.history()
        daily = daily_accuracy(history)
        self.query_one("#history", Sparkline).data = daily or [0]
        self.query_one("#history-note", Static).update(
            t(
                "tui.progress.history_note",
                days=len(daily),
                answers=sum(1 for row in history if row["kind"] == "quiz"),
            )
        )
        labs: dict[str, list[bool]] = {}
        for row in history:
            if row["kind"] == "lab":
                labs.setdefault(f"{row['pack']}/{row['item'].split('/')[0]}", []).append(
                    row["correct"]
                )
        text = Text()
        for lab, results in sorted(labs.items()):
            text.append(f"{lab}: ", style="bold")
            text.append(t("tui.progress.lab_tasks", passed=sum(results)) + "\n")
        self.query_one("#labs", Static).update(text if labs else t("tui.progress.no_labs"))

    def _ask_path(self, question: str, default: str, then: Any) -> None:
        from mailsim.tui.screens.confirm import AskScreen

        def answered(value: str | None) -> None:
            if value:
                then(Path(value).expanduser())

        self.app.push_screen(AskScreen(question, default), answered)

    def action_export(self) -> None:
        from mailsim.locations import data_dir

        self._ask_path(
            t("tui.progress.export_to"), str(data_dir() / "progress-export.json"), self._export
        )

    def _export(self, path: Path) -> None:
        from mailsim.progress.portable import write_export

        store = self.mailsim.store
        if store is None:
            return
        try:
            count = write_export(store, path)
        except Exception as exc:  # noqa: BLE001 - said to the learner, never a traceback
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(
            t(
                "progress.exported",
                count=count,
                name=store.learner_name() or t("progress.no_learner"),
                path=str(path),
            ),
            markup=False,
        )

    def action_import_file(self) -> None:
        self._ask_path(t("tui.progress.import_from"), "", self._import)

    def _import(self, path: Path) -> None:
        from mailsim.progress.portable import import_data, read_export

        store = self.mailsim.store
        if store is None:
            return
        try:
            count = import_data(store, read_export(path))
        except Exception as exc:  # noqa: BLE001 - said to the learner, never a traceback
            self.notify(str(exc), severity="error", markup=False)
            return
        self.notify(t("progress.imported", count=count, path=str(path)), markup=False)
        self.refill()
