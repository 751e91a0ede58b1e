"""Inputs that once stopped a whole batch, vanished without a record, or took minutes: each one
now becomes its own outcome with a reason, in bounded time, and the rest of the batch is read."""

from __future__ import annotations

import codecs
import encodings.aliases
import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

from storyline.pipeline import Ingestor, IngestSettings
from tests.conftest import SEEDS, world_page

SEED = SEEDS / "003_b7ca6e5cc61d3e62.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def _run(store, inputs, **settings):
    report = Ingestor(store, IngestSettings(**settings)).run([str(i) for i in inputs])
    return report, {o.origin: o for o in report.outcomes}


def _by_suffix(outcomes, suffix):
    return next(o for origin, o in outcomes.items() if origin.endswith(suffix))


def test_a_bad_jsonl_line_fails_alone(store, tmp_path):
    lines = [
        json.dumps({"text": SEED_TEXT}).encode(),
        json.dumps({"text": "Ceci est écrit en Latin-1, pas en UTF-8. " * 3}, ensure_ascii=False).encode("latin-1"),
        b"[" * 100_000,
        b'{"text": "\\ud800 ' + json.dumps(SEED_TEXT)[1:-1].encode() + b'", "title": "\\udfff"}',
        json.dumps({"text": (SEEDS / "001_3b806ca0330072c3.txt").read_text(encoding="utf-8")}).encode(),
    ]
    (tmp_path / "batch.jsonl").write_bytes(b"\n".join(lines))
    report, outcomes = _run(store, [tmp_path / "batch.jsonl"])
    assert len(report.outcomes) == 5
    assert "UTF-8" in _by_suffix(outcomes, "#line2").detail
    assert "nested" in _by_suffix(outcomes, "#line3").detail
    assert _by_suffix(outcomes, "#line1").status == "stored"
    assert _by_suffix(outcomes, "#line5").status == "stored"
    # A lone surrogate is not text: it becomes a replacement character, and the article its line holds is kept.
    surrogate = _by_suffix(outcomes, "#line4")
    assert surrogate.status in ("stored", "copy")
    assert store.run_summary().failed == 2


@pytest.mark.parametrize("feed", [
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>&#xD800;</title><item><title>a&#xD800;</title><description>x</description></item></channel></rss>',
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>&#x110000;</title><item><title>&#x110000;</title></item></channel></rss>',
    b'<?xml version="1.0" encoding="undefined"?><rss version="2.0"><channel><title>t</title><item><title>t</title></item></channel></rss>',
])
def test_a_feed_that_breaks_the_feed_parser_fails_alone(store, tmp_path, feed):
    (tmp_path / "bad.rss").write_bytes(feed)
    report, outcomes = _run(store, [tmp_path / "bad.rss", SEEDS])
    failure = outcomes[str(tmp_path / "bad.rss")]
    assert failure.status == "failed" and "unexpected" not in failure.detail
    assert report.count("stored") == 5


def test_a_file_name_that_is_not_utf8_is_read_and_named(store, tmp_path):
    name = os.fsdecode(b"r\xe9sum\xe9.txt")
    shutil.copy(SEED, tmp_path / name)
    report, _ = _run(store, [tmp_path])
    assert report.count("stored") == 1
    [article] = store.articles()
    assert article.origin.endswith("r\ufffdsum\ufffd.txt")


