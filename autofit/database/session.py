"""Opening a results database: SQLite files for one machine, any SQLAlchemy URL (PostgreSQL)
for many writers on many nodes."""

from __future__ import annotations

import functools
import os
import random
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from autofit.database.migrations import ensure_schema
from autofit.exc import DatabaseException

__all__ = [
    "open_database",
    "engine_for",
    "reading_engine",
    "retry_on_lock",
    "SQLITE_BUSY_TIMEOUT_MS",
]

#: The first bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"

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


def _check_sqlite_file(path: Path) -> None:
    """Raise a clear error if an existing ``path`` is not a SQLite database file."""
    if path.is_dir():
        raise DatabaseException(f"{path} is a folder, not a database file")
    with open(path, "rb") as file:
        header = file.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        raise DatabaseException(
            f"{path} is not an autofit results database (it is not a SQLite file): check the path"
        )


def _writable(path: Path) -> bool:
    """Whether this process may write the database file and create files beside it."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def _read_only_engine(path: Path) -> Engine:
    """An engine that opens ``path`` read-only: ``mode=ro``, or ``immutable=1`` where its folder
    is not writable either (SQLite cannot create the WAL index a read-only open needs there)."""
    from urllib.parse import quote

    mode = "mode=ro" if os.access(path.parent, os.W_OK) else "immutable=1"
    uri = f"file:{quote(str(path))}?{mode}"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=60, check_same_thread=False)

    return create_engine("sqlite://", creator=connect)


def _reading_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def _check_schema(engine: Engine, where: str) -> None:
    """Raise a clear error unless the database holds autofit's tables at a version this autofit
    reads."""
    from autofit.database.migrations import schema_version
    from autofit.database.schema import SCHEMA_VERSION, Fit

    try:
        with engine.connect() as connection:
            from sqlalchemy import inspect

            if not inspect(connection).has_table(Fit.__tablename__):
                raise DatabaseException(
                    f"{where} is not an autofit results database (it holds no fits): check the "
                    "path; af.db.open_database creates a new database"
                )
            version = schema_version(connection) or SCHEMA_VERSION
    except DatabaseError as error:
        raise DatabaseException(
            f"{where} cannot be read as an autofit results database: {getattr(error, 'orig', error)}"
        ) from error
    if version > SCHEMA_VERSION:
        raise DatabaseException(
            f"The database {where} has schema version {version}, newer than this autofit "
            f"({SCHEMA_VERSION}): upgrade autofit to read it"
        )
    if version < SCHEMA_VERSION:
        raise DatabaseException(
            f"The database {where} has the older schema version {version}: open it once with "
            "af.db.open_database (with write access) to upgrade it"
        )


def reading_engine(path_or_url: str | Path) -> Engine:
    """An engine that reads an existing results database without changing it.

    A SQLite file this process cannot write (or whose folder it cannot write) is opened
    read-only, so databases on read-only storage or shared by a colleague can be read. Nothing
    is created: a missing file is an error.

    Parameters
    ----------
    path_or_url
        A SQLite file path, or any SQLAlchemy URL.

    Raises
    ------
    FileNotFoundError
        If the SQLite file does not exist (naming it).
    DatabaseException
        If the file is not an autofit results database, or was written by a newer autofit.
    """
    text = str(path_or_url)
    if "://" in text:
        engine = engine_for(text)
        _check_schema(engine, text)
        return engine
    path = Path(text).expanduser().resolve()
    if not path.exists():
        raise FileNotFoundError(
            f"No database file {path}: check the path (af.db.open_database creates a new "
            "database for writing)"
        )
    _check_sqlite_file(path)
    if _writable(path):
        engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 60})
    else:
        engine = _read_only_engine(path)
    event.listen(engine, "connect", _reading_pragmas)
    _check_schema(engine, str(path))
    return engine


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

    Raises
    ------
    DatabaseException
        If the file exists but is not an autofit results database.
    """
    text = str(path_or_url)
    if "://" not in text:
        path = Path(text).expanduser().resolve()
        if path.exists():
            _check_sqlite_file(path)
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
        except OperationalError:
            raise
        except DatabaseError as error:  # e.g. "file is not a database"
            raise DatabaseException(
                f"{text} is not an autofit results database: {getattr(error, 'orig', error)}"
            ) from error
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


def database_url(session: Session, for_workers: bool = True) -> str:
    """The URL that opens the database of ``session`` again (in a worker process, or on
    another machine), password included.

    Parameters
    ----------
    session
        A session from :func:`open_database`.
    for_workers
        Whether other processes will open the URL: an in-memory SQLite database cannot be
        shared with them.

    Raises
    ------
    DatabaseException
        If ``for_workers`` and the database is an in-memory SQLite database.
    """
    url = session.get_bind().url
    if (
        for_workers
        and url.get_backend_name() == "sqlite"
        and url.database in (None, "", ":memory:")
    ):
        raise DatabaseException(
            "Jobs running in other processes cannot write into an in-memory SQLite database: "
            'open a database file instead, e.g. af.db.open_database("results.sqlite")'
        )
    return url.render_as_string(hide_password=False)


__all__ += ["database_url"]
