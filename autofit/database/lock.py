"""A lock on a fit's database row, held while the fit runs with ``session=``.

The output folder's lock (:mod:`autofit.output.lock`) stops two processes running one fit in
the same folder. Two jobs may also write one database fit from different output folders
(different machines, or different output paths); the second fails at once with
:class:`~autofit.exc.FitLockedException` naming the holder. Both locks are released by the
operating system or the database server when their holder dies, so a crashed job never leaves
a fit locked:

- SQLite: an ``flock`` on ``<database>.locks/<fit key>.lock`` beside the database file (the
  lock file holds the holder's process id and host);
- PostgreSQL: a session-level advisory lock (``pg_try_advisory_lock``) on a connection kept
  open for the fit; the holder's process id and host are in that connection's
  ``application_name``.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autofit.exc import FitLockedException
from autofit.output.lock import FileLock

__all__ = ["fit_row_lock", "advisory_key"]


def advisory_key(key: str) -> int:
    """The signed 64-bit integer PostgreSQL's advisory lock takes, from a fit key (md5 hex)."""
    value = int(key[:16], 16)
    return value - (1 << 64) if value >= 1 << 63 else value


def fit_row_lock(engine: Any, key: str, fit: str) -> contextlib.AbstractContextManager[Any]:
    """A context holding the lock on the database fit with ``key`` (``fit`` names it in
    messages), for SQLite files and PostgreSQL; nothing for other databases.

    Raises
    ------
    FitLockedException
        On entering, if another process holds the lock.
    """
    dialect = engine.dialect.name
    if dialect == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            return contextlib.nullcontext()
        folder = Path(database).with_name(Path(database).name + ".locks")
        return FileLock(folder / f"{key}.lock", f"The database fit {fit} in {database}")
    if dialect == "postgresql":
        return _advisory_lock(engine, key, fit)
    return contextlib.nullcontext()


@contextlib.contextmanager
def _advisory_lock(engine: Any, key: str, fit: str) -> Iterator[None]:
    from sqlalchemy import text

    number = advisory_key(key)
    holder = f"autofit process {os.getpid()} on {socket.gethostname()}"
    connection = engine.connect()
    try:
        connection.execute(
            text("SELECT set_config('application_name', :name, false)"), {"name": holder[:63]}
        )
        taken = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": number})
        if not taken.scalar():
            other = connection.execute(
                text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    "AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"
                ),
                {"key": number},
            ).scalar()
            raise FitLockedException(
                f"The database fit {fit} in {engine.url.render_as_string(hide_password=True)} "
                f"is being run by {other or 'another process'}. Wait for that fit to finish "
                "(or stop it), or give this fit another name, path_prefix or unique_tag."
            )
        connection.commit()
        try:
            yield
        finally:
            with contextlib.suppress(Exception):
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": number})
                connection.execute(text("RESET application_name"))
                connection.commit()
    finally:
        connection.close()
