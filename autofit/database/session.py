"""Opening a results database: SQLite files for one machine, any SQLAlchemy URL (PostgreSQL)
for many writers on many nodes."""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from autofit.database.migrations import ensure_schema

__all__ = ["open_database", "engine_for", "retry_on_lock", "SQLITE_BUSY_TIMEOUT_MS"]

#: How long a SQLite writer waits for the lock before retrying (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 60_000

T = TypeVar("T")


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # Large pages suit the fit files (samples of a few MB): a new database scrapes about twice as
    # fast. Only a database without tables takes it, before WAL is switched on; later connections
    # to an existing file leave its page size as it is.
    cursor.execute("PRAGMA page_size=65536")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def engine_for(path_or_url: str | Path) -> Engine:
    """An engine for a file path (SQLite) or a SQLAlchemy URL.

    Raises
    ------
    ImportError
        Naming the ``[postgres]`` extra when a PostgreSQL driver is missing.
    """
    text = str(path_or_url)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    try:
        return create_engine(text, pool_pre_ping=True)
    except ImportError as error:
        if text.startswith("postgres"):
            raise ImportError(
                f"PostgreSQL databases need a driver: pip install 'autofit[postgres]' ({error})"
            ) from error
        raise


def open_database(path_or_url: str | Path) -> Session:
    """Open (creating or upgrading if needed) a results database and return a session.

    Parameters
    ----------
    path_or_url
        A file path for SQLite (WAL journal, busy timeout and retries, so concurrent writers
        wait rather than fail), or any SQLAlchemy URL, e.g.
        ``postgresql+psycopg://user:password@host/database`` (extra ``[postgres]``).

    Returns
    -------
    A SQLAlchemy session; pass it to a search as ``session=`` or to
    ``af.Aggregator.from_database``.
    """
    engine = engine_for(path_or_url)
    for attempt in range(5):
        try:
            retry_on_lock(lambda: ensure_schema(engine))()
            break
        except (IntegrityError, ProgrammingError):
            # Another process created the same tables at the same moment: look again.
            if attempt == 4:
                raise
            time.sleep(0.1 * (attempt + 1))
    return sessionmaker(bind=engine, expire_on_commit=False)()


def _is_lock_error(error: OperationalError) -> bool:
    text = str(error).lower()
    return "locked" in text or "busy" in text or "could not serialize" in text


def retry_on_lock(
    function: Callable[..., T], attempts: int = 50, delay: float = 0.05
) -> Callable[..., T]:
    """``function`` retried with jittered back-off while the database reports a lock."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        for attempt in range(attempts):
            try:
                return function(*args, **kwargs)
            except OperationalError as error:
                if not _is_lock_error(error) or attempt == attempts - 1:
                    raise
                time.sleep(delay * (1.0 + random.random()) * min(attempt + 1, 10))
        raise AssertionError("unreachable")

    return wrapper


def new_session(session: Session) -> Session:
    """A fresh session on the same engine (each writer uses its own short transactions)."""
    return sessionmaker(bind=session.get_bind(), expire_on_commit=False)()


__all__ += ["new_session"]
