"""Scraping output folders into a database: every fit once, progressed fits updated, unchanged
fits skipped, and truncated or half-written folders reported without stopping the scrape."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import uuid
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

import autofit as af
from autofit.database import content_from_folder, open_database
from autofit.database.schema import Component, Fit, FitFile, InfoItem, Parameter
from autofit.database.scrape import ScrapeReport, SkippedFolder, add_directory, fit_folders
from autofit.database.writer import read_file
from test_autofit.database import fits

TABLES = (Fit, FitFile, Parameter, Component, InfoItem)


@pytest.fixture
def session(sqlite_path):
    session = open_database(sqlite_path)
    yield session
    fits.close(session)


def row_counts(session) -> dict[str, int]:
    return {
        table.__tablename__: session.execute(select(func.count()).select_from(table)).scalar()
        for table in TABLES
    }


def stored_files(session, identifier: str) -> dict[str, bytes]:
    rows = session.execute(
        select(FitFile.name, FitFile.content).where(
            FitFile.fit_id == fits.key_of(session, identifier)
        )
    )
    return {name: bytes(content) for name, content in rows}


def write_study(root: Path, prefix: str = "f", count: int = 3) -> list[fits.FitContent]:
    contents = [
        fits.make_content(
            f"{prefix}{index}",
            seed=index,
            path_prefix="study",
            unique_tag=f"dataset_{index}",
            info={"index": index},
        )
        for index in range(count)
    ]
    for content in contents:
        fits.write_folder(root, content)
    return contents


def test_real_fits_are_scraped_as_their_folders_hold_them(session, output_path):
    data, noise_map = af.ex.simulate_data(noise=0.1)
    for tag in ("a", "b"):
        af.Drawer(name="drawer", path_prefix="study", unique_tag=tag, total_draws=20).fit(
            model=af.Model(af.ex.Gaussian),
            analysis=af.ex.Analysis(data, noise_map),
            info={"tag": tag},
        )
    report = add_directory(session, output_path)
    folders = sorted(fit_folders(output_path))
    assert len(folders) == 2
    assert sorted(report.added) == sorted(
        (folder / ".identifier").read_text().strip() for folder in folders
    )
    for folder in folders:
        content = content_from_folder(folder)
        fit = session.get(Fit, content.key)
        assert (fit.name, fit.path_prefix, fit.unique_tag) == (
            "drawer",
            "study",
            content.unique_tag,
        )
        assert fit.is_complete and fit.total_samples == 20
        assert fit.max_log_likelihood == content.max_log_likelihood
        assert json.loads(fit.info_json) == {"tag": content.unique_tag}
        assert stored_files(session, content.identifier) == content.files
        assert "search_internal/driver.json" not in content.files


def test_scraping_twice_adds_nothing(database_url, tmp_path):
    session = open_database(database_url)
    prefix = f"t{uuid.uuid4().hex[:8]}-"
    contents = write_study(tmp_path / "output", prefix)
    first = add_directory(session, tmp_path / "output")
    assert sorted(first.added) == sorted(content.identifier for content in contents)
    assert (first.updated, first.unchanged, first.skipped) == ([], [], [])
    counts = row_counts(session)
    updated_at = dict(session.execute(select(Fit.id, Fit.updated_at)).all())
    second = add_directory(session, tmp_path / "output")
    assert (second.added, second.updated, second.skipped) == ([], [], [])
    assert sorted(second.unchanged) == sorted(first.added)
    assert row_counts(session) == counts
    assert dict(session.execute(select(Fit.id, Fit.updated_at)).all()) == updated_at
    fits.close(session)


def test_a_progressed_fit_is_updated(session, tmp_path):
    root = tmp_path / "output"
    started = fits.make_content("f1", seed=1, count=100, complete=False, info={"stage": 1})
    fits.write_folder(root, started)
    fits.write_folder(root, fits.make_content("f2", seed=2))
    assert sorted(add_directory(session, root).added) == ["f1", "f2"]
    assert fits.row(session, "f1").total_samples == 100
    finished = fits.make_content("f1", seed=1, count=250, complete=True, info={"stage": 2})
    fits.write_folder(root, finished)
    report = add_directory(session, root)
    assert (report.added, report.updated, report.unchanged) == ([], ["f1"], ["f2"])
    session.expire_all()
    fit = fits.row(session, "f1")
    assert fit.is_complete and fit.total_samples == 250
    assert fit.max_log_likelihood == finished.max_log_likelihood
    assert json.loads(fit.info_json) == {"stage": 2}
    assert stored_files(session, "f1") == finished.files
    best = dict(
        session.execute(
            select(Parameter.path, Parameter.max_log_likelihood).where(
                Parameter.fit_id == fits.key_of(session, "f1")
            )
        ).all()
    )
    summary = json.loads(finished.files["samples_summary.json"])
    assert best == dict(zip(summary["paths"], summary["max_log_likelihood_vector"], strict=True))
    assert row_counts(session)["parameter"] == 6


def test_a_fit_that_just_started_is_scraped_without_samples(session, tmp_path):
    fits.write_folder(tmp_path, fits.make_content("f1", count=0, complete=False))
    assert add_directory(session, tmp_path).added == ["f1"]
    fit = fits.row(session, "f1")
    assert (fit.is_complete, fit.total_samples, fit.max_log_likelihood) == (False, 0, None)
    assert row_counts(session)["parameter"] == 0


def test_a_file_rewritten_with_the_same_size_is_noticed(session, tmp_path):
    content = fits.make_content("f1", info={"label": "aaaa"})
    folder = fits.write_folder(tmp_path, content)
    add_directory(session, tmp_path)
    info = folder / "files" / "info.json"
    info.write_text(info.read_text().replace("aaaa", "bbbb"))
    later = fits.row(session, "f1").updated_at + 10.0
    os.utime(info, (later, later))
    assert add_directory(session, tmp_path).updated == ["f1"]
    assert read_file(session, fits.key_of(session, "f1"), "info.json") == info.read_bytes()


def test_a_fit_written_during_its_search_is_not_rewritten(sqlite_path, output_path):
    session = open_database(sqlite_path)
    af.Drawer(name="drawer", total_draws=20, session=session).fit(
        model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(*af.ex.simulate_data(noise=0.1))
    )
    (identifier,) = session.execute(select(Fit.identifier)).scalars()
    updated_at = fits.row(session, identifier).updated_at
    report = add_directory(session, output_path)
    assert (report.added, report.updated, report.unchanged) == ([], [], [identifier])
    session.expire_all()
    assert fits.row(session, identifier).updated_at == updated_at
    fits.close(session)


def test_force_rewrites_unchanged_fits(session, tmp_path):
    write_study(tmp_path, count=2)
    add_directory(session, tmp_path)
    report = add_directory(session, tmp_path, force=True)
    assert sorted(report.updated) == ["f0", "f1"]
    assert row_counts(session)["fit"] == 2


def truncate(path: Path, keep: float = 0.5) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


DAMAGES = {
    "missing model.json": lambda folder: (folder / "files" / "model.json").unlink(),
    "missing search.json": lambda folder: (folder / "files" / "search.json").unlink(),
    "truncated model.json": lambda folder: truncate(folder / "files" / "model.json"),
    "empty .identifier": lambda folder: (folder / ".identifier").write_text(""),
    "truncated samples_summary.json": lambda folder: truncate(
        folder / "files" / "samples_summary.json"
    ),
    "summary without vectors": lambda folder: (
        folder / "files" / "samples_summary.json"
    ).write_text(
        json.dumps({"paths": ["centre"], "total_samples": 3, "max_log_likelihood_vector": []})
    ),
    "truncated samples.csv": lambda folder: truncate(folder / "files" / "samples.csv", 0.503),
    "truncated data.npy": lambda folder: truncate(folder / "files" / "data.npy", 0.9),
    "truncated info.json": lambda folder: truncate(folder / "files" / "info.json"),
    "files folder missing": lambda folder: shutil.rmtree(folder / "files"),
}


@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_folder_is_reported_and_skipped(session, tmp_path, caplog, damage):
    contents = write_study(tmp_path, count=3)
    damaged = fits.fit_folder(tmp_path, contents[1])
    DAMAGES[damage](damaged)
    with caplog.at_level(logging.WARNING, logger="autofit.database.scrape"):
        report = add_directory(session, tmp_path)
    assert sorted(report.added) == ["f0", "f2"]
    assert [item.folder for item in report.skipped] == [damaged]
    assert fits.row(session, "f1") is None
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1 and str(damaged) in warnings[0].getMessage()
    assert str(damaged) in str(report)


@pytest.mark.parametrize(
    "name, keep, reason",
    [
        ("samples.csv", 0.503, "samples.csv is truncated"),
        ("data.npy", 0.9, "data.npy is truncated"),
        ("model.json", 0.5, "model.json"),
        ("samples_summary.json", 0.5, "samples_summary.json"),
        ("info.json", 0.5, "info.json (truncated or half-written?)"),
    ],
)
def test_the_reason_names_the_damaged_file(session, tmp_path, name, keep, reason):
    folder = fits.write_folder(tmp_path, fits.make_content("f1", info={"a": 1}))
    truncate(folder / "files" / name, keep)
    (skipped,) = add_directory(session, tmp_path).skipped
    assert reason in skipped.reason


def test_a_damaged_fit_already_in_the_database_keeps_its_stored_copy(session, tmp_path):
    content = fits.make_content("f1", count=100, complete=False)
    folder = fits.write_folder(tmp_path, content)
    add_directory(session, tmp_path)
    fits.write_folder(tmp_path, fits.make_content("f1", count=200))
    truncate(folder / "files" / "samples.csv", 0.503)
    report = add_directory(session, tmp_path)
    assert [item.folder for item in report.skipped] == [folder]
    assert stored_files(session, "f1") == content.files


def test_a_copy_of_a_fit_in_another_folder_is_stored_once_and_reported(session, tmp_path):
    content = fits.make_content("f1", name="first")
    first = fits.write_folder(tmp_path / "output", content)
    copy = fits.write_folder(tmp_path / "output_copy", content)
    report = add_directory(session, tmp_path)
    assert report.added == ["f1"]
    ((folder, reason),) = report.skipped
    assert folder == copy and str(first) in reason
    assert fits.row(session, "f1").name == "first"


def test_fits_differing_only_in_name_or_path_prefix_are_all_stored(session, tmp_path):
    """They share an identifier (model and search) but are different fits: before, the second
    and third folders were skipped as copies of the first."""
    variants = [("first", "study"), ("second", "study"), ("first", "other_study")]
    for seed, (name, path_prefix) in enumerate(variants):
        content = fits.make_content("f1", seed=seed, name=name, path_prefix=path_prefix)
        fits.write_folder(tmp_path, content)
    report = add_directory(session, tmp_path)
    assert report.added == ["f1"] * 3 and report.skipped == []
    rows = session.execute(select(Fit.name, Fit.path_prefix, Fit.identifier, Fit.id)).all()
    assert sorted(row[:2] for row in rows) == sorted(variants)
    assert {row.identifier for row in rows} == {"f1"} and len({row.id for row in rows}) == 3
    for seed, (name, path_prefix) in enumerate(variants):
        key = fits.make_content("f1", name=name, path_prefix=path_prefix).key
        data = read_file(session, key, "data.npy")
        np.testing.assert_array_equal(np.load(io.BytesIO(data)), np.arange(seed, seed + 10.0))
    again = add_directory(session, tmp_path)
    assert again.unchanged == ["f1"] * 3 and again.added == again.updated == []


@pytest.mark.parametrize("batch_size, batch_bytes", [(2, 10**9), (50, 1), (1, 1)])
def test_fits_are_written_in_batches(session, tmp_path, batch_size, batch_bytes):
    contents = write_study(tmp_path, count=5)
    report = add_directory(session, tmp_path, batch_size=batch_size, batch_bytes=batch_bytes)
    assert sorted(report.added) == [f"f{index}" for index in range(5)]
    for content in contents:
        assert stored_files(session, content.identifier) == content.files
    assert row_counts(session) == {
        "fit": 5,
        "fit_file": 5 * len(contents[0].files),
        "parameter": 15,
        "component": 5,
        "info_item": 5,
    }


def test_an_engine_can_be_given_instead_of_a_session(session, tmp_path):
    write_study(tmp_path, count=2)
    assert sorted(add_directory(session.get_bind(), tmp_path).added) == ["f0", "f1"]


def test_a_missing_directory_adds_nothing_with_one_warning(session, tmp_path):
    with pytest.warns(af.exc.MissingFolderWarning) as caught:
        report = add_directory(session, tmp_path / "nowhere")
    assert len(caught) == 1
    assert f"The folder {tmp_path / 'nowhere'} does not exist" in str(caught[0].message)
    assert report.folders == 0 and report.added == []
    assert str(report).startswith("0 fit folders under")


def test_a_file_instead_of_a_directory_is_an_error(session, tmp_path):
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(NotADirectoryError, match="notes.txt is a file"):
        add_directory(session, tmp_path / "notes.txt")


def test_fit_folders_finds_nested_fits_but_not_inside_files_or_image(tmp_path):
    outer = fits.write_folder(tmp_path, fits.make_content("outer", name="grid"))
    inner = fits.write_folder(outer / "cells", fits.make_content("inner", name="cell"))
    for hidden in ("files", "image"):
        fits.write_folder(outer / hidden, fits.make_content(f"in_{hidden}", name="x"))
    assert list(fit_folders(tmp_path)) == [outer, inner]


def test_the_report_counts_and_prints_what_happened(tmp_path):
    report = ScrapeReport(tmp_path, added=["a", "b"], updated=["c"], unchanged=["d"])
    report.skipped.append(SkippedFolder(tmp_path / "broken", "files/model.json is missing"))
    assert report.folders == 5
    text = str(report)
    assert text.startswith(
        f"5 fit folders under {tmp_path}: 2 added, 1 updated, 1 unchanged, 1 skipped"
    )
    assert f"skipped {tmp_path / 'broken'}: files/model.json is missing" in text


def test_arrays_and_nested_files_are_stored(session, tmp_path):
    content = fits.make_content("f1")
    content.files["latent/samples.csv"] = content.files["samples.csv"]
    content.files["image_model.npy"] = fits.npy_bytes(np.ones((4, 4)))
    folder = fits.write_folder(tmp_path, content)
    (folder / "files" / "search_internal").mkdir()
    (folder / "files" / "search_internal" / "state.json").write_text("{}")
    add_directory(session, tmp_path)
    assert stored_files(session, "f1") == content.files


@pytest.mark.parametrize(
    "count, complete",
    [(100, False), (100, True), (250, False)],
    ids=["fewer-samples-incomplete", "fewer-samples-complete", "same-samples-incomplete"],
)
def test_an_older_copy_never_downgrades_the_stored_fit(session, tmp_path, count, complete):
    """A backup of a fit taken while it ran, scraped after the fit completed, leaves the
    database's complete entry as it is."""
    finished = fits.make_content("f1", seed=1, count=250, complete=True, info={"stage": 2})
    fits.write_folder(tmp_path / "run", finished)
    assert add_directory(session, tmp_path / "run").added == ["f1"]
    backup = fits.make_content("f1", seed=1, count=count, complete=complete, info={"stage": 1})
    fits.write_folder(tmp_path / "backup", backup)
    report = add_directory(session, tmp_path / "backup")
    assert (report.added, report.updated, report.older) == ([], [], ["f1"])
    assert "1 older copy ignored" in str(report)
    session.expire_all()
    fit = fits.row(session, "f1")
    assert fit.is_complete and fit.total_samples == 250
    assert json.loads(fit.info_json) == {"stage": 2}
    assert stored_files(session, "f1") == finished.files
    # force=True rewrites it all the same.
    assert add_directory(session, tmp_path / "backup", force=True).updated == ["f1"]


