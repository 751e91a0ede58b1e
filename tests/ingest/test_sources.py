"""Every class of bad input fails alone, with a reason, and the batch goes on."""

from __future__ import annotations

import gzip
import json
import shutil
import socket
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storyline.pipeline import Ingestor, IngestSettings
from tests.conftest import FIXTURES, SEEDS

REAL_PAGE = gzip.decompress((FIXTURES / "pages" / "wsj-stadia.html.gz").read_bytes())


def _outcomes(store, inputs, **settings):
    report = Ingestor(store, IngestSettings(**settings)).run([str(i) for i in inputs])
    return {Path(o.origin).name if "://" not in o.origin else o.origin: o for o in report.outcomes}, report


@pytest.fixture
def site(tmp_path: Path):
    """A local web server with a real article page, a feed of local links, and an HTML page posing as a feed."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "article.html").write_bytes(REAL_PAGE)
    (root / "big.html").write_bytes(REAL_PAGE * 3)
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietHandler, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_port}"
    seed_html = "".join(f"<p>{line}</p>" for line in (SEEDS / "003_b7ca6e5cc61d3e62.txt").read_text(encoding="utf-8").splitlines() if line.strip())
    (root / "seed.html").write_text(f"<html><head><title>Ukraine Says Joining NATO</title></head><body><article>{seed_html}</article></body></html>", encoding="utf-8")
    (root / "feed.xml").write_text(
        f"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title>
        <item><title>Ukraine Says Joining NATO 'Integral'</title><link>{base}/seed.html</link><pubDate>Mon, 14 Feb 2022 10:00:00 GMT</pubDate></item>
        <item><title>Gone</title><link>{base}/missing.html</link></item></channel></rss>""",
        encoding="utf-8",
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base
    server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bad_files_fail_alone_with_reasons(store, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.html").write_bytes(b"%PDF-1.7 binary")
    (bad / "noise.txt").write_bytes(bytes(range(128, 256)) * 20)
    (bad / "not-a-feed.rss").write_bytes(REAL_PAGE[:50_000])
    (bad / "broken.html").write_bytes(b"<html><body><div><p>Unclosed <b>tag <i>soup</div></span></table>")
    (bad / "menu.txt").write_text("Home\nWorld\nPolitics\nSport\n", encoding="utf-8")
    (bad / "huge.html").write_bytes(REAL_PAGE)
    (bad / "lines.jsonl").write_text('{"text": "x"}\nnot json\n{"title": "no body"}\n', encoding="utf-8")
    shutil.copy(SEEDS / "003_b7ca6e5cc61d3e62.txt", bad / "good.txt")
    outcomes, report = _outcomes(store, [bad, tmp_path / "absent.txt", SEEDS / "gold.json"], max_bytes=100_000)
    reasons = {name: o.detail for name, o in outcomes.items() if o.status == "failed"}
    assert outcomes["good.txt"].status == "stored"
    assert "empty" in reasons["empty.txt"]
    assert "PDF" in reasons["binary.html"]
    assert "undecodable" in reasons["noise.txt"]
    assert "not an RSS/Atom feed" in reasons["not-a-feed.rss"]
    assert "no article text" in reasons["broken.html"]
    assert "no article text" in reasons["menu.txt"]
    assert "too large" in reasons["huge.html"]
    assert "invalid JSON" in reasons["lines.jsonl#line2"]
    assert "no 'text' or 'html'" in reasons["lines.jsonl#line3"]
    assert "no article text" in reasons["lines.jsonl#line1"]
    assert "no such file" in reasons["absent.txt"]
    assert "unsupported file type" in reasons["gold.json"]
    assert report.count("failed") == len(reasons) and store.run_summary().failed == len(reasons)
    assert {f.origin for f in store.run_summary().failures} == {o.origin for o in report.failures}


def test_jsonl_and_sidecar_metadata(store, tmp_path):
    text = (SEEDS / "001_3b806ca0330072c3.txt").read_text(encoding="utf-8")
    (tmp_path / "batch.jsonl").write_text(
        json.dumps({"url": "https://www.ukrinform.net/rubric-polytics/3919811.html", "text": text, "published": "2024-10-22T20:01"}) + "\n",
        encoding="utf-8",
    )
    shutil.copy(SEEDS / "003_b7ca6e5cc61d3e62.txt", tmp_path / "newsweek.txt")
    (tmp_path / "newsweek.txt.meta.json").write_text(json.dumps({"outlet": "Newsweek", "url": "https://www.newsweek.com/x"}), encoding="utf-8")
    _outcomes(store, [tmp_path])
    by_outlet = {a.outlet: a for a in store.articles()}
    assert by_outlet["Ukrinform"].country == "UA" and by_outlet["Ukrinform"].published_method == "given"
    assert by_outlet["Newsweek"].country == "US" and "given" in by_outlet["Newsweek"].outlet_evidence


def test_url_and_feed_over_http(store, site):
    outcomes, _ = _outcomes(store, [f"{site}/article.html", f"{site}/feed.xml"])
    assert outcomes[f"{site}/article.html"].status == "stored"
    assert outcomes[f"{site}/seed.html"].status == "stored"
    assert "HTTP 404" in outcomes[f"{site}/missing.html"].detail
    stored = {a.url: a for a in store.articles()}
    assert stored[f"{site}/seed.html"].published.startswith("2022-02-14")
    assert "feed entry" in stored[f"{site}/seed.html"].published_evidence


def test_rerun_skips_urls_already_stored(store, site):
    _outcomes(store, [f"{site}/article.html"])
    outcomes, report = _outcomes(store, [f"{site}/article.html"])
    assert report.outcomes == [] and store.counts()["articles"] == 1


def test_unreachable_and_oversized_urls(store, site):
    dead = f"http://127.0.0.1:{_closed_port()}/story"
    outcomes, _ = _outcomes(store, [dead, f"{site}/big.html"], max_bytes=len(REAL_PAGE) * 2, timeout=3)
    assert "unreachable" in outcomes[dead].detail
    assert "too large" in outcomes[f"{site}/big.html"].detail
