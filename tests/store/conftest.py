"""
Store fixtures: SQLite in a temp dir, and a throwaway PostgreSQL cluster on loopback.

The PostgreSQL server is a real one (Debian's postgresql package, installed by
scripts/system-deps.sh). If it cannot be started the run fails loudly; set
INFOPEN_SKIP_POSTGRES=1 to skip those tests explicitly on a machine without it.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from infopen import EventStore


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pg_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    msg = "PostgreSQL is not installed (scripts/system-deps.sh installs it; INFOPEN_SKIP_POSTGRES=1 skips)"
    raise RuntimeError(msg)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL cluster for the session, stopped at the end."""
    if os.environ.get("INFOPEN_SKIP_POSTGRES") == "1":
        pytest.skip("INFOPEN_SKIP_POSTGRES=1")
    bin_dir = _pg_bin()
    root = Path(tempfile.mkdtemp(prefix="infopen-pg-"))
    data = root / "data"
    as_user: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root: run the cluster as the postgres user
        shutil.chown(root, "postgres")
        os.chmod(root, 0o700)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    subprocess.run([*as_user, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8", "--no-sync"], check=True, capture_output=True)  # fmt: skip
    opts = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(root / "log"),
                    "-w", "start"], check=True, capture_output=True)  # fmt: skip
    try:
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "infopen"],
                       check=True, capture_output=True)  # fmt: skip
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/infopen"
    finally:
        subprocess.run([*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


def _reset(url: str) -> None:
    import sqlalchemy as sa

    from infopen._store import store_metadata

    engine = sa.create_engine(url)
    store_metadata().drop_all(engine)
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store URL for each backend, with empty tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
        _reset(url)
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[EventStore]:
    """An EventStore with its schema created."""
    s = EventStore(store_url)
    s.create_schema()
    yield s
    s.engine.dispose()
