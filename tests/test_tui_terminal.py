"""The terminal widget as a learner meets it: where output lands, password prompts,
logging out with Ctrl+D, and its keys in the footer."""

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
    return [str(line) for line in terminal.log_view.lines]


async def open_sandbox(app: Any, pilot: Any) -> TerminalView:
    await settle(app, pilot)
    return app.screen.query_one(TerminalView)


@run_async
async def test_long_output_has_no_horizontal_scrollbar(tui_env: Path) -> None:  # noqa: F811
    """Regression: lines wrapped to the width programs are told still made the log wider
    than its view, so a horizontal scrollbar took a row between the output and the prompt."""
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        await run_line(app, pilot, "postconf -n")
        log = terminal.log_view
        assert log.max_scroll_y > 0
        assert not log.show_horizontal_scrollbar
        prompt = terminal.query_one("#prompt-row")
        assert log.region.bottom == prompt.region.y


@run_async
async def test_output_after_clear_sits_above_the_prompt(tui_env: Path) -> None:  # noqa: F811
    """Regression: after Ctrl+L the next output was drawn at the top of the pane, a
    screen away from the prompt at the bottom."""
    app = make_app(sandbox="t")
    async with app.run_test(size=(100, 40)) as pilot:
        terminal = await open_sandbox(app, pilot)
        await run_line(app, pilot, "ls /etc")
        await pilot.press("ctrl+l")
        await run_line(app, pilot, "echo hello")
        assert scrollback(terminal)[:2] == ["root@mail:~# echo hello", "hello"]
        log = terminal.log_view
        assert log.region.height == 2
        assert log.region.bottom == terminal.query_one("#prompt-row").region.y


@run_async
async def test_password_prompts_are_not_followed_by_blank_lines(tui_env: Path) -> None:  # noqa: F811
    """Regression: the hidden answer's line ended twice (once by the terminal, once by
    the program), leaving a blank line under each password prompt."""
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        terminal.input.value = "doveadm pw"
        await pilot.press("enter")
        await wait_until(pilot, lambda: terminal.input.password)
        await pilot.press(*"secret", "enter")
        await wait_until(pilot, lambda: "Retype" in str(terminal.query_one("#prompt").content))
        assert terminal.input.password
        await pilot.press(*"secret", "enter")
        await wait_until(pilot, lambda: not terminal.running)
        await settle(app, pilot)
        lines = scrollback(terminal)
        start = lines.index("root@mail:~# doveadm pw")
        assert lines[start + 1 : start + 3] == ["Enter new password: ", "Retype new password: "]
        assert lines[start + 3].startswith("{CRYPT}$2y$05$")
        assert "secret" not in "\n".join(lines)


@run_async
async def test_ctrl_d_logs_out_on_the_prompt_line(tui_env: Path) -> None:  # noqa: F811
    app = make_app(sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        terminal = await open_sandbox(app, pilot)
        await run_line(app, pilot, "su - alice")
        assert str(terminal.query_one("#prompt").content) == "alice@mail:~$ "
        await pilot.press("ctrl+d")
        await settle(app, pilot)
        assert scrollback(terminal)[-2] == "alice@mail:~$ logout"
        assert str(terminal.query_one("#prompt").content) == "root@mail:~# "


@run_async
async def test_terminal_keys_in_the_footer_speak_japanese(tui_env: Path) -> None:  # noqa: F811
    """Regression: the footer showed "^c Cancel" in English on a Japanese screen."""
    app = make_app("ja", sandbox="t")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_sandbox(app, pilot)
        shown = {
            binding.id: binding.description
            for _key, binding, _enabled, _tooltip in app.active_bindings.values()
            if binding.show
        }
        assert shown.get("terminal.cancel") == "中断/コピー"
        assert "terminal.clear" not in shown


@run_async
async def test_a_command_typed_over_lines_is_recalled_as_one_working_line(tui_env: Path) -> None:  # noqa: F811
    """Regression: the lines were joined with spaces, so Up gave 'if true then echo y fi',
    which bash cannot run; bash keeps 'if true; then echo y; fi'."""
    app = make_app(sandbox="t")
    async with app.run_test(size=(100, 30)) as pilot:
        terminal = await open_sandbox(app, pilot)
        for line in ("if true", "then echo y", "fi"):
            terminal.input.value = line
            await pilot.press("enter")
            await settle(app, pilot)
        assert terminal.shell.history[-1] == "if true; then echo y; fi"
        await pilot.press("up")
        assert terminal.input.value == "if true; then echo y; fi"
        await pilot.press("enter")
        await wait_until(pilot, lambda: not terminal.running)
        await settle(app, pilot)
        lines = [line for line in scrollback(terminal) if line.strip()]
        assert lines[-2:] == ["root@mail:~# if true; then echo y; fi", "y"]
