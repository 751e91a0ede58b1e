"""`make fuzz`: thousands of generated hostile inputs through a real ingest, each batch into a
real store; figures printed at the end (cases tried, aborted runs, hangs, inputs without an
outcome, unexpected errors). The test suite runs a small derandomised slice of the same.

Inputs are of every kind that once stopped a run (issue 21): random bytes under every suffix,
real pages mutated (truncated, NUL bytes, control characters, false or impossible charset
declarations, fake gzip), JSONL lines (invalid UTF-8, deep nesting, lone surrogates, wrong
types, huge fields), feeds with impossible character references or encodings, and file names
that are not UTF-8.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".rss", ".xml", ".atom", ".md", ".txt.gz", ".html.gz", ".jsonl.gz")
CHARSETS = ("utf-8", "latin-1", "cp1251", "utf-16", "utf-32", "undefined", "idna", "punycode", "x-user-defined", "rot13",
            "hex", "utf-7", "replacement", "iso-2022-kr", "shift_jis", "gb18030", "koi8-u", "bogus", "", "\u00e9")
HANG_SECONDS = 10.0
LIMIT = 400_000  # max_bytes in the fuzz runs: big enough for real pages, small enough to reach the limits


def _seed_texts() -> list[bytes]:
    return [path.read_bytes() for path in sorted(SEEDS.glob("*.txt"))]


def _html_of(text: bytes) -> bytes:
    paragraphs = b"".join(b"<p>" + line + b"</p>" for line in text.splitlines() if line.strip())
    return b"<!doctype html><html><head><meta charset=\"utf-8\"><title>t</title></head><body><article>" + paragraphs + b"</article></body></html>"


@st.composite
def mutated_page(draw) -> bytes:
    text = draw(st.sampled_from(_seed_texts()))
    data = draw(st.sampled_from([text, _html_of(text)]))
    for _ in range(draw(st.integers(0, 4))):
        cut = draw(st.integers(0, len(data)))
        mutation = draw(st.sampled_from(["truncate", "insert", "nul", "controls", "charset", "repeat", "surrogate-ref"]))
        if mutation == "truncate":
            data = data[:cut]
        elif mutation == "insert":
            data = data[:cut] + draw(st.binary(max_size=64)) + data[cut:]
        elif mutation == "nul":
            data = data[:cut] + b"\x00" * draw(st.integers(1, 16)) + data[cut:]
        elif mutation == "controls":
            data = data[:cut] + bytes(draw(st.lists(st.integers(0, 31), max_size=16))) + data[cut:]
        elif mutation == "charset":
            label = draw(st.sampled_from(CHARSETS)).encode("utf-8")
            data = data.replace(b'charset="utf-8"', b'charset="' + label + b'"', 1) if b"charset" in data else \
                b'<meta charset="' + label + b'">' + data
        elif mutation == "repeat":
            data = data[:cut] + data[cut:cut + 200] * draw(st.integers(2, 200)) + data[cut:]
        else:
            data = data[:cut] + draw(st.sampled_from([b"&#xD800;", b"&#x110000;", b"&#0;", b"&#xFFFE;"])) + data[cut:]
    return data


_JSON_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)
_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _JSON_TEXT,
                     lambda children: st.lists(children, max_size=4) | st.dictionaries(_JSON_TEXT, children, max_size=4), max_leaves=12)


@st.composite
def jsonl_line(draw) -> bytes:
    kind = draw(st.sampled_from(["article", "fields", "value", "deep", "latin1", "bytes", "huge"]))
    text = draw(st.sampled_from(_seed_texts())).decode("utf-8")
    if kind == "article":
        return json.dumps({"text": text, draw(st.sampled_from(["title", "url", "published", "country", "language", "outlet"])): draw(_JSON_TEXT)}).encode()
    if kind == "fields":
        record = draw(st.dictionaries(st.sampled_from(["text", "html", "url", "title", "published", "country", "language", "outlet", "x"]),
                                      _JSON, max_size=6))
        return json.dumps(record).encode("utf-8", "surrogatepass")
    if kind == "value":
        return json.dumps(draw(_JSON)).encode("utf-8", "surrogatepass")
    if kind == "deep":
        depth = draw(st.integers(500, 200_000))
        return draw(st.sampled_from([b"[", b"{\"a\":"])) * depth
    if kind == "latin1":
        return json.dumps({"text": text + " caf\u00e9"}, ensure_ascii=False).encode("latin-1", "replace")
    if kind == "huge":
        return json.dumps({"text": text, "published": "2024-10-22 " * draw(st.integers(10, 20_000))}).encode()
    return draw(st.binary(max_size=200))


@st.composite
def feed(draw) -> bytes:
    encoding = draw(st.sampled_from(CHARSETS)).encode()
    title = draw(st.sampled_from([b"Title", b"&#xD800;", b"&#x110000;", b"&#0;", b"\xff\xfe", b"&unknown;", b"<![CDATA[x]]>"]))
    body = draw(st.sampled_from([b"", b"<description>" + draw(st.sampled_from(_seed_texts()))[:3000] + b"</description>"]))
    items = b"<item><title>" + title + b"</title>" + body + b"</item>"
    return b'<?xml version="1.0" encoding="' + encoding + b'"?><rss version="2.0"><channel><title>' + title + b"</title>" + \
        items * draw(st.integers(0, 3)) + b"</channel></rss>"


@st.composite
def hostile_input(draw) -> tuple[bytes, bytes]:
    """(file name, content) of one input."""
    kind = draw(st.sampled_from(["random", "page", "jsonl", "feed"]))
    if kind == "random":
        suffix, data = draw(st.sampled_from(SUFFIXES)), draw(st.binary(max_size=4096))
    elif kind == "page":
        suffix, data = draw(st.sampled_from((".html", ".txt", ".htm", ".xml"))), draw(mutated_page())
    elif kind == "jsonl":
        suffix, data = ".jsonl", b"\n".join(draw(st.lists(jsonl_line(), min_size=1, max_size=4)))
    else:
        suffix, data = draw(st.sampled_from((".rss", ".xml", ".atom"))), draw(feed())
    if suffix.endswith(".gz") and draw(st.booleans()):
        data = gzip.compress(data)
    stem = draw(st.sampled_from([b"input", b"r\xe9sum\xe9", b"\xff\xfe", "Київ".encode(), b"with space"]))
    return stem + suffix.encode(), data


@dataclass
class FuzzTally:
    inputs: int = 0
    batches: int = 0
    aborted: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    without_outcome: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)
    outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.aborted or self.hangs or self.without_outcome or self.unexpected or self.inconsistent)


def ingest_batch(inputs: list[tuple[bytes, bytes]], tally: FuzzTally) -> None:
    """One ingest run over a folder of the inputs, in a new store; every check recorded in the tally."""
    from sqlalchemy import text

    from storyline.pipeline import Ingestor, IngestSettings
    from storyline.store import Store

    with TemporaryDirectory() as folder:
        root = Path(folder) / "in"
        root.mkdir()
        names = []
        for number, (name, data) in enumerate(inputs):
            path = os.path.join(os.fsencode(root), b"%03d-" % number + name)
            with open(path, "wb") as handle:
                handle.write(data)
            names.append(os.fsdecode(path))
        tally.inputs += len(inputs)
        tally.batches += 1
        times: list[float] = [time.perf_counter()]
        with Store(Path(folder) / "fuzz.db") as store:
            try:
                report = Ingestor(store, IngestSettings(max_bytes=LIMIT)).run([str(root)], on_outcome=lambda o: times.append(time.perf_counter()))
            except BaseException as error:  # noqa: BLE001 - an aborted run is what the fuzz looks for
                tally.aborted.append(f"{type(error).__name__}: {error}"[:300])
                return
            for before, after, outcome in zip(times, times[1:], report.outcomes, strict=False):
                if after - before > HANG_SECONDS:
                    tally.hangs.append(f"{outcome.origin}: {after - before:.1f} s")
            for outcome in report.outcomes:
                tally.outcomes[outcome.status] = tally.outcomes.get(outcome.status, 0) + 1
                if "unexpected error" in outcome.detail:
                    tally.unexpected.append(f"{outcome.origin}: {outcome.detail}"[:300])
            seen = {o.origin.split("#", 1)[0] for o in report.outcomes}
            skipped = set(report.skipped_unsupported)
            for name in names:
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                if shown not in seen and shown not in skipped:
                    tally.without_outcome.append(shown)
            with store.engine.connect() as connection:
                if connection.execute(text("PRAGMA integrity_check")).scalar() != "ok" or \
                        connection.execute(text("PRAGMA foreign_key_check")).all():
                    tally.inconsistent.append(f"batch {tally.batches}")
            recorded = store.run_summary()
            if recorded is None or recorded.failed != report.count("failed"):
                tally.inconsistent.append(f"batch {tally.batches}: failures recorded {recorded and recorded.failed}, reported {report.count('failed')}")


def run(examples: int, per_batch: int, seed: int | None, tally: FuzzTally) -> None:
    @settings(max_examples=examples, deadline=None, database=None, derandomize=seed is None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(st.lists(hostile_input(), min_size=1, max_size=per_batch))
    def batch(inputs):
        ingest_batch(inputs, tally)

    if seed is not None:
        from hypothesis import seed as seeded

        seeded(seed)(batch)()
    else:
        batch()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=10_000, help="inputs to generate, at least")
    parser.add_argument("--per-batch", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None, help="a random seed; derandomised when absent")
    args = parser.parse_args(argv)
    tally = FuzzTally()
    started = time.perf_counter()
    while tally.inputs < args.inputs:
        run(max(1, (args.inputs - tally.inputs) // (args.per_batch // 2 or 1)), args.per_batch,
            args.seed if args.seed is not None else tally.batches, tally)
    seconds = time.perf_counter() - started
    print(f"fuzz: {tally.inputs:,} inputs in {tally.batches:,} ingest runs, {seconds:.0f} s ({tally.inputs / seconds:.1f} inputs/s)")
    print("outcomes: " + ", ".join(f"{status} {count:,}" for status, count in sorted(tally.outcomes.items())))
    for label, found in (("aborted runs", tally.aborted), (f"hangs over {HANG_SECONDS:.0f} s", tally.hangs),
                         ("inputs without an outcome", tally.without_outcome), ("unexpected errors", tally.unexpected),
                         ("inconsistent stores", tally.inconsistent)):
        print(f"{label}: {len(found)}" + "".join(f"\n  {line}" for line in found[:10]))
    return 0 if tally.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
