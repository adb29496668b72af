"""Tests of the output folder lock: one holder at a time, the holder named, stale locks taken
over, temporary files of interrupted writes removed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autofit.exc import FitLockedException
from autofit.output.lock import FolderLock, remove_temporary_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock locks are POSIX only")

HOLDER = """
import sys, time
from autofit.output.lock import FolderLock
lock = FolderLock(sys.argv[1]).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def hold_in_another_process(folder: Path) -> subprocess.Popen:
    """A process that takes the lock on ``folder`` and sleeps (its output is read once)."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "locked"
    return process


def test_a_second_lock_fails_naming_the_holder_and_the_folder(tmp_path):
    folder = tmp_path / "fit"
    with FolderLock(folder) as lock:
        assert lock.is_held
        assert (folder / ".lock").read_text().split()[0] == str(os.getpid())
        with pytest.raises(FitLockedException, match=rf"process {os.getpid()} on .*{folder}"):
            FolderLock(folder).acquire()
    assert not (folder / ".lock").exists()
    with FolderLock(folder):  # released: free again
        pass


def test_lock_held_by_another_process_then_taken_over_after_its_death(tmp_path):
    folder = tmp_path / "fit"
    process = hold_in_another_process(folder)
    try:
        with pytest.raises(FitLockedException, match=rf"process {process.pid} .*{folder}"):
            FolderLock(folder).acquire()
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    # The dead holder left its lock file, but the operating system released its lock.
    assert (folder / ".lock").read_text().split()[0] == str(process.pid)
    started = time.monotonic()
    with FolderLock(folder):
        assert (folder / ".lock").read_text().split()[0] == str(os.getpid())
    assert time.monotonic() - started < 1.0


def test_temporary_files_of_interrupted_writes_are_removed(tmp_path):
    kept = [tmp_path / "samples.csv", tmp_path / "files" / "notes.tmpl", tmp_path / ".identifier"]
    left = [
        tmp_path / ".samples.csv.k3j_a8.tmp",
        tmp_path / "files" / "search_internal" / "dynesty.save.tmp",
        tmp_path / "files" / "search_internal" / ".nautilus.123.tmp.h5",
    ]
    for path in kept + left:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert sorted(remove_temporary_files(tmp_path)) == sorted(left)
    assert all(path.exists() for path in kept)
    assert not any(path.exists() for path in left)


HOLDER_WITH_CHILD = """
import os, sys, time
from autofit.output.lock import FolderLock
lock = FolderLock(sys.argv[1]).acquire()
child = os.fork()
if child == 0:  # a forked helper (a plot server, a pool worker) that outlives the fit
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
time.sleep(60)
"""


def test_a_forked_child_of_a_killed_holder_does_not_keep_the_lock(tmp_path):
    folder = tmp_path / "fit"
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER_WITH_CHILD, str(folder)], stdout=subprocess.PIPE, text=True
    )
    child = int(process.stdout.readline())
    try:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        os.kill(child, 0)  # the child is still alive ...
        with FolderLock(folder):  # ... and yet the lock is free
            assert (folder / ".lock").read_text().split()[0] == str(os.getpid())
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
