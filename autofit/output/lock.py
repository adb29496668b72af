"""An advisory lock on the output folder of a fit, held while the fit runs.

Two processes running the same fit would write the same checkpoints and sample files (and a
sampler's fixed temporary names would make one of them crash). The first process takes an
exclusive ``flock`` on ``<output folder>/.lock`` and writes its process id and host into it; a
second process fails at once with :class:`~autofit.exc.FitLockedException` naming that process
and the folder, rather than waiting for a fit that may run for days. The operating system
releases the lock when its holder dies (even by ``kill -9``), so a stale lock file is simply
taken over. A process forked while a lock is held (the plot server, pool workers) closes its
inherited copy of the lock file at once, so that a child outliving a killed fit does not keep
the lock. On systems without ``fcntl`` (Windows) no lock is taken.
"""

from __future__ import annotations

import contextlib
import os
import socket
import weakref
from pathlib import Path

from autofit.exc import FitLockedException
from autofit.output.atomic import TEMPORARY_SUFFIX, file_mode

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

__all__ = ["FileLock", "FolderLock", "LOCK_FILE", "remove_temporary_files"]

#: Name of the lock file in a fit's output folder.
LOCK_FILE = ".lock"

#: The locks this process holds; a forked child closes its copies of their files.
_HELD: weakref.WeakSet[FileLock] = weakref.WeakSet()


def _close_inherited_locks() -> None:
    """In a forked child: close the inherited lock files without unlocking them.

    ``flock`` locks belong to the open file, which the child shares with its parent: closing
    the child's descriptor leaves the parent's lock in place, and once the parent exits (or is
    killed) nothing holds the file open any more, so the next run can take the lock.
    """
    for lock in list(_HELD):
        handle, lock._handle = lock._handle, None
        if handle is not None:
            with contextlib.suppress(OSError):
                os.close(handle)
    _HELD.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_close_inherited_locks)


class FileLock:
    """An exclusive advisory lock held through a lock file (see the module docstring).

    Parameters
    ----------
    path
        The lock file (it and its folder are created if missing, and it is removed on release).
    what
        What the lock protects, for the message of a second process (``"The fit in ..."``).
    """

    def __init__(self, path: str | Path, what: str | None = None) -> None:
        self.path = Path(path)
        self.what = what or f"The lock file {self.path}"
        self._handle: int | None = None

    @property
    def is_held(self) -> bool:
        """Whether this object holds the lock."""
        return self._handle is not None

    def acquire(self) -> FileLock:
        """Take the lock.

        Raises
        ------
        FitLockedException
            If another process (or another lock object of this process) holds it, naming the
            holder's process id and host and the folder.
        """
        if self._handle is not None or fcntl is None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            handle = os.open(self.path, os.O_RDWR | os.O_CREAT, file_mode())
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                holder = _read_holder(handle)
                os.close(handle)
                raise FitLockedException(
                    f"{self.what} is being run by {holder}, which holds its lock file "
                    f"{self.path}. Wait for that fit to finish (or stop it), or give this fit "
                    "another name, path_prefix or unique_tag."
                ) from None
            # The holder before us may have removed the file between our open and our lock:
            # then we locked a file nobody else will see; open the current one again.
            try:
                current = os.stat(self.path)
            except FileNotFoundError:
                os.close(handle)
                continue
            opened = os.fstat(handle)
            if (current.st_dev, current.st_ino) != (opened.st_dev, opened.st_ino):
                os.close(handle)
                continue
            os.ftruncate(handle, 0)
            os.write(handle, f"{os.getpid()}\n{socket.gethostname()}\n".encode())
            self._handle = handle
            _HELD.add(self)
            return self

    def release(self) -> None:
        """Remove the lock file and release the lock (nothing if not held)."""
        if self._handle is None:
            return
        handle, self._handle = self._handle, None
        _HELD.discard(self)
        with contextlib.suppress(OSError):
            os.unlink(self.path)
        try:
            fcntl.flock(handle, fcntl.LOCK_UN)
        finally:
            os.close(handle)

    def __enter__(self) -> FileLock:
        return self.acquire()

    def __exit__(self, *exc_info: object) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self.path)!r}, held={self.is_held})"


class FolderLock(FileLock):
    """The lock on a fit's output folder: the lock file ``folder / ".lock"``.

    Parameters
    ----------
    folder
        The folder to lock (created if missing).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        super().__init__(self.folder / LOCK_FILE, f"The fit in {self.folder}")


def _read_holder(handle: int) -> str:
    """``"process <pid> on <host>"`` from a lock file, or a vaguer phrase while it is empty."""
    try:
        text = os.pread(handle, 4096, 0).decode(errors="replace").split()
    except OSError:
        text = []
    if not text:
        return "another process"
    host = f" on {text[1]}" if len(text) > 1 else ""
    return f"process {text[0]}{host}"


def remove_temporary_files(folder: str | Path) -> list[Path]:
    """Delete the temporary files that writes interrupted by a kill left in ``folder`` (and
    below): hidden ``.<name>.<random>.tmp`` files of atomic writes and samplers' ``*.tmp``
    files. Call it only while holding the folder's lock, so no running write loses its file.

    Returns
    -------
    The files removed.
    """
    removed = []
    for root, _, names in os.walk(folder):
        for name in names:
            hidden = name.startswith(".") and f"{TEMPORARY_SUFFIX}." in name
            if name.endswith(TEMPORARY_SUFFIX) or hidden:
                path = Path(root) / name
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                    removed.append(path)
    return removed
