"""
Store fixtures: SQLite in a temp dir, and a throwaway PostgreSQL cluster on loopback.

The PostgreSQL server is a real one (Debian's postgresql package, installed by
scripts/system-deps.sh). If it cannot be started the run fails loudly; set
INFOPEN_SKIP_POSTGRES=1 to skip those tests explicitly on a machine without it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from infopen import EventStore

from .pgcluster import throwaway_cluster


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL cluster for the session, stopped at the end."""
    if os.environ.get("INFOPEN_SKIP_POSTGRES") == "1":
        pytest.skip("INFOPEN_SKIP_POSTGRES=1")
    with throwaway_cluster() as url:
        yield url


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
    s.close()
