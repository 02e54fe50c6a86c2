"""A throwaway PostgreSQL server on 127.0.0.1 for the tests and benchmarks that need one.

PostgreSQL 15's binaries are installed on the project's machines (`/usr/lib/postgresql/15/
bin`, or `ORGBOT_PG_BIN`); `initdb` refuses to run as root, so as root the cluster belongs to
the `postgres` user. The data folder is temporary and removed when the server stops.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

DEFAULT_BIN = Path("/usr/lib/postgresql/15/bin")


def _bin() -> Path:
    folder = Path(os.environ.get("ORGBOT_PG_BIN", DEFAULT_BIN))
    if not (folder / "initdb").exists():
        found = shutil.which("initdb")
        if found is None:
            raise RuntimeError(
                f"PostgreSQL is not installed (no initdb in {folder} or on PATH); install "
                "postgresql-15 or set ORGBOT_PG_BIN"
            )
        folder = Path(found).parent
    return folder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    folder: Path
    port: int
    owner: str | None  # the system user the server runs as, when we are root

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        prefix = ["runuser", "-u", self.owner, "--"] if self.owner else []
        return subprocess.run(
            [*prefix, *command], check=check, capture_output=True, text=True, timeout=60
        )

    def ctl(self, action: str, *extra: str) -> None:
        data, log = self.folder / "data", self.folder / "server.log"
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder}"
        self._run(str(_bin() / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options,
                  "-w", action, *extra)  # fmt: skip

    def create_database(self, name: str) -> str:
        self._run(str(_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(self.port),
                  "-U", "postgres", name)  # fmt: skip
        return self.url(name)

    def restart(self) -> None:
        """Stop hard (as a crash would) and start again on the same port."""
        self.ctl("stop", "-m", "immediate")
        self.ctl("start")


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    owner = "postgres" if os.geteuid() == 0 else None
    folder = Path(tempfile.mkdtemp(prefix="orgbot-pg-"))
    if owner:
        shutil.chown(folder, owner)
    server = PostgresServer(folder, _free_port(), owner)
    server._run(str(_bin() / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                "-A", "trust", "--no-sync", "-E", "UTF8")  # fmt: skip
    server.ctl("start")
    try:
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.ctl("stop", "-m", "immediate")
        shutil.rmtree(folder, ignore_errors=True)
