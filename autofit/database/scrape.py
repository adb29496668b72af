"""Scraping output folders into a results database.

Every fit folder (a folder holding ``.identifier``) under a directory is read and written into
the database, many fits per transaction, each into the row of its key (a digest of its
path_prefix, unique_tag, name and identifier), so fits that differ only in name or path_prefix
are different rows. A fit the database already holds unchanged is skipped; a
fit that has progressed (more samples, now complete) is rewritten; a folder that cannot be read
(truncated or half-written files) is logged, listed in the report and skipped.

A fit counts as unchanged when the database holds it with the same completion state, the same
stored files with the same sizes, and no stored file (nor ``metadata`` or ``.completed``) was
modified after the database row was last written. ``force=True`` rewrites every fit.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from autofit.database.content import (
    STORED_SUFFIXES,
    FitContent,
    components_of,
    content_from_folder,
    folder_names,
)
from autofit.database.schema import Component, Fit, FitFile, InfoItem, Parameter
from autofit.database.session import retry_on_lock
from autofit.database.writer import info_rows
from autofit.exc import warn_missing_folder
from autofit.output.paths import fit_key

__all__ = ["ScrapeReport", "SkippedFolder", "add_directory", "fit_folders"]

logger = logging.getLogger(__name__)

#: Subfolders of a fit folder that never hold another fit (not walked).
_NOT_FITS = ("files", "image")
#: Identifiers per ``IN (...)`` clause when reading what the database holds.
_QUERY_CHUNK = 500
#: The SQLite page cache of the scrape's connection (KiB).
_SQLITE_CACHE_KIB = 65536
#: The SQLite write-ahead log is copied into the database and truncated after this many fits
#: (or bytes of files) have been written, and at the end of a scrape, so it never grows far
#: beyond one batch.
_WAL_CHECKPOINT_FITS = 200
_WAL_CHECKPOINT_BYTES = 256 * 1024**2
#: How long a checkpoint waits for readers of the database (milliseconds); a checkpoint that
#: cannot finish in time is left to the next one.
_WAL_CHECKPOINT_WAIT_MS = 200


class SkippedFolder(NamedTuple):
    """A fit folder the scrape could not read, and why."""

    folder: Path
    reason: str


@dataclass
class ScrapeReport:
    """What :func:`add_directory` did: identifiers of the fits added, updated and found unchanged,
    the identifiers of the grid searches written (``grids``), the folders skipped because they
    could not be read, and the fits left as the database holds them because the folder is an
    older copy (``older``: the database's copy is complete, or has more samples)."""

    directory: Path
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[SkippedFolder] = field(default_factory=list)
    grids: list[str] = field(default_factory=list)
    seconds: float = 0.0
    older: list[str] = field(default_factory=list)

    @property
    def folders(self) -> int:
        """How many fit folders were found."""
        return (
            len(self.added)
            + len(self.updated)
            + len(self.unchanged)
            + len(self.skipped)
            + len(self.older)
        )

    def __str__(self) -> str:
        lines = [
            f"{self.folders} fit folders under {self.directory}: {len(self.added)} added, "
            f"{len(self.updated)} updated, {len(self.unchanged)} unchanged, "
            f"{len(self.skipped)} skipped"
            + (
                f", {len(self.older)} older cop{'y' if len(self.older) == 1 else 'ies'} ignored"
                if self.older
                else ""
            )
            + f" ({self.seconds:.1f} s)"
        ]
        if self.grids:
            lines.append(f"{len(self.grids)} grid searches written")
        lines.extend(f"  skipped {item.folder}: {item.reason}" for item in self.skipped)
        return "\n".join(lines)


def fit_folders(directory: str | Path) -> Iterator[Path]:
    """Every fit folder (holding ``.identifier``) under ``directory``, in sorted order; a fit's
    ``files/`` and ``image/`` folders are not walked."""
    for root, folders, files in os.walk(directory):
        folders.sort()
        if ".identifier" in files:
            folders[:] = [name for name in folders if name not in _NOT_FITS]
            yield Path(root)


# -- what is on disk and what the database holds ---------------------------------------------------


@dataclass
class _FolderState:
    folder: Path
    identifier: str
    key: str
    is_complete: bool
    files: dict[str, int]  # stored file name -> size
    modified: float  # latest modification time of the stored files, metadata and .completed


def _stored_files(files_path: Path) -> Iterator[tuple[str, os.stat_result]]:
    """The files of ``files/`` that the database stores (see ``content_from_folder``)."""
    stack = [(files_path, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except FileNotFoundError:
            continue
        for entry in entries:
            if entry.is_dir():
                if not (prefix == "" and entry.name == "search_internal"):
                    stack.append((Path(entry.path), f"{prefix}{entry.name}/"))
            elif (
                entry.is_file()
                and not entry.name.startswith(".")
                and os.path.splitext(entry.name)[1] in STORED_SUFFIXES
            ):
                yield prefix + entry.name, entry.stat()


def _folder_state(folder: Path) -> _FolderState:
    """The identifier and file signature of a fit folder, from ``stat`` calls only.

    Raises
    ------
    ValueError
        If ``.identifier`` is empty or unreadable.
    """
    try:
        identifier = (folder / ".identifier").read_text().strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read .identifier ({error})") from error
    if not identifier:
        raise ValueError(".identifier is empty")
    files: dict[str, int] = {}
    modified = 0.0
    for name, stat in _stored_files(folder / "files"):
        files[name] = stat.st_size
        modified = max(modified, stat.st_mtime)
    is_complete = False
    for marker in ("metadata", ".completed"):
        try:
            modified = max(modified, (folder / marker).stat().st_mtime)
        except FileNotFoundError:
            continue
        is_complete = is_complete or marker == ".completed"
    key = fit_key(*_prefix_tag_name(folder), identifier)
    return _FolderState(folder, identifier, key, is_complete, files, modified)


def _prefix_tag_name(folder: Path) -> tuple[str, str, str]:
    name, path_prefix, unique_tag = folder_names(folder)
    return path_prefix, unique_tag, name


@dataclass
class _Stored:
    is_complete: bool
    updated_at: float
    total_samples: int = 0
    files: dict[str, int] = field(default_factory=dict)


def _stored_fits(engine: Engine, keys: list[str]) -> dict[str, _Stored]:
    """Completion, time of last write and file sizes of the fits the database holds, by key."""
    stored: dict[str, _Stored] = {}
    with engine.connect() as connection:
        for start in range(0, len(keys), _QUERY_CHUNK):
            chunk = keys[start : start + _QUERY_CHUNK]
            rows = connection.execute(
                select(Fit.id, Fit.is_complete, Fit.updated_at, Fit.total_samples).where(
                    Fit.id.in_(chunk)
                )
            )
            for key, is_complete, updated_at, total_samples in rows:
                stored[key] = _Stored(
                    bool(is_complete), float(updated_at or 0.0), int(total_samples or 0)
                )
            rows = connection.execute(
                select(FitFile.fit_id, FitFile.name, func.length(FitFile.content)).where(
                    FitFile.fit_id.in_(chunk)
                )
            )
            for key, name, size in rows:
                if key in stored:  # else inserted by another writer meanwhile
                    stored[key].files[name] = int(size or 0)
    return stored


def _is_behind(is_complete: bool, total_samples: int | None, stored: _Stored) -> bool:
    """Whether a folder holds an older copy of a fit than the database: the database's copy is
    complete and the folder's not, or the folder has fewer samples (None: not yet known)."""
    if stored.is_complete and not is_complete:
        return True
    return total_samples is not None and total_samples < stored.total_samples


def _is_unchanged(state: _FolderState, stored: _Stored) -> bool:
    return (
        state.is_complete == stored.is_complete
        and state.files == stored.files
        and state.modified <= stored.updated_at
    )


# -- reading and checking a folder -----------------------------------------------------------------


def _check_file(name: str, data: bytes) -> None:
    """Raise ValueError if a stored file is visibly truncated."""
    suffix = os.path.splitext(name)[1]
    if suffix == ".json":
        try:
            json.loads(data)
        except ValueError as error:
            raise ValueError(f"files/{name} is not valid JSON ({error})") from error
    elif suffix == ".csv":
        _check_csv(name, data)
    elif suffix == ".npy":
        _check_npy(name, data)


def _check_csv(name: str, data: bytes) -> None:
    """A samples CSV is a header and complete rows, each ending with a newline."""
    if not data.strip():
        raise ValueError(f"files/{name} is empty")
    if not data.endswith(b"\n"):
        raise ValueError(f"files/{name} is truncated (its last line is incomplete)")
    header, _, rest = data.partition(b"\n")
    rest = rest.rstrip(b"\n")
    if rest:
        last = rest[rest.rfind(b"\n") + 1 :]
        if last.count(b",") != header.count(b","):
            raise ValueError(
                f"files/{name} is truncated: its last row has {last.count(b',') + 1} columns, "
                f"the header {header.count(b',') + 1}"
            )


def _check_npy(name: str, data: bytes) -> None:
    """The header of a NumPy file and the size its shape implies."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(stream)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(stream)
    except ValueError as error:
        raise ValueError(f"files/{name} is not a readable NumPy file ({error})") from error
    if dtype.hasobject:
        return  # a pickled object array: its size is not known from the header
    expected = stream.tell() + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(data) < expected:
        raise ValueError(f"files/{name} is truncated ({len(data)} of {expected} bytes)")


def _unreadable_json(folder: Path) -> str | None:
    """Which JSON file of a fit folder cannot be parsed, and why."""
    for name, _ in _stored_files(folder / "files"):
        if name.endswith(".json"):
            try:
                _check_file(name, (folder / "files" / name).read_bytes())
            except (OSError, ValueError) as error:
                return str(error)
    return None


def _read_folder(folder: Path) -> FitContent:
    """The checked content of a fit folder.

    Raises
    ------
    ValueError
        If the folder is not a complete, readable fit.
    """
    try:
        content = content_from_folder(folder)
    except json.JSONDecodeError as error:
        raise ValueError(_unreadable_json(folder) or str(error)) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"cannot read the fit ({error})") from error
    for name, data in content.files.items():
        _check_file(name, data)
    try:
        content.parameters()
        int(content.total_samples)
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(f"files/samples_summary.json is incomplete ({error})") from error
    return content


# -- writing many fits in one transaction ----------------------------------------------------------


def _fit_values(content: FitContent, read_at: float) -> dict[str, Any]:
    return {
        "identifier": content.identifier,
        "name": content.name or "",
        "path_prefix": content.path_prefix or "",
        "unique_tag": content.unique_tag or "",
        "search_class": str(content.search.get("type", "")),
        "search_json": json.dumps(content.search, default=str),
        "model_json": json.dumps(content.model),
        "info_json": None if content.info is None else json.dumps(content.info, default=str),
        "is_complete": bool(content.is_complete),
        "max_log_likelihood": content.max_log_likelihood,
        "log_evidence": content.log_evidence,
        "total_samples": content.total_samples,
        "updated_at": read_at,
    }


def _write_batch(connection: Connection, batch: list[tuple[FitContent, float]]) -> None:
    """Insert or replace the fits of ``batch`` (each with the time its folder was read) in one
    transaction on ``connection``."""
    keys = [content.key for content, _ in batch]
    fits = [{"fit_id": content.key, **_fit_values(content, read_at)} for content, read_at in batch]
    contents = [content for content, _ in batch]
    info_columns = [column.key for column in InfoItem.__table__.columns]
    children = {
        Parameter: [
            {"fit_id": content.key, "path": path, "max_log_likelihood": best, "median": median}
            for content in contents
            for path, best, median in content.parameters()
        ],
        Component: [
            {"fit_id": content.key, "path": path, "class_path": class_path}
            for content in contents
            for path, class_path in components_of(content.model)
        ],
        InfoItem: [
            {column: getattr(row, column) for column in info_columns}
            for content in contents
            for row in info_rows(content.key, content.info)
        ],
        FitFile: [
            {"fit_id": content.key, "name": name, "content": data}
            for content in contents
            for name, data in content.files.items()
        ],
    }
    fit_table = Fit.__table__
    with connection.begin():
        # Deleting first takes SQLite's write lock before anything is read.
        for table in children:
            connection.execute(delete(table).where(table.fit_id.in_(keys)))
        existing = set(connection.execute(select(Fit.id).where(Fit.id.in_(keys))).scalars())
        new = [row for row in fits if row["fit_id"] not in existing]
        if new:
            rows = [{_column(key): value for key, value in row.items()} for row in new]
            connection.execute(insert(fit_table), rows)
        old = [row for row in fits if row["fit_id"] in existing]
        if old:
            values = {key: bindparam(key) for key in old[0] if key != "fit_id"}
            statement = update(fit_table).where(fit_table.c.id == bindparam("fit_id"))
            connection.execute(statement.values(values), old)
        for table, rows in children.items():
            if rows:
                connection.execute(insert(table.__table__), rows)


def _column(key: str) -> str:
    """Rows carry the key as ``fit_id`` (a column of ``fit`` cannot name an update's
    bound parameter); inserts need it as ``id``."""
    return "id" if key == "fit_id" else key


def _write(connection: Connection, batch: list[tuple[FitContent, float]]) -> None:
    """Write a batch, retried while the database is locked, and again if another writer
    inserted one of its fits at the same moment (PostgreSQL)."""
    for attempt in range(3):
        try:
            retry_on_lock(lambda: _write_batch(connection, batch))()
            return
        except IntegrityError:
            if attempt == 2:
                raise


@contextlib.contextmanager
def _writer(engine: Engine) -> Iterator[Connection]:
    """One connection for the whole scrape; on SQLite with a larger page cache, which makes
    writing large files faster, restored before the connection returns to the pool."""
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            cache_size = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_CACHE_KIB}")
            connection.commit()
        try:
            yield connection
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql(f"PRAGMA cache_size={int(cache_size)}")
                connection.commit()


# -- the scrape ------------------------------------------------------------------------------------


def _batches(
    states: list[_FolderState], batch_size: int, batch_bytes: int
) -> Iterator[list[_FolderState]]:
    batch: list[_FolderState] = []
    size = 0
    for state in states:
        state_size = sum(state.files.values())
        if batch and (len(batch) >= batch_size or size + state_size > batch_bytes):
            yield batch
            batch, size = [], 0
        batch.append(state)
        size += state_size
    if batch:
        yield batch


def _read_batch(batch: list[_FolderState]) -> list[tuple[_FolderState, FitContent | str, float]]:
    """``(state, content or the reason it cannot be read, time of reading)`` of each folder."""
    results: list[tuple[_FolderState, FitContent | str, float]] = []
    for state in batch:
        read_at = time.time()
        try:
            result: FitContent | str = _read_folder(state.folder)
        except ValueError as error:
            result = str(error)
        except Exception as error:  # an unreadable folder never aborts the scrape
            result = f"cannot read the fit ({type(error).__name__}: {error})"
        if isinstance(result, FitContent) and result.key != state.key:
            result = "the folder changed while it was read"
        results.append((state, result, read_at))
    return results


def _read_ahead(batches: Iterable[list[_FolderState]], pool: ThreadPoolExecutor) -> Iterator[Any]:
    """The results of :func:`_read_batch` for each batch, the next batch read while the
    current one is written."""
    pending: deque[Future] = deque()
    for batch in batches:
        pending.append(pool.submit(_read_batch, batch))
        if len(pending) > 1:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def add_directory(
    database: Session | Engine,
    directory: str | Path,
    batch_size: int = 50,
    batch_bytes: int = 128 * 1024**2,
    force: bool = False,
) -> ScrapeReport:
    """Scrape every fit folder under ``directory`` into the database.

    Parameters
    ----------
    database
        A session from ``af.db.open_database`` (or its engine).
    directory
        A folder of fit output (``output/`` or any folder below it).
    batch_size, batch_bytes
        At most this many fits, and about this many bytes of files, are written per transaction.
    force
        Rewrite every fit, also those the database holds unchanged.

    Returns
    -------
    A :class:`ScrapeReport` of the fits added, updated and unchanged and the folders skipped.
    Scraping the same folders twice adds nothing the second time.

    A ``directory`` that does not exist adds nothing: the report is empty and one
    :class:`~autofit.exc.MissingFolderWarning` gives the folder's absolute path.

    Raises
    ------
    NotADirectoryError
        If ``directory`` is a file.
    """
    started = time.perf_counter()
    directory = Path(directory)
    if not directory.exists():
        warn_missing_folder(directory, "no fits are added to the database from it")
        return ScrapeReport(directory)
    if not directory.is_dir():
        raise NotADirectoryError(f"{directory.resolve()} is a file, not an output folder to scrape")
    engine = database.get_bind() if isinstance(database, Session) else database
    report = ScrapeReport(directory)

    def skip(folder: Path, reason: str) -> None:
        reason = reason.removeprefix(f"{folder}: ")
        logger.warning("Skipped the fit folder %s: %s", folder, reason)
        report.skipped.append(SkippedFolder(folder, reason))

    states: list[_FolderState] = []
    first_folder: dict[str, Path] = {}
    for folder in fit_folders(directory):
        try:
            state = _folder_state(folder)
        except ValueError as error:
            skip(folder, str(error))
            continue
        if state.key in first_folder:
            first = first_folder[state.key]
            skip(
                folder,
                f"the same fit (identifier {state.identifier}, same name, path_prefix and "
                f"unique_tag) as {first}",
            )
            continue
        first_folder[state.key] = folder
        states.append(state)

    stored = _stored_fits(engine, [state.key for state in states])
    to_write = []

    def older(state: _FolderState, is_complete: bool, total_samples: int | None) -> bool:
        known = stored.get(state.key)
        if force or known is None or not _is_behind(is_complete, total_samples, known):
            return False
        logger.info(
            "Left the fit %s as the database holds it: the folder %s is an older copy "
            "(fewer samples, or not complete)",
            state.identifier,
            state.folder,
        )
        report.older.append(state.identifier)
        return True

    for state in states:
        known = stored.get(state.key)
        if known is not None and not force and _is_unchanged(state, known):
            report.unchanged.append(state.identifier)
        elif not older(state, state.is_complete, None):
            to_write.append(state)

    written = {"fits": 0, "bytes": 0}
    with ThreadPoolExecutor(max_workers=1) as pool, _writer(engine) as connection:
        for results in _read_ahead(_batches(to_write, batch_size, batch_bytes), pool):
            batch = []
            for state, result, read_at in results:
                if isinstance(result, str):
                    skip(state.folder, result)
                elif not older(state, result.is_complete, result.total_samples):
                    batch.append((result, read_at))
            if batch:
                _write(connection, batch)
                written["fits"] += len(batch)
                written["bytes"] += sum(sum(map(len, c.files.values())) for c, _ in batch)
                if (
                    written["fits"] >= _WAL_CHECKPOINT_FITS
                    or written["bytes"] >= _WAL_CHECKPOINT_BYTES
                ):
                    _checkpoint_wal(connection)
                    written = {"fits": 0, "bytes": 0}
            for content, _ in batch:
                added = content.key not in stored
                (report.added if added else report.updated).append(content.identifier)
            del results, batch  # only the batch being read ahead stays in memory
        _checkpoint_wal(connection)
    from autofit.database.grid import scrape_grids

    for folder, error in scrape_grids(engine, directory, report.grids):
        skip(folder, error)
    report.seconds = time.perf_counter() - started
    return report


def _checkpoint_wal(connection: Connection) -> None:
    """Copy SQLite's write-ahead log into the database and truncate it (left to the next
    checkpoint if readers keep it busy for longer than a moment); nothing for other databases."""
    if connection.dialect.name != "sqlite":
        return
    timeout = connection.exec_driver_sql("PRAGMA busy_timeout").scalar()
    try:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={_WAL_CHECKPOINT_WAIT_MS}")
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").all()
    finally:
        connection.exec_driver_sql(f"PRAGMA busy_timeout={int(timeout)}")
        connection.commit()
