"""Samples stored in a database are verified against the checksums written with them, and
corrupted sample files give errors naming the file."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from autofit.database import open_database, write_fit
from autofit.database.writer import write_files
from autofit.samples.io import SamplesFileWarning, write_samples
from test_autofit.database.fits import close, make_content, make_samples


def stored(tmp_path, sqlite_path, change=None):
    """A fit whose sample files are those ``write_samples`` writes, ``change``d, in a database."""
    samples = make_samples(seed=3, count=50)
    folder = tmp_path / "written"
    write_samples(samples, folder)
    content = make_content("checked", count=0)
    for name in ("samples.csv", "samples.npy", "samples_info.json", "samples_summary.json"):
        content.files[name] = (folder / name).read_bytes()
    if change is not None:
        change(content.files)
    session = open_database(sqlite_path)
    write_fit(session, content)
    close(session)
    return samples, af.Aggregator.from_database(sqlite_path)[0]


def flip_a_byte(files):
    data = bytearray(files["samples.npy"])
    data[-5] ^= 0x40
    files["samples.npy"] = bytes(data)


def test_verified_samples_are_read_from_the_binary_copy(tmp_path, sqlite_path):
    written, fit = stored(tmp_path, sqlite_path)
    np.testing.assert_array_equal(fit.samples.parameters, written.parameters)


def test_a_corrupted_binary_copy_in_the_database_falls_back_to_the_csv(tmp_path, sqlite_path):
    written, fit = stored(tmp_path, sqlite_path, flip_a_byte)
    with pytest.warns(SamplesFileWarning, match="database fit fit/checked/samples.npy differs"):
        samples = fit.samples
    np.testing.assert_array_equal(samples.parameters, written.parameters)


def test_garbage_json_of_a_stored_fit_names_the_file(tmp_path, sqlite_path):
    _, fit = stored(tmp_path, sqlite_path)
    session = open_database(sqlite_path)
    garbage = {"samples_summary.json": b"\xff\xfe garbage", "samples_info.json": b"\x00\x01"}
    write_files(session, fit.key, garbage)
    close(session)
    with pytest.raises(af.exc.SearchException, match="samples_summary.json"):
        fit.value("samples_summary")
    with pytest.raises(af.exc.SearchException, match="samples_info.json"):
        fit.value("samples")
