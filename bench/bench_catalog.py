"""The TUI's pack catalogue (the built-in packs): cold, when every pack is loaded and
validated through the packs layer, and warm, when the JSON cache answers.

    .venv/bin/python bench/bench_catalog.py [--runs N]

"In a fresh process" spawns an interpreter per run and times ``load_catalog()``
including the imports it triggers (after Textual-free ``mailsim`` is importable),
as the app's worker pays it on first use (also after importing the app, whose
Textual brings most of the standard library the catalogue needs). "In process" repeats the call with the
modules already imported. Cold runs delete the cache file first.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import time
{preload}
started = time.perf_counter()
from mailsim.tui.data.catalog import load_catalog
packs = load_catalog().packs
print(f"{time.perf_counter() - started!r} {len(packs)}")
"""

APP_PRELOAD = "import mailsim.tui.app"


def fresh_process(
    runs: int, cold: bool, env: dict[str, str], cache: str, preload: str = ""
) -> tuple[float, int]:
    code = CHILD.replace("{preload}", preload)
    times = []
    count = 0
    for _ in range(runs):
        if cold and os.path.exists(cache):
            os.remove(cache)
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        )
        seconds, packs = done.stdout.split()
        times.append(float(seconds))
        count = int(packs)
    return statistics.median(times), count


def in_process(runs: int, cold: bool, cache: str) -> float:
    from mailsim.tui.data.catalog import load_catalog

    load_catalog()
    times = []
    for _ in range(runs):
        if cold and os.path.exists(cache):
            os.remove(cache)
        started = time.perf_counter()
        load_catalog()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    data = tempfile.mkdtemp(prefix="mailsim-bench-")
    os.environ["MAILSIM_DATA_DIR"] = data
    env = dict(os.environ)
    cache = os.path.join(data, "cache", "catalog.json")
    cold, packs = fresh_process(args.runs, True, env, cache)
    warm, _ = fresh_process(args.runs, False, env, cache)
    print(f"catalogue of {packs} built-in packs, median of {args.runs} runs")
    print(f"fresh process, cold (no cache):   {cold * 1000:7.1f} ms")
    print(f"fresh process, warm (JSON cache): {warm * 1000:7.1f} ms")
    # The app's worker runs with Textual (and the stdlib it brings) already imported.
    cold, _ = fresh_process(args.runs, True, env, cache, APP_PRELOAD)
    warm, _ = fresh_process(args.runs, False, env, cache, APP_PRELOAD)
    print(f"fresh process after importing the app, cold: {cold * 1000:7.1f} ms")
    print(f"fresh process after importing the app, warm: {warm * 1000:7.1f} ms")
    cold = in_process(args.runs, True, cache)
    warm = in_process(args.runs, False, cache)
    print(f"in process, cold (no cache):      {cold * 1000:7.1f} ms")
    print(f"in process, warm (JSON cache):    {warm * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
