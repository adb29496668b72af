"""NumPy arrays to and from JSON files (util/arrays.py), reached through af.util."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import autofit as af
from autofit.util import numpy_array_from_json, numpy_array_to_json


def test_af_util_is_available_after_import_autofit():
    # Checked in a fresh interpreter so that no other import has loaded autofit.util first.
    code = (
        "import autofit as af; "
        "print(af.util.numpy_array_to_json.__name__, af.util.numpy_array_from_json.__name__)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.split() == ["numpy_array_to_json", "numpy_array_from_json"]


def test_af_util_names_are_the_module_functions():
    import autofit.util

    assert af.util is autofit.util
    assert af.util.numpy_array_to_json is numpy_array_to_json
    assert af.util.numpy_array_from_json is numpy_array_from_json


@pytest.mark.parametrize(
    "array",
    [
        np.array([1.0, 2.5, -3.25]),
        np.arange(12.0).reshape(3, 4) / 7.0,
        np.arange(24).reshape(2, 3, 4),
        np.array([[1e-300, 1e300], [np.pi, -np.e]]),
    ],
)
def test_round_trip(tmp_path, array):
    path = tmp_path / "array.json"
    numpy_array_to_json(array, path)
    read = numpy_array_from_json(path)
    assert read.shape == array.shape
    np.testing.assert_array_equal(read, array)
    assert json.loads(path.read_text()) == array.tolist()


def test_string_paths(tmp_path):
    path = str(tmp_path / "array.json")
    numpy_array_to_json(np.array([1.0, 2.0]), path)
    np.testing.assert_array_equal(numpy_array_from_json(path), [1.0, 2.0])


def test_an_existing_file_is_not_overwritten(tmp_path):
    path = tmp_path / "array.json"
    numpy_array_to_json(np.array([1.0, 2.0]), path)
    with pytest.raises(FileExistsError, match="array.json"):
        numpy_array_to_json(np.array([3.0]), path)
    np.testing.assert_array_equal(numpy_array_from_json(path), [1.0, 2.0])


def test_overwrite_replaces_the_file(tmp_path):
    path = tmp_path / "array.json"
    numpy_array_to_json(np.array([1.0, 2.0]), path)
    numpy_array_to_json(np.array([[3.0]]), path, overwrite=True)
    np.testing.assert_array_equal(numpy_array_from_json(path), [[3.0]])


def test_parent_folders_are_created(tmp_path):
    path = tmp_path / "a" / "b" / "array.json"
    numpy_array_to_json(np.array([4.0]), path)
    np.testing.assert_array_equal(numpy_array_from_json(path), [4.0])
