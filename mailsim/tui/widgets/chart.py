"""Small text charts: a percentage meter and a bar chart of accuracy per day.

Drawn as ``rich.text.Text`` from block characters, so they fit 80 columns, need no
markup and read the same in a snapshot."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

EIGHTHS = " ▁▂▃▄▅▆▇█"


def meter(percent: float, width: int = 10) -> Text:
    """``██████░░░░``: green from 80 %, yellow from 50 %, red below."""
    percent = max(0.0, min(float(percent), 100.0))
    filled = round(width * percent / 100)
    style = "green" if percent >= 80 else "yellow" if percent >= 50 else "red"
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"))


def column(value: float, height: int) -> list[str]:
    """One bar of ``height`` cells for a value in 0–100, top cell first, in eighths."""
    eighths = round(max(0.0, min(value, 100.0)) / 100 * height * 8)
    cells = []
    for row in range(height - 1, -1, -1):
        part = max(0, min(8, eighths - row * 8))
        cells.append(EIGHTHS[part])
    return cells


@dataclass(frozen=True)
class Day:
    date: str
    """ISO date (YYYY-MM-DD)."""
    right: int
    total: int

    @property
    def percent(self) -> float:
        return 100 * self.right / self.total if self.total else 0.0


def render_history(days: list[Day], width: int, height: int = 5) -> Text:
    """Bars of accuracy per day (the most recent that fit ``width``), a 0/100 % scale on
    the left and the first and last dates under them."""
    text = Text()
    if not days:
        return text
    room = max(1, (width - 6) // 2)
    shown = days[-room:]
    columns = [column(d.percent, height) for d in shown]
    for row in range(height):
        label = "100% " if row == 0 else "  0% " if row == height - 1 else "     "
        text.append(label, style="dim")
        text.append("│", style="dim")
        for d, cells in zip(shown, columns, strict=True):
            style = "green" if d.percent >= 80 else "yellow" if d.percent >= 50 else "red"
            text.append(cells[row], style=style)
            text.append(" ")
        text.append("\n")
    first, last = shown[0].date[5:], shown[-1].date[5:]
    span = 2 * len(shown) - 1
    dates = first if len(shown) == 1 else first + last.rjust(max(span - len(first), 6))
    text.append("      " + dates, style="dim")
    return text


class HistoryChart(Static):
    """Accuracy per day as bars; redraws for its width."""

    DEFAULT_CSS = """
    HistoryChart { height: auto; }
    """

    def __init__(self, days: list[Day] | None = None, **kwargs: object) -> None:
        super().__init__("", **kwargs)  # type: ignore[arg-type]
        self.days = list(days or [])

    def set_days(self, days: list[Day]) -> None:
        self.days = list(days)
        self.refresh(layout=True)

    def render(self) -> Text:
        return render_history(self.days, self.size.width or 80)
