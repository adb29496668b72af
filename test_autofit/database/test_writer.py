"""Writing fits: every row and file of a fit, and many processes writing into one database at once
(SQLite, and PostgreSQL when a server is available) without losing or failing anything."""

from __future__ import annotations

import json
import multiprocessing
import uuid
from pathlib import Path

from sqlalchemy import func, select

from autofit.database import open_database, write_fit
from autofit.database.schema import Component, Fit, FitFile, InfoItem, Parameter
from autofit.database.writer import fit_is_complete, read_file, write_files
from test_autofit.database import fits

#: Processes of the many-writers tests, and fits each writes.
WRITERS = 8
FITS_PER_WRITER = 10

CONTEXT = multiprocessing.get_context("fork")


def assert_no_errors(errors: list[str]) -> None:
    """The last lines of each error a writer process reported."""
    assert not errors, f"{len(errors)} processes failed; the first: ...{errors[0][-800:]}"


def stored_fits(session, prefix: str) -> dict[str, Fit]:
    rows = session.execute(select(Fit).where(Fit.identifier.like(f"{prefix}%"))).scalars()
    return {fit.identifier: fit for fit in rows}


def stored_files(session, identifier: str) -> dict[str, bytes]:
    rows = session.execute(
        select(FitFile.name, FitFile.content).where(
            FitFile.fit_id == fits.key_of(session, identifier)
        )
    )
    return {name: bytes(content) for name, content in rows}


def test_a_fit_is_stored_with_its_files_parameters_components_and_info(sqlite_path):
    session = open_database(sqlite_path)
    content = fits.make_content("f1", seed=3, unique_tag="tag", info={"dataset": "a", "n": 2})
    write_fit(session, content)
    fit = session.get(Fit, content.key)
    assert fit.identifier == "f1"
    summary = json.loads(content.files["samples_summary.json"])
    assert (fit.unique_tag, fit.search_class, fit.is_complete) == ("tag", "Drawer", True)
    assert fit.total_samples == 300
    assert fit.max_log_likelihood == summary["max_log_likelihood"]
    assert fit.log_evidence is None
    assert stored_files(session, "f1") == content.files
    parameters = session.execute(
        select(Parameter.path, Parameter.max_log_likelihood, Parameter.median)
        .where(Parameter.fit_id == content.key)
        .order_by(Parameter.path)
    ).all()
    expected = sorted(
        zip(
            summary["paths"],
            summary["max_log_likelihood_vector"],
            summary["median_pdf_vector"],
            strict=True,
        )
    )
    assert [tuple(row) for row in parameters] == expected
    components = session.execute(select(Component.path, Component.class_path)).all()
    assert [tuple(row) for row in components] == [("", "autofit.example.model.Gaussian")]
    info = dict(session.execute(select(InfoItem.key, InfoItem.value_json)).all())
    assert info == {"dataset": '"a"', "n": "2"}


def test_rewriting_a_fit_replaces_its_rows(sqlite_path):
    session = open_database(sqlite_path)
    write_fit(session, fits.make_content("f1", seed=1, count=100, complete=False, info={"a": 1}))
    key = fits.make_content("f1").key
    assert not fit_is_complete(session, key)
    final = fits.make_content("f1", seed=2, count=200, info={"b": 2})
    write_fit(session, final)
    assert fit_is_complete(session, key)
    assert session.execute(select(func.count()).select_from(Fit)).scalar() == 1
    assert session.execute(select(func.count()).select_from(Parameter)).scalar() == 3
    assert session.execute(select(InfoItem.key)).scalars().all() == ["b"]
    assert (
        read_file(session, fits.key_of(session, "f1"), "samples.csv") == final.files["samples.csv"]
    )


def test_write_files_adds_and_replaces_files(sqlite_path):
    session = open_database(sqlite_path)
    write_fit(session, fits.make_content("f1"))
    write_files(session, fits.key_of(session, "f1"), {"extra.json": b"[1]", "data.npy": b"new"})
    assert read_file(session, fits.key_of(session, "f1"), "extra.json") == b"[1]"
    assert read_file(session, fits.key_of(session, "f1"), "data.npy") == b"new"
    assert read_file(session, fits.key_of(session, "f1"), "missing.json") is None


