"""The database backend (autofit/aggregator/backends/sql.py): reads as short SQL statements."""

from __future__ import annotations

import pytest

from autofit.aggregator import Aggregator
from autofit.aggregator.backends.sql import SQLBackend
from autofit.database.session import open_database


def test_opens_a_file_path_a_url_or_a_session(study):
    expected = study.database_aggregator().ids
    assert Aggregator.from_database(str(study.database)).ids == expected
    assert Aggregator.from_database(f"sqlite:///{study.database}").ids == expected
    session = open_database(study.database)
    assert Aggregator.from_database(session).ids == expected
    session.close()


def test_reads_the_stored_bytes_of_files(study):
    backend = SQLBackend.open(study.database)
    identifier = study.ids["fit_1"]
    (fit_id,) = [header.key for header in backend.headers() if header.id == identifier]
    folder = next(
        path.parent
        for path in study.output.rglob(".identifier")
        if path.read_text().strip() == identifier
    )
    for name in ("samples.csv", "data.npy", "latent/samples.csv"):
        assert backend.read_file(fit_id, name) == (folder / "files" / name).read_bytes()
    assert backend.read_file(fit_id, "absent.json") is None
    assert backend.read_file("no such fit", "samples.csv") is None
    assert backend.document(fit_id, "search") is not None
    assert backend.document("no such fit", "search") is None


def test_count_and_header_at_follow_the_query(study):
    backend = SQLBackend.open(study.database)
    agg = Aggregator(backend)
    pilot = backend.filtered(agg.search.path_prefix == "pilot")
    assert pilot.count() == 3
    assert [pilot.header_at(index).name for index in (0, 1, 2, -1, -3)] == [
        "fit_7",
        "fit_8",
        "fit_9",
        "fit_9",
        "fit_7",
    ]
    for index in (3, -4):
        with pytest.raises(IndexError):
            pilot.header_at(index)


def test_filtering_combines_with_the_earlier_query(study):
    backend = SQLBackend.open(study.database)
    agg = Aggregator(backend)
    both = backend.filtered(agg.search.path_prefix == "pilot").filtered(agg.search.name != "fit_8")
    assert [header.name for header in both.headers()] == ["fit_7", "fit_9"]
    assert backend.predicate is None  # the original backend is unchanged