def test_devices_fifos_and_broken_links_are_named_not_skipped(store, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    os.mkfifo(folder / "pipe.txt")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    os.mkfifo(tmp_path / "fifo.txt")
    report, outcomes = _run(store, ["/dev/zero", "/dev/null", tmp_path / "fifo.txt", folder])
    reasons = {Path(origin).name: o.detail for origin, o in outcomes.items() if o.status == "failed"}
    assert "character device" in reasons["zero"] and "character device" in reasons["null"]
    assert "FIFO" in reasons["fifo.txt"] and "FIFO" in reasons["pipe.txt"]
    assert "broken symbolic link" in reasons["dangling.txt"]
    assert "symbolic link" in reasons["loop.txt"]
    assert report.count("stored") == 1 and len(report.outcomes) == 7


def test_nul_bytes_past_the_binary_sniff_never_reach_the_text(store, tmp_path):
    data = SEED.read_bytes()
    data = b"\n" * 9000 + data[:2000] + b"\x00\x00" + data[2000:] + b"\x00 \x0b \x0c"
    (tmp_path / "nul.txt").write_bytes(data)
    report, _ = _run(store, [tmp_path / "nul.txt"])
    assert report.count("stored") == 1
    text = store.articles(with_text=True)[0].text
    assert not any(ch in text for ch in "\x00\x0b\x0c")


def test_every_charset_a_page_may_declare_is_survived(store, tmp_path):
    """A real page declaring each of Python's codec names decodes to its text (the impossible
    ones, `undefined`, `idna`, `punycode`, `utf-16` on 8-bit bytes, are ignored, not obeyed);
    the impossible ones also go through a whole ingest, stored and never an unexpected error."""
    from storyline.ingest.decoding import decode_bytes

    url, page = world_page("globalnews.ca")
    impossible = ("undefined", "idna", "punycode", "utf_16", "utf_32", "utf_7", "rot_13", "hex_codec", "zlib_codec",
                  "x-user-defined", "bogus-42", "raw_unicode_escape")
    labels = sorted(set(encodings.aliases.aliases) | set(encodings.aliases.aliases.values()) | set(impossible))
    for label in labels:
        declared = page.replace(b"<head>", f'<head><meta charset="{label}">'.encode(), 1)
        text, how = decode_bytes(declared)
        assert "Syria" in text, (label, how)
        if label in impossible:
            (tmp_path / f"{label}.html").write_bytes(declared.replace(b"</title>", f" {label}</title>".encode(), 1))
    report, outcomes = _run(store, [tmp_path])
    assert len(report.outcomes) == len(impossible)
    assert report.count("failed") == 0, [o.detail for o in report.failures][:3]


def test_metadata_fields_have_limits_and_are_checked(store, tmp_path):
    lines = [
        {"text": SEED_TEXT, "published": "2022-02-14 " * 5_000},
        {"text": SEED_TEXT, "title": "T" * 100_000},
        {"text": SEED_TEXT, "country": "Ukraine"},
        {"text": SEED_TEXT, "language": "english please"},
        {"text": SEED_TEXT, "url": "javascript:alert(1)"},
        {"text": SEED_TEXT, "published": "0099-01-01 10:00", "url": "https://www.newsweek.com/ukraine-nato-1"},
    ]
    (tmp_path / "meta.jsonl").write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    report, outcomes = _run(store, [tmp_path / "meta.jsonl"])
    assert "published" in _by_suffix(outcomes, "#line1").detail
    assert "title" in _by_suffix(outcomes, "#line2").detail
    assert "country" in _by_suffix(outcomes, "#line3").detail
    assert "language" in _by_suffix(outcomes, "#line4").detail
    assert "http" in _by_suffix(outcomes, "#line5").detail
    # A year-99 date is no date for a news article: the article is kept, its date found elsewhere or left unknown.
    assert _by_suffix(outcomes, "#line6").status == "stored"
    [article] = store.articles()
    assert article.published is None or article.published[:4] >= "1990"


def test_compressed_batches_are_read_as_a_stream_within_the_limit(store, tmp_path):
    line = json.dumps({"text": SEED_TEXT}).encode() + b"\n"
    (tmp_path / "bomb.jsonl.gz").write_bytes(gzip.compress(line + b" " * 3_000_000 + b"\n" + b"\n" * 3_000_000))
    report, outcomes = _run(store, [tmp_path / "bomb.jsonl.gz"], max_bytes=20_000)
    assert _by_suffix(outcomes, "#line1").status == "stored"
    assert "too large" in _by_suffix(outcomes, "#line2").detail
    assert any("too large" in o.detail for o in report.failures if not o.origin.endswith("#line2"))


def test_a_paragraph_no_parser_can_read_is_refused_at_ingest(store, tmp_path):
    (tmp_path / "wall.txt").write_text(SEED_TEXT + "\n\n" + "The minister said that the talks would go on. " * 23_000, encoding="utf-8")
    report, _ = _run(store, [tmp_path / "wall.txt"])
    assert "paragraph" in report.failures[0].detail


def test_cleaning_takes_linear_time_on_adversarial_text():
    """Text built to make a backtracking pattern explode must clean as fast as prose of its size."""
    import time

    from storyline.ingest.textclean import clean_text

    prose = SEED_TEXT * 4
    started = time.perf_counter()
    clean_text(prose, frozenset())
    baseline = time.perf_counter() - started
    for attack in ("AB " * 16_000, "A/" * 24_000, "Photo " * 8_000, "1. " * 16_000, "a" * 48_000, "- " * 24_000):
        started = time.perf_counter()
        clean_text(attack + ".\n" + SEED_TEXT, frozenset())
        assert time.perf_counter() - started < 20 * baseline + 0.5, attack[:8]


def test_charset_label_lookup_never_raises():
    from storyline.ingest.decoding import decode_bytes

    for label in ("undefined", "idna", "punycode", "rot13", "hex", "uu", "zlib", "base64", "utf-16", "utf-32", "mbcs"):
        text, how = decode_bytes(f'<meta charset="{label}"><p>caf\u00e9 ok</p>'.encode(), None)
        assert "café" in text, (label, how)
    assert codecs.lookup("utf-8")
