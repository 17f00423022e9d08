"""A throwaway PostgreSQL cluster for tests and benchmarks (never for production).

:func:`start_cluster` runs ``initdb`` and ``pg_ctl`` from the installed server binaries
(``/usr/lib/postgresql/<version>/bin``, or the folder in ``KV_PG_BIN``) in a temporary
folder, listening on 127.0.0.1 and a free port, with durability switched off (fsync,
synchronous commit): the data lives as long as the test session. The server refuses to run
as root, so under root the cluster belongs to a system user ``kvpg`` (created once).

:func:`test_database_url` is what the test suite and the benches use: ``BOT_TEST_POSTGRES_URL``
when given, else a cluster started here, else None with the reason in :data:`SKIP_REASON`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SYSTEM_USER = "kvpg"
SKIP_REASON = (
    "no PostgreSQL: install the server (apt-get install postgresql; binaries in "
    "/usr/lib/postgresql/<version>/bin) or set BOT_TEST_POSTGRES_URL=postgresql://..."
)


def find_binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, or None."""
    given = os.environ.get("KV_PG_BIN")
    candidates = [Path(given)] if given else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    folder: Path
    binaries: Path
    port: int
    as_user: str | None

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = [str(self.binaries / args[0]), *args[1:]]
        if self.as_user is not None:
            command = ["runuser", "-u", self.as_user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run("pg_ctl", "stop", "-D", str(self.folder / "data"), "-m", "immediate")
        shutil.rmtree(self.folder, ignore_errors=True)


def start_cluster(max_connections: int = 300) -> Cluster:
    """initdb + pg_ctl start in a new temporary folder; raises RuntimeError without the
    server binaries, subprocess.CalledProcessError when they fail."""
    binaries = find_binaries()
    if binaries is None:
        raise RuntimeError(SKIP_REASON)
    as_user: str | None = None
    folder = Path(tempfile.mkdtemp(prefix="kv-pg-"))
    if os.geteuid() == 0:
        as_user = SYSTEM_USER
        exists = subprocess.run(["id", SYSTEM_USER], capture_output=True, check=False)
        if exists.returncode != 0:
            subprocess.run(["useradd", "-M", "-r", SYSTEM_USER], check=True, capture_output=True)
        shutil.chown(folder, SYSTEM_USER, SYSTEM_USER)
    cluster = Cluster(folder, binaries, _free_port(), as_user)
    data = folder / "data"
    try:
        cluster._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                     "--no-sync", "--locale=C")  # fmt: skip
        options = (
            f"-h 127.0.0.1 -p {cluster.port} -k {folder} -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off "
            f"-c max_connections={max_connections} -c shared_buffers=64MB"
        )
        cluster._run("pg_ctl", "start", "-D", str(data), "-w", "-t", "60", "-o", options,
                     "-l", str(folder / "server.log"))  # fmt: skip
    except BaseException:
        cluster.stop()
        raise
    return cluster


def test_database_url() -> tuple[str | None, Cluster | None]:
    """(url, cluster to stop afterwards): ``BOT_TEST_POSTGRES_URL``, or a new cluster, or
    (None, None) when neither is possible (see :data:`SKIP_REASON`)."""
    given = os.environ.get("BOT_TEST_POSTGRES_URL")
    if given:
        return given, None
    if find_binaries() is None:
        return None, None
    cluster = start_cluster()
    return cluster.url, cluster
