"""Load check of `storyline serve`: 200 concurrent clients on the story and search pages.

Builds the demo's store (the seeds, both propositions), starts the real server in its own
process on 127.0.0.1, and drives it with wrk (Debian's `wrk`, installed by `make
system-packages`): a C load generator, so the two cores measure the server rather than a
Python client. The request mix is mostly pages many readers share, and one request in four a
search nobody made before, which no cache can answer. Prints requests/s, latency percentiles
and errors.

    python -m bench.load [--clients 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote_plus

import httpx

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"

# wrk runs this in each of its threads: cycle through the paths, then report in one line.
WRK_SCRIPT = """
local paths = {%s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("STORYLINE %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class LoadResult:
    clients: int
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    socket_errors: int
    status_errors: int
    paths: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


def demo_store(db: str | Path, *extra_inputs: Path) -> None:
    """The demo's store: the seeds (and any extra inputs), the answer key's propositions, analysed
    as `storyline analyze` does. The web tests and the browser test build theirs with it too."""
    from storyline.jobs.update import update
    from storyline.pipeline import Ingestor
    from storyline.store import Store

    gold = json.loads((SEEDS / "gold.json").read_text(encoding="utf-8"))
    with Store(db) as store:
        Ingestor(store).run([str(SEEDS), *map(str, extra_inputs)])
        for text in gold["propositions"].values():
            store.add_proposition(text)
        update(store)


def _vocabulary(db: Path, size: int = 120) -> list[str]:
    """Words the seeds use, for searches that find something and that no one has made before."""
    from storyline.store import Store

    with Store(db) as store:
        words = Counter(w.casefold() for a in store.articles(with_text=True) for w in re.findall(r"[A-Za-z]{6,}", a.text))
    return sorted(w for w, _n in words.most_common(size))


def request_mix(story: int, vocabulary: list[str]) -> list[str]:
    """Three shared pages (the story twice, a full-text and a semantic search), then a new search;
    one new search in four is semantic, so it encodes its query."""
    shared = [f"/stories/{story}", "/search?q=NATO+membership", f"/stories/{story}",
              "/search?q=territory+for+membership&semantic=true"]
    pairs = [f"{a} {b}" for i, a in enumerate(vocabulary) for b in vocabulary[i + 1:]]
    mix = []
    for n, pair in enumerate(pairs):
        mix.extend(shared[(3 * n + k) % len(shared)] for k in range(3))
        mix.append(f"/search?q={quote_plus(pair)}" + ("&semantic=true" if n % 4 == 3 else ""))
    return mix


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(db: Path, *options: str, started: Callable[[int], None] = lambda pid: None) -> Iterator[str]:
    """`storyline serve` over `db` in its own process on 127.0.0.1: its base URL once it answers.
    Its console goes to serve.log beside the database, quoted if it stops or never answers."""
    log = db.with_name("serve.log")
    port = free_port()
    with log.open("w") as output:
        server = subprocess.Popen([sys.executable, "-m", "storyline.interfaces.cli", "serve", "--db", str(db), "--port", str(port),
                                   *options], stdout=output, stderr=subprocess.STDOUT)
    started(server.pid)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(base + "/api/stories", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None:
                raise RuntimeError(f"storyline serve exited: {log.read_text()}")
            time.sleep(0.25)
        else:
            raise RuntimeError(f"storyline serve did not answer within 60 s: {log.read_text()}")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # still draining requests a load generator gave up on
            server.kill()
            server.wait()


def _wrk(base: str, paths: list[str], clients: int, seconds: int, folder: Path) -> LoadResult:
    script = folder / "mix.lua"
    script.write_text(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths), encoding="utf-8")
    finished = subprocess.run(["wrk", "--threads", "2", "--connections", str(clients), "--duration", f"{seconds}s",
                               "--timeout", "60s", "--script", str(script), base], capture_output=True, text=True, check=True)
    line = next(line for line in finished.stdout.splitlines() if line.startswith("STORYLINE "))
    requests, duration_us, p50, p95, p99, socket_errors, status_errors = (int(x) for x in line.split()[1:])
    return LoadResult(clients, requests, duration_us / 1e6, p50 / 1000, p95 / 1000, p99 / 1000, socket_errors, status_errors, len(paths))


def api_list_mix(propositions: list[int]) -> list[str]:
    """The API's lists, every page of each and with filters: what a client syncing the store asks, uncached."""
    lists = ["/api/articles?limit=50", "/api/statements?limit=50", "/api/stories", "/api/actors?limit=50", "/api/shifts",
             "/api/propositions", "/api/statements?speaker=Zelenskyy", "/api/articles?country=UA", "/api/actors?name=Kuleba"]
    lists += [f"/api/positions?proposition={p}" for p in propositions]
    return [f"{path}{'&' if '?' in path else '?'}offset={offset}" for offset in (0, 1, 2, 5) for path in lists]


def run(clients: int = 200, seconds: int = 20) -> tuple[dict[str, LoadResult], float] | None:
    """Pages (story and search) and the API's lists, each under the same load, and the server's peak
    memory in MiB; None where wrk is not installed."""
    if shutil.which("wrk") is None:
        return None
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.db"
        demo_store(db)
        server: list[int] = []
        with serving(db, "--no-deliver-alerts", "--no-access-log", started=server.append) as base:
            stories = httpx.get(base + "/api/stories").json()["items"]
            mix = request_mix(stories[0]["id"], _vocabulary(db))
            lists = api_list_mix([p["id"] for p in httpx.get(base + "/api/propositions").json()["items"]])
            for path in mix[:8] + lists:  # warm-up: load the models once, as a running server would have
                httpx.get(base + path, timeout=120).raise_for_status()
            results = {"story and search pages, one request in four a search no one made before": _wrk(base, mix[8:], clients, seconds, Path(folder)),
                       "API lists (articles, statements, stories, actors, shifts, positions; pages and filters)":
                           _wrk(base, lists, clients, seconds, Path(folder))}
            return results, _peak_memory_mib(server[0])


def _peak_memory_mib(pid: int) -> float:
    """The server's peak resident memory (VmHWM), read before it stops."""
    from bench.throughput import memory_mb

    peak = memory_mb(pid, "VmHWM")
    return peak if peak is not None else float("nan")


def report(measured: tuple[dict[str, LoadResult], float] | None) -> str:
    if measured is None:
        return "Load: not run: wrk is not installed (make system-packages installs it)."
    results, peak = measured
    return f"Load: the server's peak memory over both runs {peak:,.0f} MiB.\n" + "\n".join(
        f"Load: {r.clients} concurrent clients (wrk) for {r.seconds:.0f} s on {what}: {r.rate:.0f} requests/s, p50 {r.p50_ms:.0f} ms, "
        f"p95 {r.p95_ms:.0f} ms, p99 {r.p99_ms:.0f} ms; {r.socket_errors} socket errors, {r.status_errors} non-2xx responses "
        f"({r.requests:,} requests). One uvicorn process; server and wrk share 2 cores." for what, r in results.items())


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=int, default=20)
    arguments = parser.parse_args()
    print(report(run(arguments.clients, arguments.seconds)))
