"""Start-up: how long a command that does not train takes from the shell prompt, and how soon
`storyline serve` answers, on the demo's store.

    python -m bench.startup
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.load import demo_store, serving

# `story 1` reads the story's stored digest (summary and sections), so it too should load no model.
COMMANDS = (("articles",), ("stories",), ("report",), ("story", "1"))
RUNS = 5
GOALS = {"command": 1.0, "serve": 3.0}  # seconds, issue 19


def _seconds(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - started


def measure() -> dict[str, float]:
    """Median wall-clock seconds of each command over RUNS runs, and of serve until it answers."""
    storyline = str(Path(sys.executable).with_name("storyline"))
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        demo_store(db)
        _seconds([storyline, "articles", "--db", str(db)])  # the page cache warm, as for any command run twice
        found = {" ".join(c): statistics.median(_seconds([storyline, *c, "--db", str(db)]) for _ in range(RUNS)) for c in COMMANDS}
        serve_times = []
        for _ in range(3):
            started = time.perf_counter()
            with serving(db, "--no-access-log", "--no-deliver-alerts"):
                serve_times.append(time.perf_counter() - started)
        found["serve (until /api/stories answers)"] = statistics.median(serve_times)
    return found


def report(found: dict[str, float]) -> str:
    parts = [f"`storyline {name}` {seconds:.2f} s" if not name.startswith("serve") else f"{name} {seconds:.2f} s"
             for name, seconds in found.items()]
    return (f"Start-up on the demo's store (median of {RUNS} runs, serve of 3): " + "; ".join(parts)
            + f". Goals: commands under {GOALS['command']:.0f} s, serve under {GOALS['serve']:.0f} s.")


if __name__ == "__main__":
    print(report(measure()))
