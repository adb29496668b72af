"""The Aggregator (autofit/aggregator/aggregator.py): listing, indexing, values and queries."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import autofit as af
from autofit.aggregator import Aggregator, FitView
from test_autofit.aggregator.study import COMPLETE, INTERRUPTED

#: Fits are listed by path prefix, unique tag, name and identifier: the "pilot" fits 7-9
#: first, then the "study" fits, the interrupted fit (no unique tag) first among those.
ORDER = [
    "fit_7",
    "fit_8",
    "fit_9",
    INTERRUPTED,
    "fit_0",
    "fit_1",
    "fit_2",
    "fit_3",
    "fit_4",
    "fit_5",
    "fit_6",
]


def test_length_iteration_and_ids_list_every_fit_in_order(aggregator, study):
    assert len(aggregator) == 11
    fits = list(aggregator)
    assert all(isinstance(fit, FitView) for fit in fits)
    assert [fit.name for fit in fits] == ORDER
    assert aggregator.ids == [study.ids[name] for name in ORDER]
    assert [fit.id for fit in fits] == aggregator.ids


def test_both_backends_list_the_same_fits_with_the_same_headers(study):
    def headers(agg):
        return [(f.id, f.name, f.path_prefix, f.unique_tag, f.is_complete) for f in agg]

    assert headers(study.database_aggregator()) == headers(study.directory_aggregator())


def test_indexing_and_slicing(aggregator):
    assert aggregator[0].name == "fit_7"
    assert aggregator[3].name == INTERRUPTED
    assert aggregator[-1].name == "fit_6"
    assert aggregator[-11].name == "fit_7"
    assert [fit.name for fit in aggregator[1:3]] == ["fit_8", "fit_9"]
    assert [fit.name for fit in aggregator[::5]] == ["fit_7", "fit_1", "fit_6"]
    for index in (11, -12):
        with pytest.raises(IndexError, match=f"Fit index {index} out of range"):
            aggregator[index]


def test_values_is_a_generator_yielding_in_order(aggregator):
    values = aggregator.values("info")
    assert inspect.isgenerator(values)
    infos = list(values)
    assert [info and info["index"] for info in infos] == [7, 8, 9, None, 0, 1, 2, 3, 4, 5, 6]


def test_values_computes_one_value_per_step(aggregator, monkeypatch):
    computed = []
    original = FitView.value

    def recording(fit, name):
        computed.append(fit.id)
        return original(fit, name)

    monkeypatch.setattr(FitView, "value", recording)
    values = aggregator.values("samples_summary")
    assert computed == []
    first = next(values)
    assert computed == aggregator.ids[:1]
    assert first.values["paths"] == ["profile.centre", "profile.normalization", "profile.sigma"]
    next(values)
    assert computed == aggregator.ids[:2]


def test_values_on_a_database_fetches_small_files_a_chunk_at_a_time(study, monkeypatch):
    from autofit.aggregator.backends import prefetch

    monkeypatch.setattr(prefetch, "CHUNK_SIZE", 4)
    agg = study.database_aggregator()
    backend = agg._backend
    requested = []
    original = backend.prefetched

    def recording(fit_ids, documents, files):
        requested.append((fit_ids, documents, files))
        return original(fit_ids, documents, files)

    monkeypatch.setattr(backend, "prefetched", recording)
    monkeypatch.setattr(backend, "read_file", None)  # every summary comes with its chunk
    values = agg.values("samples_summary")
    next(values)
    keys = [fit.key for fit in agg]
    assert requested == [(keys[:4], ("model",), ("samples_summary.json",))]
    summaries = [next(values) for _ in range(4)]
    assert [ids for ids, _, _ in requested] == [keys[:4], keys[4:8]]
    assert summaries[2] is None  # the interrupted fit (fourth in order) has no summary
    assert sum(1 for _ in values) == 6


@pytest.mark.parametrize(
    "name, check",
    [
        ("samples", lambda value: value.total_samples == 20),
        ("latent_samples", lambda value: value.model.joined_paths == ["centre_plus_one"]),
        ("model", lambda value: value.prior_count == 3),
        ("instance", lambda value: isinstance(value.profile, (af.ex.Gaussian, af.ex.Exponential))),
        ("search", lambda value: value["type"] == "Drawer"),
        ("samples_summary", lambda value: value.values["total_samples"] == 20),
        ("info", lambda value: value["parity"] in ("even", "odd")),
        ("settings", lambda value: value["label"] == f"dataset {value['index']}"),
        ("data", lambda value: isinstance(value, np.ndarray) and value.shape == (100,)),
    ],
)
def test_values_of_every_named_value_for_the_complete_fits(aggregator, name, check):
    complete = aggregator.query(aggregator.search.is_complete)
    values = list(complete.values(name))
    assert len(values) == 10
    assert all(check(value) for value in values)


def test_values_of_the_interrupted_fit_are_none_except_what_it_wrote_at_the_start(aggregator):
    interrupted = aggregator.query(aggregator.search.name == INTERRUPTED)
    assert len(interrupted) == 1
    for name in ("samples", "samples_summary", "instance", "info", "latent_samples", "settings"):
        assert next(interrupted.values(name)) is None
    assert next(interrupted.values("search"))["name"] == INTERRUPTED
    assert next(interrupted.values("model")).cls is af.ex.Gaussian
    assert next(interrupted.values("data")).shape == (100,)


def test_completed_only_leaves_out_unfinished_fits(study):
    for agg in (
        study.database_aggregator(completed_only=True),
        study.directory_aggregator(completed_only=True),
    ):
        assert len(agg) == 10
        assert {fit.name for fit in agg} == set(COMPLETE)
        assert all(fit.is_complete for fit in agg)
        assert len(agg.query(agg.search.name == INTERRUPTED)) == 0


def test_query_returns_an_aggregator_and_queries_chain(aggregator):
    gaussians = aggregator.query(aggregator.model.profile == af.ex.Gaussian)
    assert isinstance(gaussians, Aggregator)
    chained = gaussians.query(gaussians.model.profile.centre > 55.0).query(
        aggregator.search.path_prefix == "pilot"
    )
    combined = aggregator.query(
        (aggregator.model.profile == af.ex.Gaussian)
        & (aggregator.model.profile.centre > 55.0)
        & (aggregator.search.path_prefix == "pilot")
    )
    assert [fit.name for fit in chained] == ["fit_7", "fit_9"]
    assert chained.ids == combined.ids
    assert len(aggregator) == 11  # the original is unchanged


def test_query_refuses_what_is_not_a_query(aggregator):
    with pytest.raises(TypeError, match="agg.query takes a query"):
        aggregator.query(True)
    with pytest.raises(TypeError, match="agg.query takes a query"):
        aggregator.query("name == 'fit_1'")


def test_a_database_aggregator_sees_fits_written_after_it_was_made(tmp_path, study):
    from autofit.database.content import content_from_folder
    from autofit.database.session import open_database
    from autofit.database.writer import write_fit

    session = open_database(tmp_path / "growing.sqlite")
    agg = Aggregator.from_database(session)
    assert len(agg) == 0 and list(agg.values("samples")) == []
    folder = next(study.output.rglob(".identifier")).parent
    content = content_from_folder(folder)
    write_fit(session, content)
    assert len(agg) == 1
    assert (agg[0].id, agg[0].key) == (content.identifier, content.key)
    session.close()


def test_repr_names_the_count_and_the_store(study):
    assert repr(study.database_aggregator()).startswith("<Aggregator of 11 fits (SQLBackend(")
    assert (
        repr(study.directory_aggregator()) == "<Aggregator of 11 fits (DirectoryBackend(11 fits))>"
    )


def test_from_directory_of_a_missing_folder_is_empty_with_one_warning(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.warns(af.exc.MissingFolderWarning) as caught:
        aggregator = Aggregator.from_directory("absent/output")
    assert len(caught) == 1
    assert f"The folder {tmp_path / 'absent' / 'output'} does not exist" in str(caught[0].message)
    assert len(aggregator) == 0 and list(aggregator) == []
    assert len(aggregator.query(aggregator.search.is_complete)) == 0


def test_from_directory_of_a_file_raises(tmp_path):
    (tmp_path / "file.txt").write_text("not fits")
    with pytest.raises(NotADirectoryError, match="file.txt is a file, not a directory of fits"):
        Aggregator.from_directory(tmp_path / "file.txt")


def test_from_database_takes_pyautofit_s_filename_keyword(study):
    by_keyword = Aggregator.from_database(filename=study.database, completed_only=True)
    assert len(by_keyword) == len(study.database_aggregator(completed_only=True)) == 10


def test_from_database_needs_exactly_one_database(tmp_path):
    with pytest.raises(TypeError, match="give a SQLite file, a URL or a session"):
        Aggregator.from_database()
    with pytest.raises(TypeError, match="not both"):
        Aggregator.from_database(str(tmp_path / "a.sqlite"), filename=str(tmp_path / "b.sqlite"))


def test_add_directory_needs_a_database(study):
    with pytest.raises(
        TypeError, match="add_directory needs an Aggregator made with from_database"
    ):
        study.directory_aggregator().add_directory(study.output)


def test_reading_everything_never_unpickles(study, monkeypatch):
    import pickle

    import dill

    def refuse(*args, **kwargs):
        raise AssertionError("unpickled while reading the aggregator")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(dill, "loads", refuse)
    monkeypatch.setattr(dill, "load", refuse)
    monkeypatch.setattr(np.lib.format, "read_array", _no_pickle(np.lib.format.read_array))
    for agg in (study.database_aggregator(), study.directory_aggregator()):
        agg = agg.query(
            (agg.search.is_complete | ~agg.search.is_complete)
            & ~(agg.model.profile.centre > 1e9)
            & ~(agg.info["parity"] == "none")
        )
        for fit in agg:
            for name in (
                "samples",
                "latent_samples",
                "model",
                "instance",
                "search",
                "samples_summary",
                "info",
            ):
                fit.value(name)
            for file in fit.file_names:
                assert fit.value(file) is not None


def _no_pickle(read_array):
    def read(*args, **kwargs):
        assert kwargs.get("allow_pickle") is False
        return read_array(*args, **kwargs)

    return read


def test_add_directory_scrapes_output_folders_into_the_database(study, tmp_path):
    agg = Aggregator.from_database(tmp_path / "scraped.sqlite")
    report = agg.add_directory(study.output)
    assert sorted(report.added) == sorted(study.ids.values())
    assert agg.ids == study.database_aggregator().ids
    assert len(agg.query(agg.model.profile.centre > 55.0)) == 4
    again = agg.add_directory(study.output)
    assert (again.added, sorted(again.unchanged)) == ([], sorted(study.ids.values()))
    assert len(agg) == 11
