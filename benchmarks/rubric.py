"""`make bench-rubric`: how fast and how right the feedback on written answers is.

Prints, per language, for chapter 02's rubric (``widgets.reformulation.assess``): the time of the first call
(it compiles the rubric, once per kernel), the time per answer over every labelled response (mean, p95, max)
and the time for a 10,000-character answer; the time per answer of chapter 06's rubrics; then the agreement
of each rubric with each labelled set in ``tests/data/``. Timings are wall-clock on this machine; the issue's
bar is 20 ms per answer.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import labelled  # noqa: E402
from widgets import reformulation, rubric  # noqa: E402
from widgets.text import answer_limit  # noqa: E402

REPEAT = 5


def timed(text: str, lang: str) -> float:
    start = time.perf_counter()
    reformulation.assess(text, lang)
    return (time.perf_counter() - start) * 1000


def timed_rubric(text: str, name: str, lang: str) -> float:
    start = time.perf_counter()
    rubric.assess(text, name, lang)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    print(f"rubric benchmark — Python {platform.python_version()}, {platform.machine()}, {platform.node()}")
    print()
    print(f"{'':4} {'first call':>11} {'mean':>8} {'p95':>8} {'max':>8} {'2k chars':>9} {'10k chars':>10}")
    for lang in ("fr", "en"):
        rubric.load.cache_clear()
        first = timed("Qu'aimeriez-vous à la place ?", lang)
        items = [item for found in labelled.sets("reformulation", lang) for item in found.items]
        times = sorted(timed(item["response"], lang) for _ in range(REPEAT) for item in items)
        varied = " ".join(item["response"] for item in items)  # long texts made of real, varied answers
        at_limit = varied[: answer_limit()]  # as long as an answer may be
        limit_ms = min(timed(at_limit, lang) for _ in range(REPEAT))
        long_text = varied[:10_000]  # five times that: cannot be saved; feedback reads its start
        long_ms = min(timed(long_text, lang) for _ in range(REPEAT))
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{lang:4} {first:9.1f}ms {statistics.mean(times):6.2f}ms {p95:6.2f}ms {max(times):6.2f}ms"
            f" {limit_ms:7.1f}ms {long_ms:8.1f}ms"
        )
    print(f"{len(items)} answers per language timed {REPEAT} times each; bar: 20 ms per answer.")
    print()
    print("the other rubrics, per answer over their labelled answers (timed as many times)")
    for name in ("cooperation", "session_message"):
        for lang in ("fr", "en"):
            answers = [item["response"] for found in labelled.sets(name, lang) for item in found.items]
            rubric.assess(answers[0], name, lang)  # compiled once, as in a kernel
            times = sorted(timed_rubric(text, name, lang) for _ in range(REPEAT) for text in answers)
            p95 = times[int(0.95 * (len(times) - 1))]
            mean = statistics.mean(times)
            print(f"  {name:<17} {lang}  mean {mean:5.2f}ms  p95 {p95:5.2f}ms  max {max(times):5.2f}ms")
    print()
    print("agreement with the labelled sets (now development sets; first-measured figures: docs/feedback.md)")
    for found in labelled.sets():
        right = len(found.items) - len(found.disagreements())
        print(f"  {found.name:<38} {right:>3}/{len(found.items):<3} {right / len(found.items):6.1%}")


if __name__ == "__main__":
    main()
