"""The CLI as a user runs it: a real process, a real SQLite file."""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from bench.data import eval_data_dir
from tests.conftest import SEEDS

STORYLINE = [sys.executable, "-m", "storyline.interfaces.cli"]


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*STORYLINE, *args, "--db", str(db)], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("cli") / "storyline.db"
    result = run("ingest", str(SEEDS), db=db)
    assert result.returncode == 0, result.stderr
    return db


def test_ingest_reports_what_happened(seeded_db):
    result = run("ingest", str(SEEDS), db=seeded_db)
    assert result.returncode == 0
    assert "0 stored" in result.stdout and "5 already in the store" in result.stdout
    assert "unsupported type (.json)" in result.stdout


def test_articles_and_show(seeded_db):
    listing = run("articles", db=seeded_db).stdout
    assert "Fars News Agency" in listing and "2025-12-14" in listing and "Articles 1–5 of 5" in listing and "more:" not in listing
    # A page of the list says where it is and how to go on.
    page = run("articles", "--limit", "2", "--offset", "1", db=seeded_db).stdout
    assert "Articles 2–3 of 5" in page and "2 more: --offset 3" in page
    shown = run("show", "3", db=seeded_db).stdout
    assert "Al Jazeera" in shown and "Sunday" in shown and "Removed as noise" in shown
    assert run("show", "999", db=seeded_db).returncode == 1


@pytest.mark.parametrize("fmt", ["json", "md"])
def test_exports(seeded_db, fmt):
    out = run("export", "--format", fmt, db=seeded_db).stdout
    if fmt == "json":
        data = json.loads(out)["articles"]
        assert len(data) == 5 and all(p["text"] for a in data for p in a["paragraphs"])
    else:
        assert out.startswith("# Storyline export") and "## Ukraine ready to drop NATO membership ambition" in out


def test_the_csv_export_is_one_file_per_table_in_a_zip(seeded_db, tmp_path):
    assert run("export", "--format", "csv", "--output", str(tmp_path / "out.zip"), db=seeded_db).returncode == 0
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        assert sorted(archive.namelist()) == ["articles.csv", "positions.csv", "shifts.csv", "statements.csv"]
        tables = {name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))) for name in archive.namelist()}
    assert len(tables["articles.csv"]) == 5 and {r["outlet"] for r in tables["articles.csv"]} >= {"Al Jazeera", "Fars News Agency"}
    assert tables["statements.csv"] == [] and tables["positions.csv"] == []  # ingested, not analysed: headers only
    piped = subprocess.run([*STORYLINE, "export", "--format", "csv", "--db", str(seeded_db)], capture_output=True)
    assert zipfile.is_zipfile(io.BytesIO(piped.stdout))


