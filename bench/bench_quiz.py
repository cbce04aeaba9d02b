"""A generated bank of 5,000 questions: validates cold in under 5 s, loads warm
(from the cache keyed by the files' hashes) in under 300 ms.

Run: python bench/bench_quiz.py  (exits 1 when a goal is missed).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

QUESTIONS = 5000
PER_FILE = 500
COLD_GOAL = 5.0
WARM_GOAL = 0.3
TYPES = ("single", "multi", "typed", "order")
OBJECTIVES = ("211.1", "211.2", "211.3", "108.3")


def question(n: int) -> str:
    kind = TYPES[n % 4]
    head = (
        f'  - id: q{n:05d}\n    type: {kind}\n    objective: "{OBJECTIVES[n % 4]}"\n'
        f'    prompt:\n      en: "Question {n}: which value does the lesson use?"\n'
        f'      ja: "問題 {n}: レッスンで使う値はどれですか。"\n'
        f'    explanation:\n      en: "Because the lesson says so ({n})."\n'
        f'      ja: "レッスンにそう書いてあるからです（{n}）。"\n'
        f"    facts: [fact-{n % 97}]\n    tags: [generated, t{n % 13}]\n"
        f"    source: generated/page-{n % 50}\n    difficulty: {1 + n % 5}\n"
    )
    if kind == "typed":
        return head + (
            '    accept: ["postconf -n", "postconf -nf"]\n    rules: [spacing, case, flags]\n'
        )
    if kind == "multi":
        return head + (
            "    choose: 2\n    choices:\n"
            '      - {id: a, text: "25", correct: true}\n'
            '      - {id: b, text: "465", correct: true}\n'
            "      - {id: c, text: {en: none, ja: なし}}\n"
        )
    if kind == "order":
        return head + (
            "    choices:\n      - {id: a, text: incoming}\n"
            "      - {id: b, text: active}\n      - {id: c, text: deferred}\n"
        )
    return head + (
        '    choices:\n      - {id: a, text: "25", correct: true}\n'
        '      - {id: b, text: "110"}\n      - {id: c, text: "143"}\n'
    )


def generate(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for start in range(0, QUESTIONS, PER_FILE):
        body = "".join(question(n) for n in range(start, start + PER_FILE))
        (folder / f"bank-{start // PER_FILE:02d}.yaml").write_text(
            "languages: [en, ja]\nquestions:\n" + body, encoding="utf-8"
        )


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="mailsim-bench-quiz-"))
    os.environ["MAILSIM_DATA_DIR"] = str(tmp / "data")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from mailsim.quiz.bank import load_bank

    folder = tmp / "generated"
    generate(folder)
    start = time.perf_counter()
    bank = load_bank(folder)  # cold: parse, validate, write the cache
    cold = time.perf_counter() - start
    start = time.perf_counter()
    warm_bank = load_bank(folder)
    warm = time.perf_counter() - start
    assert len(bank.questions) == len(warm_bank.questions) == QUESTIONS
    size = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
    print(f"{QUESTIONS} questions ({size:.1f} MB of YAML in {QUESTIONS // PER_FILE} files)")
    print(f"cold validate+load: {cold:.2f} s (goal < {COLD_GOAL} s)")
    print(f"warm load from cache: {warm * 1000:.0f} ms (goal < {WARM_GOAL * 1000:.0f} ms)")
    return 0 if cold < COLD_GOAL and warm < WARM_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
