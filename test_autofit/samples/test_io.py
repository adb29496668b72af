"""Samples files: write then read round trips, and damaged files raise SearchException (io.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.samples.io import SamplesFileWarning, read_samples, write_samples


def random_samples(cls: type[af.Samples] = af.Samples, **info) -> af.Samples:
    rng = np.random.default_rng(12)
    n = 60
    parameters = rng.normal(size=(n, 3)) * [10.0, 1.0, 2.0] + [50.0, 3.0, 5.0]
    return cls(
        af.Model(af.ex.Gaussian),
        parameters,
        rng.normal(size=n) * 100.0,
        rng.normal(size=n),
        weights=rng.random(n),
        samples_info={"total_iterations": 123, **info},
    )


def assert_same_samples(read: af.Samples, written: af.Samples) -> None:
    assert type(read) is type(written)
    np.testing.assert_array_equal(read.parameters, written.parameters)
    np.testing.assert_array_equal(read.log_likelihood, written.log_likelihood)
    np.testing.assert_array_equal(read.log_prior, written.log_prior)
    np.testing.assert_array_equal(read.log_posterior, written.log_posterior)
    np.testing.assert_allclose(read.weights, written.weights, rtol=1e-15, atol=0.0)
    assert read.samples_info == written.samples_info


@pytest.mark.parametrize(
    ("cls", "info", "kind"),
    [
        (af.Samples, {}, "samples"),
        (af.SamplesMCMC, {"nwalkers": 6, "burn_in": 3}, "mcmc"),
        (af.SamplesOptimizer, {}, "optimizer"),
    ],
)
def test_write_then_read_gives_identical_samples(tmp_path, cls, info, kind):
    written = random_samples(cls, **info)
    write_samples(written, tmp_path)
    read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert_same_samples(read, written)
    assert read.samples_info["kind"] == kind
    assert read.median_pdf(as_instance=False) == pytest.approx(
        written.median_pdf(as_instance=False), rel=1e-15
    )


def test_weights_round_trip_exactly(tmp_path):
    # Normalised weights written with 17 significant digits must come back bit for bit; dividing
    # them by their floating-point sum again on reading changes them in the last place.
    written = random_samples()
    write_samples(written, tmp_path)
    read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    np.testing.assert_array_equal(read.weights, written.weights)


def test_files_written(tmp_path):
    samples = random_samples(log_evidence=-3.5)
    write_samples(samples, tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "samples.csv",
        "samples.npy",
        "samples_info.json",
        "samples_summary.json",
    ]
    header = (tmp_path / "samples.csv").read_text().splitlines()[0]
    assert header == "centre,normalization,sigma,log_likelihood,log_prior,log_posterior,weight"
    info = json.loads((tmp_path / "samples_info.json").read_text())
    checksums = info.pop("table_checksums")
    assert info == {"total_iterations": 123, "log_evidence": -3.5, "kind": "samples"}
    assert checksums == {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        for name in ("samples.csv", "samples.npy")
    }
    assert "table_checksums" not in read_samples(af.Model(af.ex.Gaussian), tmp_path).samples_info
    summary = json.loads((tmp_path / "samples_summary.json").read_text())
    assert summary == json.loads(json.dumps(samples.summary().dict()))


def test_csv_columns_hold_the_values(tmp_path):
    samples = random_samples()
    write_samples(samples, tmp_path)
    table = np.loadtxt(tmp_path / "samples.csv", delimiter=",", skiprows=1)
    np.testing.assert_array_equal(table[:, :3], samples.parameters)
    np.testing.assert_array_equal(table[:, 5], samples.log_posterior)
    assert table[:, 6].sum() == pytest.approx(1.0, abs=1e-12)


def test_collection_columns_are_dotted_paths(tmp_path):
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential))
    samples = af.Samples(model, np.arange(12.0).reshape(2, 6), [1.0, 2.0], [0.0, 0.0])
    write_samples(samples, tmp_path)
    header = (tmp_path / "samples.csv").read_text().splitlines()[0].split(",")
    assert header[:6] == [
        "g.centre",
        "g.normalization",
        "g.sigma",
        "e.centre",
        "e.normalization",
        "e.rate",
    ]
    read = read_samples(model, tmp_path)
    np.testing.assert_array_equal(read.parameters, samples.parameters)


def test_empty_samples_round_trip(tmp_path):
    empty = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    write_samples(empty, tmp_path)
    read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert read.total_samples == 0
    assert read.parameters.shape == (0, 3)


def test_single_sample_round_trip(tmp_path):
    one = af.Samples(af.Model(af.ex.Gaussian), [[1.0, 2.0, 3.0]], [-4.0], [0.5])
    write_samples(one, tmp_path)
    assert_same_samples(read_samples(af.Model(af.ex.Gaussian), tmp_path), one)


def test_a_header_that_does_not_match_the_model_raises(tmp_path):
    write_samples(random_samples(), tmp_path)
    with pytest.raises(af.exc.SearchException, match="samples.csv") as info:
        read_samples(af.Model(af.ex.Exponential), tmp_path)
    assert str(tmp_path) in str(info.value)
    assert "rate" in str(info.value)


def test_a_truncated_csv_raises(tmp_path):
    write_samples(random_samples(), tmp_path)
    csv = tmp_path / "samples.csv"
    text = csv.read_text()
    csv.write_text(text[: len(text) // 2 + 7])  # cut in the middle of a row
    with pytest.raises(af.exc.SearchException, match="samples.csv") as info:
        read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert str(tmp_path) in str(info.value)


def test_an_empty_csv_raises(tmp_path):
    write_samples(random_samples(), tmp_path)
    (tmp_path / "samples.csv").write_text("")
    with pytest.raises(af.exc.SearchException, match="samples.csv"):
        read_samples(af.Model(af.ex.Gaussian), tmp_path)


@pytest.mark.parametrize("name", ["samples.csv", "samples_info.json"])
def test_a_missing_file_raises_naming_it(tmp_path, name):
    write_samples(random_samples(), tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(af.exc.SearchException, match=name):
        read_samples(af.Model(af.ex.Gaussian), tmp_path)


def test_a_truncated_info_file_raises_naming_it(tmp_path):
    write_samples(random_samples(), tmp_path)
    info = tmp_path / "samples_info.json"
    info.write_text(info.read_text()[:10])
    with pytest.raises(af.exc.SearchException, match="samples_info.json"):
        read_samples(af.Model(af.ex.Gaussian), tmp_path)


def test_missing_folder_raises(tmp_path):
    with pytest.raises(af.exc.SearchException, match=str(Path("nowhere"))):
        read_samples(af.Model(af.ex.Gaussian), tmp_path / "nowhere")


def test_the_binary_table_holds_the_csv_table(tmp_path):
    write_samples(random_samples(), tmp_path)
    table = np.load(tmp_path / "samples.npy", allow_pickle=False)
    csv = np.loadtxt(tmp_path / "samples.csv", delimiter=",", skiprows=1)
    assert table.dtype == np.float64
    np.testing.assert_array_equal(table, csv)


def test_the_binary_table_keeps_the_rows_the_weight_threshold_keeps(tmp_path):
    written = random_samples()
    write_samples(written, tmp_path, weight_threshold=0.5)
    table = np.load(tmp_path / "samples.npy", allow_pickle=False)
    kept = written.weights >= 0.5 * written.weights.max()
    assert 0 < table.shape[0] == kept.sum() < written.total_samples
    np.testing.assert_array_equal(table[:, :3], written.parameters[kept])


def test_reading_uses_the_verified_binary_table(tmp_path, monkeypatch):
    # The CSV is never parsed when both files have their recorded checksums.
    written = random_samples()
    write_samples(written, tmp_path)

    def no_parsing(*args, **kwargs):
        raise AssertionError("the CSV was parsed")

    monkeypatch.setattr(np, "loadtxt", no_parsing)
    assert_same_samples(read_samples(af.Model(af.ex.Gaussian), tmp_path), written)


def test_flipped_bytes_in_the_binary_table_fall_back_to_the_csv(tmp_path):
    # The binary copy keeps its shape but one value changes: the CSV's values are read.
    written = random_samples()
    write_samples(written, tmp_path)
    data = bytearray((tmp_path / "samples.npy").read_bytes())
    data[-3] ^= 0xFF
    (tmp_path / "samples.npy").write_bytes(bytes(data))
    with pytest.warns(SamplesFileWarning, match="samples.npy differs from the checksum"):
        read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert_same_samples(read, written)


def test_an_edited_csv_is_read_with_a_warning(tmp_path):
    # Someone edits a value of the CSV: the edit is what is read, not the stale binary copy.
    written = random_samples()
    write_samples(written, tmp_path)
    csv = tmp_path / "samples.csv"
    lines = csv.read_text().splitlines()
    row = lines[1].split(",")
    row[0] = "777.0"
    lines[1] = ",".join(row)
    csv.write_text("\n".join(lines) + "\n")
    with pytest.warns(SamplesFileWarning, match="samples.csv differs from the checksum"):
        read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert read.parameters[0, 0] == 777.0
    np.testing.assert_array_equal(read.parameters[1:], written.parameters[1:])


def test_files_without_checksums_are_read_from_the_csv(tmp_path):
    # Files written before checksums were recorded: the binary copy cannot be verified.
    written = random_samples()
    write_samples(written, tmp_path)
    info = json.loads((tmp_path / "samples_info.json").read_text())
    del info["table_checksums"]
    (tmp_path / "samples_info.json").write_text(json.dumps(info))
    np.save(tmp_path / "samples.npy", np.zeros((written.total_samples, 7)))
    assert_same_samples(read_samples(af.Model(af.ex.Gaussian), tmp_path), written)


@pytest.mark.parametrize(
    "name, content",
    [
        ("samples.csv", b"\xff\xfe\x00garbage\x9c\n"),
        ("samples_info.json", b"\x89PNG\r\n\x1a\n\x00\x00"),
        ("samples_info.json", b"[1, 2, 3]"),
    ],
    ids=["binary-csv", "binary-info", "info-not-a-dictionary"],
)
def test_garbage_sample_files_raise_naming_the_file(tmp_path, name, content):
    write_samples(random_samples(), tmp_path)
    (tmp_path / name).write_bytes(content)
    with pytest.raises(af.exc.SearchException, match=f"Cannot read .*{name}"):
        read_samples(af.Model(af.ex.Gaussian), tmp_path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.unlink(),  # a fit written before the binary copy existed
        lambda path: path.write_bytes(path.read_bytes()[:100]),  # truncated
        lambda path: np.save(path, np.zeros((3, 7))),  # rows disagree with the CSV
        lambda path: np.save(path, np.zeros((60, 5))),  # columns disagree with the model
        lambda path: np.save(path, np.zeros((60, 7), dtype=np.float32)),
    ],
    ids=["missing", "truncated", "rows", "columns", "dtype"],
)
def test_a_missing_or_inconsistent_binary_table_falls_back_to_the_csv(tmp_path, damage):
    written = random_samples()
    write_samples(written, tmp_path)
    path = tmp_path / "samples.npy"
    damage(path)
    if path.exists():
        with pytest.warns(SamplesFileWarning, match="samples.npy"):
            read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    else:
        read = read_samples(af.Model(af.ex.Gaussian), tmp_path)
    assert_same_samples(read, written)


def test_the_header_is_checked_when_the_binary_table_is_read(tmp_path):
    # A model with as many parameters but other names: the table's shape fits, the header not.
    write_samples(random_samples(), tmp_path)
    with pytest.raises(af.exc.SearchException, match="rate"):
        read_samples(af.Model(af.ex.Exponential), tmp_path)


def test_saving_an_array_named_samples_is_refused(tmp_path):
    from autofit.output.paths import DirectoryPaths

    paths = DirectoryPaths(name="fit", output_root=tmp_path)
    paths.identifier = "abc"
    with pytest.raises(ValueError, match="samples.npy holds the fit's samples"):
        paths.save_array("samples", np.zeros(3))
    paths.save_array("data", np.arange(3.0))
    np.testing.assert_array_equal(paths.load_array("data"), np.arange(3.0))
