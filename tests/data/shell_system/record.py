"""Fill the expectations of shell transcript cases from the real tools on a Debian 12 host.

Each case names the simulated line and, where the real tool can answer for the
simulated host, the real command that gives the same answer here (the fixed clock
passed with -d, the simulated host's names given as arguments). Cases without
"real" keep hand-written expectations (host-specific output: names, kernel).

    python tests/data/shell_system/record.py tests/data/shell_*/cases.json
"""

from __future__ import annotations

import json
import subprocess
import sys

ENV = {
    "LC_ALL": "C.UTF-8",
    "TZ": "UTC",
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
}


def run_real(command: str) -> tuple[str, str, int]:
    done = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=ENV, check=False
    )
    return done.stdout, done.stderr, done.returncode


def main(paths: list[str]) -> None:
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            cases = json.load(fh)
        for case in cases:
            if case.get("real"):
                case["stdout"], case["stderr"], case["status"] = run_real(case["real"])
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(cases, fh, indent=1, ensure_ascii=False)
            fh.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
