"""TUI timing: cold start to the home screen's first mount against a bare Textual app,
and how long a keystroke in the terminal takes to reach the prompt line.

    .venv/bin/python bench/bench_tui.py [--runs N]

Cold start runs each app in a fresh headless process (imports included) and
stops it at its first screen's mount; the target is within 1.3x of the bare app.
A keystroke is echoed within one frame when it lands in under 1/60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from textual.app import App
from textual.screen import Screen
from textual.widgets import Footer, Header

class Home(Screen):
    def compose(self):
        yield Header()
        yield Footer()

    def on_mount(self):
        import sys, time
        print("mounted", repr(time.time()))
        self.app.exit()

class Bare(App):
    def on_mount(self):
        self.push_screen(Home())

Bare().run(headless=True)
"""

MAILSIM = """
from mailsim.tui.app import MailsimApp
from mailsim.tui.screens.home import HomeScreen

original = HomeScreen.on_mount

def on_mount(self):
    import sys, time
    original(self)
    print("mounted", repr(time.time()))
    self.app.exit()

HomeScreen.on_mount = on_mount
MailsimApp(lang="en").run(headless=True)
"""


def cold_start(code: str, runs: int) -> tuple[float, float]:
    """Median seconds from spawning the process to its first screen's mount, and to its exit.

    The child writes the wall-clock time of the mount; the parent notes the time
    just before it spawns the child (both clocks are the same system clock).
    """
    to_mount, to_exit = [], []
    env = dict(os.environ, MAILSIM_DATA_DIR=tempfile.mkdtemp(prefix="mailsim-bench-"))
    for _ in range(runs):
        spawned = time.time()
        done = subprocess.run(
            [sys.executable, "-c", code],
            check=True,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        to_exit.append(time.time() - spawned)
        mounted = [
            line for line in done.stdout.decode().splitlines() if line.startswith("mounted ")
        ]
        to_mount.append(float(mounted[-1].split()[1]) - spawned)
    return statistics.median(to_mount), statistics.median(to_exit)


async def keystroke_latency(presses: int) -> list[float]:
    from mailsim.tui.app import MailsimApp
    from mailsim.tui.widgets.terminal import TerminalView

    os.environ["MAILSIM_DATA_DIR"] = tempfile.mkdtemp(prefix="mailsim-bench-")
    app = MailsimApp(lang="en")
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_sandbox("default")
        await pilot.pause()
        terminal = app.screen.query_one(TerminalView)
        terminal.input.focus()
        await pilot.pause()
        for i in range(presses):
            before = terminal.input.value
            started = time.perf_counter()
            app.post_message(__import__("textual.events", fromlist=["Key"]).Key("x", "x"))
            while terminal.input.value == before:
                await asyncio.sleep(0)
            latencies.append(time.perf_counter() - started)
            if i % 20 == 19:
                terminal.input.value = ""
                await pilot.pause()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    bare, bare_exit = cold_start(BARE, args.runs)
    ours, ours_exit = cold_start(MAILSIM, args.runs)
    print(
        f"spawn to first mount, bare Textual app:    {bare * 1000:7.1f} ms (median of {args.runs})"
    )
    print(
        f"spawn to first mount, mailsim home screen: {ours * 1000:7.1f} ms  = {ours / bare:.2f}x"
        f" (target <= 1.30x)"
    )
    print(
        f"spawn to exit (mount, then quit at once):  bare {bare_exit * 1000:.1f} ms,"
        f" mailsim {ours_exit * 1000:.1f} ms = {ours_exit / bare_exit:.2f}x"
    )
    latencies = asyncio.run(keystroke_latency(100))
    median = statistics.median(latencies) * 1000
    worst = max(latencies) * 1000
    print(
        f"keystroke to prompt line:                  {median:7.2f} ms median, {worst:.2f} ms worst"
        f" (one frame = 16.7 ms)"
    )


if __name__ == "__main__":
    main()
