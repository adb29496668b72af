"""Fixtures of the database tests: an isolated output folder, and databases to write into
(a SQLite file, and a fresh PostgreSQL database when a server is available)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_autofit.isolation import output_path  # noqa: F401

#: The server the PostgreSQL tests use, e.g. ``postgresql+psycopg://postgres@127.0.0.1:5432/db``
#: (``.ci/run`` starts one and sets it when PostgreSQL can be installed).
POSTGRES_VARIABLE = "AUTOFIT_TEST_POSTGRES_URL"


@pytest.fixture
def sqlite_path(tmp_path: Path) -> str:
    return str(tmp_path / "database.sqlite")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the server named by ``AUTOFIT_TEST_POSTGRES_URL``,
    dropped afterwards (or that database itself where databases cannot be created)."""
    url = os.environ.get(POSTGRES_VARIABLE)
    if not url:
        pytest.skip(
            f"no PostgreSQL server: set {POSTGRES_VARIABLE} to a SQLAlchemy URL "
            "(postgresql+psycopg://user@host:port/database) to run this test"
        )
    pytest.importorskip("psycopg", reason="the PostgreSQL driver: pip install 'autofit[postgres]'")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    server = make_url(url)
    name = f"autofit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except SQLAlchemyError:
        admin.dispose()
        yield url  # no right to create databases: the tests use unique identifiers anyway
        return
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A SQLite file, then a PostgreSQL database (skipped without a server)."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_path")
    return request.getfixturevalue("postgres_url")
