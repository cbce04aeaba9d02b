"""The lab's task checklist: "n of m done", each task ✓/✗ with its reason and hints shown."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ProgressBar, Static

from mailsim.i18n import t
from mailsim.tui.data.lab import LabResult


class Checklist(Vertical):
    DEFAULT_CSS = """
    Checklist { height: auto; }
    Checklist #summary-row { height: 1; }
    Checklist #summary { width: auto; padding: 0 1 0 0; text-style: bold; }
    Checklist ProgressBar { width: 1fr; }
    Checklist #tasks { height: auto; max-height: 100%; }
    Checklist .task { padding: 0 0 0 0; }
    Checklist .task.-passed { color: $text-success; }
    Checklist .task.-failed { color: $text; }
    """

    plain: list[str] = []
    """Each task as plain text, as last shown (for tests and screen readers' logs)."""

    def compose(self) -> ComposeResult:
        yield Static(t("tui.lab.grading"), id="summary", markup=False)
        yield ProgressBar(total=100, show_eta=False, show_percentage=True, id="score")
        yield VerticalScroll(id="tasks")

    def show(self, result: LabResult, hints: dict[str, list[str]], solution_shown: bool) -> None:
        """Render a grading result; ``hints`` are the hints shown so far per task id."""
        summary = t("tui.lab.summary", done=result.done, total=result.total)
        if result.complete:
            summary += "  " + t("tui.lab.all_done_seen" if solution_shown else "tui.lab.all_done")
        self.query_one("#summary", Static).update(summary)
        self.query_one("#score", ProgressBar).update(progress=result.percent)
        box = self.query_one("#tasks", VerticalScroll)
        items = list(box.query(".task").results(Static))
        if len(items) != len(result.tasks):
            box.remove_children()
            items = [Static(classes="task", markup=False) for _ in result.tasks]
            box.mount_all(items)
        self.plain = []
        for widget, status in zip(items, result.tasks, strict=True):
            widget.update(
                self._task_text(
                    status.task.title, status.passed, status.reason, hints.get(status.task.id, [])
                )
            )
            self.plain.append(
                self._plain(
                    status.task.title, status.passed, status.reason, hints.get(status.task.id, [])
                )
            )
            widget.set_class(status.passed, "-passed")
            widget.set_class(not status.passed, "-failed")

    @staticmethod
    def _plain(title: str, passed: bool, reason: str, hints: list[str]) -> str:
        lines = [("✓ " if passed else "✗ ") + title]
        if not passed and reason:
            lines += ["    " + line for line in reason.splitlines()]
        lines += [f"    {t('tui.lab.hint_n', n=i)} {hint}" for i, hint in enumerate(hints, 1)]
        return "\n".join(lines)

    @staticmethod
    def _task_text(title: str, passed: bool, reason: str, hints: list[str]) -> Group:
        """Title on the first line; reason and hints below it with a hanging indent."""
        head = Text()
        head.append("✓ " if passed else "✗ ", style="bold green" if passed else "bold red")
        head.append(title)
        body = Text()
        if not passed and reason:
            body.append(reason, style="dim")
        for i, hint in enumerate(hints, 1):
            if body:
                body.append("\n")
            body.append(f"{t('tui.lab.hint_n', n=i)} ", style="bold yellow")
            body.append(hint, style="yellow")
        if not body:
            return Group(head)
        return Group(head, Padding(body, (0, 0, 0, 4)))
