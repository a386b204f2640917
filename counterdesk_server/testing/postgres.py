"""A throw-away PostgreSQL cluster on 127.0.0.1, for the tests and the bench.

Uses the server binaries of the ``postgresql`` Debian package. PostgreSQL refuses to run
as root, and CI runs as root, so there the cluster is created and started as the
``postgres`` account (``runuser``) in a temporary folder handed to that account. The
cluster listens on 127.0.0.1 only, on a free port, with its socket inside the folder, and
keeps ``fsync`` on: what the bench measures is what a deployment would get.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

SEARCH_DIRS = ("/usr/lib/postgresql", "/usr/local/lib/postgresql")
START_TIMEOUT_S = 60
SUPERUSER = "postgres"


class PostgresUnavailable(RuntimeError):
    """PostgreSQL is not installed, or could not be started; says which."""


def find_bindir() -> Path | None:
    """The newest installed server's bin folder (with initdb and pg_ctl), or None."""
    candidates: list[tuple[int, Path]] = []
    for base in SEARCH_DIRS:
        root = Path(base)
        if not root.is_dir():
            continue
        for version in root.iterdir():
            bindir = version / "bin"
            if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
                try:
                    candidates.append((int(version.name.split(".")[0]), bindir))
                except ValueError:
                    continue
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        candidates.append((0, Path(on_path).parent))
    return max(candidates)[1] if candidates else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PostgresCluster:
    """``start()`` a private cluster, ``create_database()`` as needed, ``stop()`` at the end."""

    def __init__(self, bindir: Path | None = None) -> None:
        found = bindir or find_bindir()
        if found is None:
            raise PostgresUnavailable(
                "PostgreSQL server binaries not found (install the postgresql package)"
            )
        self.bindir = found
        self.port = 0
        self.folder: Path | None = None
        self._run_as: str | None = SUPERUSER if os.geteuid() == 0 else None

    @property
    def data_dir(self) -> Path:
        assert self.folder is not None, "cluster not started"
        return self.folder / "data"

    def start(self) -> PostgresCluster:
        self.folder = Path(tempfile.mkdtemp(prefix="counterdesk-pg-"))
        if self._run_as:
            account = pwd.getpwnam(self._run_as)
            os.chown(self.folder, account.pw_uid, account.pw_gid)
        self._run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-U",
            SUPERUSER,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",  # the cluster is throw-away; fsync stays on for what runs in it
        )
        self.port = free_port()
        options = " ".join(
            [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-k {self.folder}",
                "-c fsync=on",
                "-c synchronous_commit=on",
                "-c max_connections=200",
                "-c shared_buffers=128MB",
            ]
        )
        try:
            self._run(
                "pg_ctl",
                "-D",
                str(self.data_dir),
                "-l",
                str(self.folder / "server.log"),
                "-o",
                options,
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "start",
            )
        except PostgresUnavailable:
            self._remove_folder()
            raise
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def dsn(self, database: str = "postgres") -> str:
        return f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname={database}"

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create ``name`` (optionally copied from ``template``) and return its URL."""
        clause = f" TEMPLATE {template}" if template else ""
        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"{clause}')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def setting(self, name: str) -> str:
        with psycopg.connect(self.dsn(), autocommit=True) as connection:
            row = connection.execute(f"SHOW {name}").fetchone()
        return str(row[0]) if row else ""

    def stop(self) -> None:
        if self.folder is None:
            return
        if (self.data_dir / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "-D", str(self.data_dir), "-m", "fast", "-w", "stop")
            except PostgresUnavailable:
                pass  # already gone; the folder is removed anyway
        self._remove_folder()

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def _remove_folder(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self._run_as:
            command = ["runuser", "-u", self._run_as, "--", *command]
        started = time.monotonic()
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT_S + 30,
            cwd=self.folder or "/",
            check=False,
        )
        if done.returncode != 0:
            log = ""
            if self.folder and (self.folder / "server.log").exists():
                log = (self.folder / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(
                f"{program} failed after {time.monotonic() - started:.1f} s "
                f"(exit {done.returncode}): {done.stderr.strip()} {log}".strip()
            )
