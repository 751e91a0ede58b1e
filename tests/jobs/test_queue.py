"""The task queue on a real PostgreSQL server: inputs queued, two `storyline worker` processes,
one killed in the middle of a task; what the store ends with must be what one process makes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import text

from bench.postgres import new_database
from storyline.store import Store
from tests.conftest import SEEDS
from tests.store.test_postgres import findings

pytestmark = pytest.mark.slow
STORYLINE = [sys.executable, "-m", "storyline.interfaces.cli"]


def jobs(store: Store) -> list[tuple[int, str, str, int, int | None]]:
    with store.engine.connect() as connection:
        return connection.execute(text("SELECT id, task_name, status, attempts, worker_id FROM procrastinate_jobs ORDER BY id")).all()


def wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if found := condition():
            return found
        time.sleep(0.2)
    raise AssertionError(f"waited {seconds} s for {what}")


def test_two_workers_one_killed_mid_task_end_as_one_process_does(postgres_server_url, demo_db, gold, tmp_path):
    url = new_database(postgres_server_url, "queued")
    with Store(url) as store:
        for proposition in gold["propositions"].values():
            store.add_proposition(proposition)
    config = tmp_path / "storyline.cfg"
    config.write_text("[queue]\nheartbeat_seconds = 0.5\nstalled_seconds = 3\nrecover_every_seconds = 0.5\n\n"
                      "[analysis]\nlease_seconds = 4\nlease_poll_seconds = 0.2\n")
    env = {**os.environ, "STORYLINE_DB": url, "STORYLINE_CONFIG": str(config)}
    queued = subprocess.run([*STORYLINE, "ingest", "--queue", str(SEEDS)], env=env, capture_output=True, text=True)
    assert queued.returncode == 0 and "Queued 5 input(s)" in queued.stdout, queued.stderr

    logs = [(tmp_path / f"worker-{n}.log").open("w") for n in (1, 2)]
    doomed = subprocess.Popen([*STORYLINE, "worker"], env=env, stdout=logs[0], stderr=subprocess.STDOUT)
    survivor = None
    try:
        with Store(url) as store:
            with store.engine.connect() as connection:
                doomed_id = wait_for(lambda: connection.execute(text("SELECT min(id) FROM procrastinate_workers")).scalar(),
                                     120, "the first worker to register")
            survivor = subprocess.Popen([*STORYLINE, "worker"], env=env, stdout=logs[1], stderr=subprocess.STDOUT)
            busy = wait_for(lambda: [j for j in jobs(store) if j[2] == "doing" and j[4] == doomed_id], 120, "the first worker to take a task")
            doomed.send_signal(signal.SIGKILL)
            doomed.wait()
            cut_short = busy[0][0]
            wait_for(lambda: all(j[2] == "succeeded" for j in jobs(store)) and any(j[1] == "analyze" for j in jobs(store)),
                     240, "every task to succeed")
            done = {j[0]: j for j in jobs(store)}
            assert done[cut_short][3] >= 2, "the task the killed worker held ran again"
            assert sum(j[1] == "ingest_input" for j in done.values()) == 5
            assert {j[1] for j in done.values()} == {"ingest_input", "read_article", "analyze"}
            with store.engine.connect() as connection:
                assert connection.execute(text("SELECT count(*) FROM article_readings")).scalar() == 0, "every reading was saved"
    finally:
        for process in (doomed, survivor):
            if process is not None and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        for log in logs:
            log.close()
    with Store(url) as queued_store, Store(demo_db) as one_process:
        expected, found = findings(one_process), findings(queued_store)
    for part in expected:
        assert found[part] == expected[part], (part, (tmp_path / "worker-2.log").read_text()[-3000:])


def test_queueing_on_a_sqlite_store_says_the_queue_needs_postgresql(tmp_path):
    from typer.testing import CliRunner

    from storyline.interfaces.cli import app

    for command in (["ingest", "--queue", str(SEEDS)], ["analyze", "--queue"], ["worker", "--until-idle"]):
        refused = CliRunner().invoke(app, [*command, "--db", str(tmp_path / "local.db")])
        assert refused.exit_code == 2 and "the task queue lives in PostgreSQL" in refused.output, (command, refused.output)
    unknown = CliRunner().invoke(app, ["worker", "--queue", "gossip", "--db", str(tmp_path / "local.db")])
    assert unknown.exit_code == 2 and "No queue named gossip" in unknown.output


def test_one_worker_ends_as_one_process_does(postgres_server_url, demo_db, gold):
    """One `storyline worker` takes every ingest, reading and analysis task in turn."""
    url = new_database(postgres_server_url, "one_worker")
    with Store(url) as store:
        for proposition in gold["propositions"].values():
            store.add_proposition(proposition)
    env = {**os.environ, "STORYLINE_DB": url}
    assert subprocess.run([*STORYLINE, "ingest", "--queue", str(SEEDS)], env=env, capture_output=True).returncode == 0
    worked = subprocess.run([*STORYLINE, "worker", "--until-idle"], env=env, capture_output=True, text=True, timeout=600)
    assert worked.returncode == 0, worked.stderr[-3000:]
    with Store(url) as queued_store, Store(demo_db) as one_process:
        assert {j[2] for j in jobs(queued_store)} == {"succeeded"}
        expected, found = findings(one_process), findings(queued_store)
    for part in expected:
        assert found[part] == expected[part], part