def test_a_copy_that_progressed_further_updates_the_stored_fit(session, tmp_path):
    fits.write_folder(tmp_path / "a", fits.make_content("f1", seed=1, count=100, complete=True))
    add_directory(session, tmp_path / "a")
    longer = fits.make_content("f1", seed=1, count=300, complete=True)
    fits.write_folder(tmp_path / "b", longer)
    report = add_directory(session, tmp_path / "b")
    assert (report.updated, report.older) == (["f1"], [])
    session.expire_all()
    assert fits.row(session, "f1").total_samples == 300


def test_the_write_ahead_log_is_truncated_while_scraping(sqlite_path, tmp_path, monkeypatch):
    from autofit.database import scrape

    root = tmp_path / "output"
    for index in range(60):
        fits.write_folder(root, fits.make_content(f"f{index}", seed=index, count=2000))
    session = open_database(sqlite_path)
    wal = Path(sqlite_path + "-wal")
    sizes = []
    write = scrape._write

    def recording(connection, batch):
        write(connection, batch)
        sizes.append(wal.stat().st_size if wal.exists() else 0)

    monkeypatch.setattr(scrape, "_write", recording)
    monkeypatch.setattr(scrape, "_WAL_CHECKPOINT_FITS", 10)
    assert len(add_directory(session, root, batch_size=5).added) == 60
    database_size = Path(sqlite_path).stat().st_size
    assert len(sizes) == 12
    assert max(sizes) < database_size / 2, (max(sizes), database_size)
    assert (wal.stat().st_size if wal.exists() else 0) == 0
    assert len(af.Aggregator.from_database(sqlite_path)) == 60
    fits.close(session)
