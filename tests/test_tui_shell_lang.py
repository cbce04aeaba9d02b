"""The shell language in the TUI terminal: a loop typed over several lines with
bash's `> ` prompt, Ctrl+C ending an endless loop, and `read` answered at the prompt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_tui_support import (  # noqa: F401
    make_app,
    run_async,
    run_line,
    settle,
    tui_env,
    wait_until,
)

from mailsim.tui.widgets.terminal import TerminalView


def scrollback(terminal: TerminalView) -> list[str]:
    """The terminal's lines, without the empty one the cursor sits on."""
    lines = [str(line) for line in terminal.log_view.lines]
    while lines and lines[-1] == "":
        lines.pop()
    return lines


def prompt_text(terminal: TerminalView) -> str:
    return str(terminal.query_one("#prompt").content)


async def open_sandbox(app: Any, pilot: Any) -> TerminalView:
    await settle(app, pilot)
    return app.screen.query_one(TerminalView)


@run_async
async def test_a_loop_typed_over_several_lines(tui_env: Path) -> None:  # noqa: F811
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        for line in ("for i in 1 2; do", "  if [ $i = 2 ]; then echo two; fi"):
            await run_line(app, pilot, line)
            assert prompt_text(terminal) == "> "
        await run_line(app, pilot, "done")
        assert prompt_text(terminal) == "root@mail:~# "
        lines = scrollback(terminal)
        start = lines.index("root@mail:~# for i in 1 2; do")
        assert lines[start + 1 :] == [">   if [ $i = 2 ]; then echo two; fi", "> done", "two"]


@run_async
async def test_ctrl_c_ends_an_endless_loop(tui_env: Path) -> None:  # noqa: F811
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        terminal.input.value = "while true; do :; done"
        terminal.input.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: terminal.running)
        await pilot.pause(0.2)
        assert terminal.running
        await pilot.press("ctrl+c")
        await wait_until(pilot, lambda: not terminal.running)
        await run_line(app, pilot, "echo $?")
        assert scrollback(terminal)[-1] == "130"


@run_async
async def test_read_takes_the_answer_typed_at_its_prompt(tui_env: Path) -> None:  # noqa: F811
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        terminal.input.value = 'read -p "Relay host: " relay; echo "relay=$relay"'
        terminal.input.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: prompt_text(terminal) == "Relay host: ")
        await pilot.press(*"mx.example.net", "enter")
        await wait_until(pilot, lambda: not terminal.running)
        await settle(app, pilot)
        assert scrollback(terminal)[-2:] == ["Relay host: mx.example.net", "relay=mx.example.net"]
