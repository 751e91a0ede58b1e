"""A real PostgreSQL server in a temporary folder, for the tests and the bench: Debian's binaries
(package postgresql), a fresh cluster on a free loopback port, gone when the block ends.

PostgreSQL refuses to run as root, so as root (CI, `make install`) the cluster is made and run
by Debian's `postgres` user; as anyone else, by that user.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.load import free_port

DATABASE = "storyline"


def new_database(server_url: str, name: str) -> str:
    """An empty database beside the server's first: its URL."""
    import psycopg

    if not name.isidentifier():
        raise ValueError(f"not a database name: {name!r}")
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def binaries() -> Path | None:
    """The folder of initdb and pg_ctl, the newest installed version's; None when not installed."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def postgres_server() -> Iterator[str]:
    """A running server with an empty database: its SQLAlchemy URL."""
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL is not installed (Debian: apt-get install postgresql; make install does it as root)")
    folder = Path(tempfile.mkdtemp(prefix="storyline-postgres-"))
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    log = folder / "server.log"

    def run(*command: str) -> None:
        done = subprocess.run(_as_server_user(list(command)), capture_output=True, text=True)
        if done.returncode:
            server_log = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}{server_log}")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-U", "storyline", "-A", "trust", "-E", "UTF8", "--no-sync")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w", "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off", "start")
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "storyline", DATABASE)
        yield f"postgresql://storyline@127.0.0.1:{port}/{DATABASE}"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                           capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)