def check_writers_results(url: str, prefix: str) -> None:
    """Every fit of every writer is stored complete, exactly as its final write."""
    session = open_database(url)
    try:
        stored = stored_fits(session, prefix)
        assert len(stored) == WRITERS * FITS_PER_WRITER
        for worker in range(WRITERS):
            identifiers = fits.writer_identifiers(prefix, worker, FITS_PER_WRITER)
            for index, identifier in enumerate(identifiers):
                expected = fits.make_content(
                    identifier,
                    seed=fits.seed_of(worker, index),
                    count=200,
                    unique_tag=f"worker_{worker}",
                    info={"worker": worker, "index": index},
                )
                fit = stored[identifier]
                assert fit.is_complete and fit.unique_tag == f"worker_{worker}"
                assert fit.total_samples == 200
                assert fit.max_log_likelihood == expected.max_log_likelihood
                assert stored_files(session, identifier) == expected.files
        parameters = session.execute(
            select(func.count())
            .select_from(Parameter)
            .join(Fit, Fit.id == Parameter.fit_id)
            .where(Fit.identifier.like(f"{prefix}%"))
        ).scalar()
        assert parameters == 3 * WRITERS * FITS_PER_WRITER
    finally:
        fits.close(session)


def test_many_processes_write_into_one_database(database_url):
    """8 processes, each with its own ``open_database`` on the same database, write 10 fits
    each (written when it starts and again when it completes) at the same time."""
    open_database(database_url).get_bind().dispose()  # the schema exists before they start
    prefix = f"m{uuid.uuid4().hex[:8]}"
    arguments = [(database_url, prefix, worker, FITS_PER_WRITER) for worker in range(WRITERS)]
    errors = fits.run_processes(CONTEXT, fits.write_fits_in_process, arguments)
    assert_no_errors(errors)
    check_writers_results(database_url, prefix)


def test_many_processes_open_a_new_database_at_once(database_url):
    """The first jobs of a study all create the schema of the same new database."""
    arguments = [(database_url, worker) for worker in range(WRITERS)]
    errors = fits.run_processes(CONTEXT, fits.open_in_process, arguments)
    assert_no_errors(errors)
    session = open_database(database_url)
    from autofit.database.schema import SCHEMA_VERSION, SchemaVersion

    assert session.execute(select(SchemaVersion.version)).scalars().all() == [SCHEMA_VERSION]
    fits.close(session)


def test_processes_writing_the_same_fits_do_not_fail(database_url):
    """Two jobs of the same fit (same identifier), or a job and a scrape, write the same rows."""
    open_database(database_url).get_bind().dispose()
    identifiers = [f"s{uuid.uuid4().hex[:8]}-{index}" for index in range(4)]
    arguments = [(database_url, identifiers, worker) for worker in range(4)]
    errors = fits.run_processes(CONTEXT, fits.write_same_fit_in_process, arguments)
    assert_no_errors(errors)
    session = open_database(database_url)
    for index, identifier in enumerate(identifiers):
        expected = fits.make_content(identifier, seed=index, count=100)
        assert stored_files(session, identifier) == expected.files
        assert fits.row(session, identifier).is_complete
    fits.close(session)


def test_real_fits_from_many_processes_are_all_stored(sqlite_path, output_path: Path):
    """4 processes each run 2 ``af.Drawer`` fits with ``session=`` into one SQLite file."""
    open_database(sqlite_path).get_bind().dispose()
    arguments = [(sqlite_path, str(output_path), worker, 2) for worker in range(4)]
    errors = fits.run_processes(CONTEXT, fits.run_fits_in_process, arguments, timeout=180)
    assert_no_errors(errors)
    session = open_database(sqlite_path)
    stored = {fit.unique_tag: fit for fit in session.execute(select(Fit)).scalars()}
    assert sorted(stored) == sorted(
        f"worker_{worker}_fit_{index}" for worker in range(4) for index in range(2)
    )
    for tag, fit in stored.items():
        folder = output_path / tag / "drawer" / fit.identifier
        assert fit.is_complete and (folder / ".completed").exists()
        assert fit.total_samples == 20
        for name in ("samples.csv", "samples_summary.json", "info.json", "model.json"):
            assert read_file(session, fit.id, name) == (folder / "files" / name).read_bytes()
    fits.close(session)


def test_database_paths_have_database_sub_analysis_paths(tmp_path):
    from autofit.database.paths import DatabasePaths, SubAnalysisDatabasePaths

    session = open_database(str(tmp_path / "results.sqlite"))
    parent = DatabasePaths(session, name="fit", output_root=tmp_path / "output")
    parent.identifier = "abc"
    child = parent.for_sub_analysis("analyses/analysis_0")
    assert isinstance(child, SubAnalysisDatabasePaths) and child.session is session
    assert child.output_path == tmp_path / "output" / "fit" / "abc" / "analyses" / "analysis_0"
    child.save_json("dataset", [1, 2])
    assert json.loads((child.output_path / "files" / "dataset.json").read_text()) == [1, 2]
