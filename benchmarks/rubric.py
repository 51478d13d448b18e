"""`make bench-rubric`: how fast and how right chapter 02's rubric is (``widgets.reformulation.assess``).

Prints, per language: the time of the first call (it compiles the rubric, once per kernel), the time per
answer over every labelled response (mean, p95, max), the time for a 10,000-character answer, and the
agreement with each labelled set in ``tests/data/reformulations/``. Timings are wall-clock on this machine;
the issue's bar is 20 ms per answer.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from widgets import reformulation, rubric  # noqa: E402

DATA = ROOT / "tests" / "data" / "reformulations"
LONG = {"fr": "Je comprends que ce soit difficile. ", "en": "I understand it is hard. "}
REPEAT = 5


def timed(text: str, lang: str) -> float:
    start = time.perf_counter()
    reformulation.assess(text, lang)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    print(f"rubric benchmark — Python {platform.python_version()}, {platform.machine()}, {platform.node()}")
    print()
    print(f"{'':4} {'first call':>11} {'mean':>8} {'p95':>8} {'max':>8} {'10k chars':>10}  agreement per set")
    for lang in ("fr", "en"):
        rubric.load.cache_clear()
        first = timed("Qu'aimeriez-vous à la place ?", lang)
        sets = sorted(DATA.glob(f"set-*.{lang}.json"))
        items = [item for path in sets for item in json.loads(path.read_text(encoding="utf-8"))["items"]]
        times = sorted(timed(item["response"], lang) for _ in range(REPEAT) for item in items)
        long_text = LONG[lang] * 400 + "?"
        long_ms = min(timed(long_text, lang) for _ in range(REPEAT))
        agreement = []
        for path in sets:
            data = json.loads(path.read_text(encoding="utf-8"))["items"]
            right = sum(
                reformulation.assess(item["response"], lang).solution_focused == item["solution_focused"]
                for item in data
            )
            agreement.append(f"{path.name.split('.')[0]} {right}/{len(data)} ({right / len(data):.1%})")
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{lang:4} {first:9.1f}ms {statistics.mean(times):6.2f}ms {p95:6.2f}ms {max(times):6.2f}ms"
            f" {long_ms:8.1f}ms  {', '.join(agreement)}"
        )
    print()
    print(f"{len(times) // REPEAT} answers per language timed {REPEAT} times each; bar: 20 ms per answer.")


if __name__ == "__main__":
    main()
