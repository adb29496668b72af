"""Tests of atomic writes: complete files, replaced whole, and no temporary files left behind."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import numpy as np
import pytest

from autofit.output import atomic_save_npz, atomic_write_bytes, atomic_write_json, atomic_write_text


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


class TestWrites:
    def test_bytes(self, tmp_path):
        data = bytes(range(256)) * 100
        atomic_write_bytes(tmp_path / "data.bin", data)
        assert (tmp_path / "data.bin").read_bytes() == data
        assert names(tmp_path) == ["data.bin"]

    def test_text_is_utf8(self, tmp_path):
        text = "σ = 2.3548 × width\nline two\n"
        atomic_write_text(tmp_path / "notes.txt", text)
        assert (tmp_path / "notes.txt").read_bytes() == text.encode("utf-8")
        assert names(tmp_path) == ["notes.txt"]

    def test_json_with_numpy_values_and_paths(self, tmp_path):
        value = {
            "array": np.array([[1.0, 2.5], [3.0, 4.0]]),
            "integer": np.int64(7),
            "float": np.float32(0.5),
            "path": Path("a") / "b",
            "nested": [1, "two", None, True],
        }
        atomic_write_json(tmp_path / "value.json", value)
        assert json.loads((tmp_path / "value.json").read_text()) == {
            "array": [[1.0, 2.5], [3.0, 4.0]],
            "integer": 7,
            "float": 0.5,
            "path": str(Path("a") / "b"),
            "nested": [1, "two", None, True],
        }
        assert names(tmp_path) == ["value.json"]

    def test_npz_is_readable_without_pickle(self, tmp_path):
        chain = np.arange(24.0).reshape(2, 3, 4)
        steps = np.array(17)
        atomic_save_npz(tmp_path / "state.npz", chain=chain, steps=steps)
        with np.load(tmp_path / "state.npz", allow_pickle=False) as data:
            assert sorted(data.files) == ["chain", "steps"]
            np.testing.assert_array_equal(data["chain"], chain)
            assert int(data["steps"]) == 17
        assert names(tmp_path) == ["state.npz"]

    def test_parent_folders_are_created(self, tmp_path):
        atomic_write_text(tmp_path / "a" / "b" / "c.txt", "deep")
        assert (tmp_path / "a" / "b" / "c.txt").read_text() == "deep"


class TestReplacement:
    def test_existing_file_is_replaced_whole(self, tmp_path):
        target = tmp_path / "file.txt"
        atomic_write_text(target, "x" * 10_000)
        atomic_write_text(target, "short")
        assert target.read_text() == "short"
        assert names(tmp_path) == ["file.txt"]

    def test_readers_never_see_a_partial_file(self, tmp_path):
        target = tmp_path / "file.json"
        payloads = [{"index": i, "values": list(range(i * 200))} for i in range(1, 6)]
        atomic_write_json(target, payloads[0])
        for previous, payload in zip(payloads, payloads[1:], strict=False):
            with open(target) as reader:
                atomic_write_json(target, payload)
                # A reader that opened the old file still reads it complete: the new file
                # was renamed over the target, not written into it.
                assert json.loads(reader.read()) == previous
            assert json.loads(target.read_text()) == payload

    def test_unserialisable_json_leaves_the_old_file(self, tmp_path):
        target = tmp_path / "value.json"
        atomic_write_json(target, {"a": 1})
        with pytest.raises(TypeError, match="object"):
            atomic_write_json(target, {"a": object()})
        assert json.loads(target.read_text()) == {"a": 1}
        assert names(tmp_path) == ["value.json"]

    def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(self, tmp_path, monkeypatch):
        target = tmp_path / "state.txt"
        atomic_write_text(target, "good state")

        def full_disk(descriptor):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(os, "fsync", full_disk)
        with pytest.raises(OSError):
            atomic_write_bytes(target, b"new state", durable=True)
        monkeypatch.undo()
        assert target.read_text() == "good state"
        assert names(tmp_path) == ["state.txt"]

    def test_concurrent_writers_in_threads_each_write_a_complete_file(self, tmp_path):
        target = tmp_path / "shared.txt"
        payloads = [f"{index}:" + "y" * 5000 for index in range(8)]
        errors = []

        def write(payload):
            try:
                for _ in range(20):
                    atomic_write_text(target, payload)
            except Exception as error:  # noqa: BLE001 - collected for the assertion below
                errors.append(error)

        threads = [threading.Thread(target=write, args=(payload,)) for payload in payloads]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert target.read_text() in payloads
        assert names(tmp_path) == ["shared.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_mode_the_umask_gives_new_files(tmp_path, umask, mode):
    """A temporary file is private (0600); the written file has 0666 less the umask, as an
    ordinary new file would, so colleagues can read shared output when the umask allows."""
    import subprocess
    import sys

    script = (
        "import os, sys\n"
        f"os.umask({umask})\n"
        "from autofit.output.atomic import atomic_write_text, atomic_save_npz\n"
        "import numpy as np\n"
        "atomic_write_text(sys.argv[1] + '/a.txt', 'x')\n"
        "atomic_save_npz(sys.argv[1] + '/b.npz', x=np.zeros(2))\n"
        "open(sys.argv[1] + '/plain.txt', 'w').close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True)
    modes = {path.name: path.stat().st_mode & 0o777 for path in tmp_path.iterdir()}
    assert modes == {"a.txt": mode, "b.npz": mode, "plain.txt": mode}
