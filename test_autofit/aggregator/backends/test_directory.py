"""The directory backend (autofit/aggregator/backends/directory.py): scanning fit folders."""

from __future__ import annotations

import logging
import shutil

import pytest

from autofit.aggregator import Aggregator
from autofit.aggregator.backends.directory import DirectoryBackend, scan_directory


@pytest.fixture
def one_fit(study, tmp_path):
    """A copy of the study's folder of fit_0 (under ``tmp_path / "output"``)."""
    folder = next(
        path.parent
        for path in study.output.rglob(".identifier")
        if path.read_text().strip() == study.ids["fit_0"]
    )
    target = tmp_path / "output" / "study" / "dataset_0" / "fit_0" / folder.name
    shutil.copytree(folder, target)
    return target


def broken_copy(one_fit, name):
    """Another copy of ``one_fit`` with a different identifier, to be damaged by the test."""
    target = one_fit.parent.parent / name / "0123456789abcdef"
    shutil.copytree(one_fit, target)
    (target / ".identifier").write_text("0123456789abcdef\n")
    return target


def test_truncated_and_half_written_fit_folders_are_skipped_with_a_warning(one_fit, caplog):
    truncated_model = broken_copy(one_fit, "truncated_model")
    text = (truncated_model / "files" / "model.json").read_text()
    (truncated_model / "files" / "model.json").write_text(text[: len(text) // 2])
    truncated_summary = broken_copy(one_fit, "truncated_summary")
    (truncated_summary / "files" / "samples_summary.json").write_text('{"paths": [')
    empty_identifier = broken_copy(one_fit, "empty_identifier")
    (empty_identifier / ".identifier").write_text("\n")
    half_written = one_fit.parent.parent / "half_written" / "fedcba9876543210"
    half_written.mkdir(parents=True)
    (half_written / ".identifier").write_text("fedcba9876543210\n")
    with caplog.at_level(logging.WARNING, logger="autofit.aggregator"):
        agg = Aggregator.from_directory(one_fit.parents[3])
    assert [fit.name for fit in agg] == ["fit_0"]
    messages = [record.getMessage() for record in caplog.records]
    assert all(record.levelno == logging.WARNING for record in caplog.records)
    assert len(messages) == 4
    for folder, reason in [
        (truncated_model, "cannot read model.json"),
        (truncated_summary, "cannot read samples_summary.json"),
        (empty_identifier, ".identifier is empty"),
        (half_written, "cannot read model.json"),
    ]:
        assert any(str(folder) in message and reason in message for message in messages), (
            folder,
            messages,
        )


def test_a_fit_found_twice_is_listed_once(one_fit, caplog):
    duplicate = one_fit.parents[3] / "zz_copy" / one_fit.name  # after "study" in path order
    shutil.copytree(one_fit, duplicate)
    with caplog.at_level(logging.WARNING, logger="autofit.aggregator"):
        fits = scan_directory(one_fit.parents[3])
    assert [fit.folder for fit in fits] == [one_fit]
    (message,) = [record.getMessage() for record in caplog.records]
    assert str(duplicate) in message and f"also in {one_fit}" in message


def test_names_fall_back_to_search_json_without_metadata(one_fit):
    (one_fit / "metadata").unlink()
    (fit,) = DirectoryBackend.open(one_fit.parents[3]).headers()
    assert (fit.name, fit.path_prefix, fit.unique_tag) == ("fit_0", "study", "dataset_0")


def test_completion_is_the_completed_marker(one_fit):
    assert DirectoryBackend.open(one_fit).headers()[0].is_complete
    (one_fit / ".completed").unlink()
    assert not DirectoryBackend.open(one_fit).headers()[0].is_complete


def test_reads_files_below_files_and_nothing_for_missing_ones(one_fit, study):
    backend = DirectoryBackend.open(one_fit)
    (header,) = backend.headers()
    assert header.id == study.ids["fit_0"]
    fit_id = header.key
    assert (
        backend.read_file(fit_id, "samples.csv") == (one_fit / "files" / "samples.csv").read_bytes()
    )
    assert backend.read_file(fit_id, "absent.json") is None
    assert backend.read_file(fit_id, "latent") is None  # a folder is not a file
    assert backend.document(fit_id, "info") == (one_fit / "files" / "info.json").read_text()
    (one_fit / "files" / "info.json").unlink()
    assert backend.document(fit_id, "info") is None
    assert backend.where(fit_id) == str(one_fit / "files")


def test_an_empty_directory_has_no_fits(tmp_path):
    agg = Aggregator.from_directory(tmp_path)
    assert len(agg) == 0 and list(agg) == [] and agg.ids == []