def test_failures_exit_non_zero_and_are_listed(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    db = tmp_path / "s.db"
    result = run("ingest", str(tmp_path / "empty.txt"), str(SEEDS / "001_3b806ca0330072c3.txt"), db=db)
    assert result.returncode == 1
    assert "empty.txt" in result.stdout and "empty input" in result.stdout and "1 stored" in result.stdout
    assert "empty input" in run("failures", db=db).stdout


def _snapshot(db: Path) -> set[tuple]:
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return set(connection.execute("SELECT raw_hash, title, published, word_count FROM articles"))


@pytest.mark.slow
def test_killed_ingest_resumes_to_the_same_store(tmp_path):
    pages = tmp_path / "pages"
    pages.mkdir()
    for page in sorted((eval_data_dir() / "extraction-scrapinghub" / "html").glob("*.html.gz"))[:60]:
        (pages / page.name.removesuffix(".gz")).write_bytes(gzip.decompress(page.read_bytes()))
    reference, interrupted = tmp_path / "reference.db", tmp_path / "interrupted.db"
    assert run("ingest", str(pages), db=reference).returncode == 0

    process = subprocess.Popen([*STORYLINE, "ingest", str(pages), "--db", str(interrupted)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        time.sleep(0.05)
        if interrupted.exists():
            try:
                with sqlite3.connect(interrupted, timeout=1) as connection:
                    if connection.execute("SELECT count(*) FROM articles").fetchone()[0] >= 10:
                        break
            except sqlite3.OperationalError:
                continue
    process.send_signal(signal.SIGKILL)
    process.wait()
    partial = _snapshot(interrupted)
    assert 10 <= len(partial) < len(_snapshot(reference))

    resumed = run("ingest", str(pages), db=interrupted)
    assert resumed.returncode == 0, resumed.stdout
    assert f"{len(partial)} already in the store" in resumed.stdout
    assert _snapshot(interrupted) == _snapshot(reference)


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    """The seeds ingested and analysed through the CLI once, with what `analyze` printed."""
    db = tmp_path_factory.mktemp("analysed") / "seeds.db"
    run("ingest", str(SEEDS), db=db)
    return db, run("analyze", db=db)


def _copy_of(analysed: tuple[Path, subprocess.CompletedProcess], folder: Path) -> Path:
    shutil.copyfile(analysed[0], folder / "s.db")
    return folder / "s.db"


def test_analyze_statements_and_actors(analysed, tmp_path):
    db, analysed = _copy_of(analysed, tmp_path), analysed[1]
    assert analysed.returncode == 0 and "Analysed 5 article(s)" in analysed.stdout
    said = run("statements", "--speaker", "Zelensky", db=db).stdout
    assert "Volodymyr Zelenskyy" in said and "2025-12-14" in said and "Prystaiko" not in said
    actors = run("actors", db=db).stdout
    assert "Oleksii Kuleba" in actors and "Dmytro Kuleba" in actors and "Kremlin spokesman" in actors
    exported = json.loads(run("export", "--format", "json", db=db).stdout)
    assert exported["statements"] and all(s["sentence"] for s in exported["statements"])
    assert "Analysed 0 article(s)" in run("analyze", db=db).stdout


def test_propose_positions_shifts_and_their_exports(analysed, tmp_path):
    db = _copy_of(analysed, tmp_path)
    proposed = run("propose", "Ukraine should pursue / be granted NATO membership.", db=db)
    assert proposed.returncode == 0 and "stance(s) taken" in proposed.stdout
    timeline = run("positions", "NATO membership", "--actor", "Zelensky", db=db).stdout
    assert "2024-10-22" in timeline and "support" in timeline and "oppose" in timeline and "Prystaiko" not in timeline
    assert "The shift would mark a significant change" in timeline
    found = run("shifts", db=db).stdout
    assert re.search(r"│ shift\s+│ Volodymyr Zelenskyy", found), found
    assert run("positions", "no such proposition", db=db).returncode == 2
    # The user's curation: a second wording is merged into the first, which is judged again.
    run("propose", "Ukraine should join NATO.", db=db)
    merged = run("propositions", "--merge", "2", "--into", "1", db=db)
    assert merged.returncode == 0 and "Ukraine should join NATO." not in merged.stdout
    exported = json.loads(run("export", "--format", "json", db=db).stdout)
    assert ("shift", "Volodymyr Zelenskyy") in {(s["kind"], s["actor"]) for s in exported["shifts"]}
    assert all(p["sentence"] and p["article_id"] and p["decided_by"] for p in exported["positions"])
    markdown = run("export", "--format", "md", db=db).stdout
    assert "## Positions: Ukraine should pursue / be granted NATO membership." in markdown
    # A new article's statements are judged on the accepted propositions as `analyze` stores them, once.
    page = eval_data_dir() / "extraction-scrapinghub" / "html" / "098bb3e96c0acdf36efdcde45fb9cca3f8c82c7cb2071b76097a1b96155f1eb2.html.gz"
    run("ingest", str(page), db=db)
    analysed = run("analyze", db=db).stdout
    assert "Analysed 1 article(s)" in analysed and "statement-proposition pair(s)" in analysed, analysed
    assert "Judged" not in run("analyze", db=db).stdout


def test_stories_story_search_and_summaries(analysed, tmp_path):
    db = _copy_of(analysed, tmp_path)
    assert "new story line(s)" in analysed[1].stdout
    listing = run("stories", db=db).stdout
    assert "1 story line(s)" in listing and "2022-02-14" in listing and "2025-12-14" in listing
    shown = run("story", "1", db=db).stdout
    assert "Summary" in shown and "Alternative takes" in shown and "Fars News Agency" in shown and "state-affiliated" in shown
    assert run("story", "99", db=db).returncode == 2
    found = run("search", "Perebeinis", db=db).stdout
    assert "statement (Yevgeny Perebeinis)" in found and "[Perebeinis]" in found
    by_meaning = run("search", "Kyiv refuses to cede land", "--semantic", db=db).stdout
    assert "NATO" in by_meaning and "0 hit(s)" not in by_meaning
    assert "0 hit(s)" in run("search", "recipe for apple pie", "--semantic", db=db).stdout
    quoted = run("statements", "--story", "1", db=db).stdout
    assert "Dmitry Peskov" in quoted
    assert "chars" in run("show", "3", "--summary", db=db).stdout


def test_serve_answers_on_loopback(seeded_db):
    import socket

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([*STORYLINE, "serve", "--db", str(seeded_db), "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/articles", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["total"] == 5
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.slow
def test_a_language_without_a_translator_is_said_plainly(tmp_path):
    """A Ukrainian page (Media Cloud sample): analysed, clustered, and shown as not translated."""
    from tests.conftest import world_page

    _url, data = world_page("zaxid.net")
    page = tmp_path / "zaxid.html"
    page.write_bytes(data)
    db = tmp_path / "uk.db"
    assert run("ingest", str(page), db=db).returncode == 0
    analysed = run("analyze", db=db)
    assert analysed.returncode == 0, analysed.stderr
    assert "1 article(s) not translated (no model for uk)" in analysed.stdout
    assert "Placed 1 article(s) in stories" in analysed.stdout
    shown = run("show", "1", db=db).stdout
    assert "not translated (no model for uk)" in shown and "uk (" in shown
    english = run("show", "1", "--english", db=db)
    assert "showing the original" in english.stderr and "Наступного тижня" in english.stdout


def test_translation_models_list_and_add(tmp_path):
    listed = subprocess.run([*STORYLINE, "models", "list"], capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"})
    assert listed.returncode == 0 and "apertium" in listed.stdout and "argos" in listed.stdout
    missing = subprocess.run([*STORYLINE, "models", "add", str(tmp_path / "none.argosmodel")], capture_output=True, text=True)
    assert missing.returncode == 1 and "No such file" in missing.stderr
    bogus = tmp_path / "bogus.argosmodel"
    bogus.write_bytes(b"not a zip")
    refused = subprocess.run([*STORYLINE, "models", "add", str(bogus)], capture_output=True, text=True)
    assert refused.returncode == 1
    assert "Argos Translate is not installed" in refused.stderr or "Could not install bogus.argosmodel" in refused.stderr


def test_webhooks_add_list_deliver_log_remove(tmp_path):
    db = tmp_path / "hooks.db"
    refused = run("webhooks", "add", "http://127.0.0.1:9/hook", db=db)
    assert refused.returncode == 2 and "private, loopback or reserved" in refused.stderr
    added = run("webhooks", "add", "http://127.0.0.1:9/hook", "--allow-private", "--kind", "shift", "--secret", "x", db=db)
    assert added.returncode == 0 and "Webhook 1" in added.stdout
    listing = run("webhooks", "list", db=db).stdout
    assert "127.0.0.1:9/hook" in listing and "shift" in listing and "yes" in listing
    assert "0 new alert(s); 0 delivered" in run("webhooks", "deliver", db=db).stdout
    assert "0 attempt(s)" in run("webhooks", "log", db=db).stdout
    assert run("webhooks", "remove", "1", db=db).returncode == 0
    assert run("webhooks", "remove", "1", db=db).returncode == 2
