"""FitView (autofit/aggregator/fit_view.py): each value of a stored fit, loaded on first use."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest

import autofit as af
from autofit.aggregator.fit_view import decode_file
from test_autofit.aggregator.study import INTERRUPTED, study_info


def fit_named(aggregator, name):
    (fit,) = list(aggregator.query(aggregator.search.name == name))
    return fit


def folder_of(study, fit):
    (folder,) = [
        path.parent
        for path in study.output.rglob(".identifier")
        if path.read_text().strip() == fit.id
    ]
    return folder


def test_header_values(aggregator, study):
    fit = fit_named(aggregator, "fit_8")
    assert (fit.id, fit.name, fit.path_prefix, fit.unique_tag, fit.is_complete) == (
        study.ids["fit_8"],
        "fit_8",
        "pilot",
        "dataset_4",
        True,
    )
    interrupted = fit_named(aggregator, INTERRUPTED)
    assert (interrupted.unique_tag, interrupted.is_complete) == ("", False)


def test_samples_are_the_rows_of_the_samples_csv(aggregator, study):
    fit = fit_named(aggregator, "fit_4")
    table = np.loadtxt(folder_of(study, fit) / "files" / "samples.csv", delimiter=",", skiprows=1)
    samples = fit.samples
    assert samples.total_samples == 20
    np.testing.assert_array_equal(samples.parameters, table[:, :3])
    np.testing.assert_array_equal(samples.log_likelihood, table[:, 3])
    assert np.all((samples.parameters[:, 0] >= 40.0) & (samples.parameters[:, 0] <= 41.0))


def test_samples_come_from_the_binary_copy_of_the_csv(aggregator, study):
    # Every fit stores samples.npy beside samples.csv; both hold the same table, and a fit whose
    # binary copy is missing (written before it existed) reads the same samples from the CSV.
    fit = fit_named(aggregator, "fit_4")
    assert {"samples.csv", "samples.npy"} <= set(fit.file_names)
    table = fit.value("samples.npy")
    csv = np.loadtxt(io.StringIO(fit.value("samples.csv")), delimiter=",", skiprows=1)
    np.testing.assert_array_equal(table, csv)
    np.testing.assert_array_equal(fit.samples.parameters, table[:, :3])
    np.testing.assert_array_equal(fit.samples.weights, table[:, 6])


def test_instance_is_the_maximum_likelihood_sample(aggregator):
    fit = fit_named(aggregator, "fit_5")
    samples = fit.samples
    best = samples.parameters[np.argmax(samples.log_likelihood)]
    instance = fit.instance
    assert isinstance(instance.profile, af.ex.Exponential)
    assert [instance.profile.centre, instance.profile.normalization, instance.profile.rate] == (
        best.tolist()
    )
    summary = fit.samples_summary
    assert summary.max_log_likelihood_value == pytest.approx(samples.log_likelihood.max(), abs=0)
    assert summary.values["paths"] == ["profile.centre", "profile.normalization", "profile.rate"]


def test_model_search_and_info_are_rebuilt_from_json(aggregator):
    fit = fit_named(aggregator, "fit_3")
    model = fit.model
    assert model.profile.cls is af.ex.Gaussian
    assert (model.profile.centre.lower_limit, model.profile.centre.upper_limit) == (30.0, 31.0)
    assert fit.model is model  # loaded once
    assert fit.search["type"] == "Drawer"
    assert fit.search["seed"] == 3
    assert fit.search["settings"] == {"total_draws": 20}
    assert fit.info == study_info(3)


def test_latent_samples_are_the_centres_plus_one(aggregator):
    fit = fit_named(aggregator, "fit_6")
    latent = fit.latent_samples
    assert latent.model.joined_paths == ["centre_plus_one"]
    centres = fit.samples.parameters[:, 0]
    for value in latent.parameters[:, 0]:
        assert np.min(np.abs(centres + 1.0 - value)) < 1e-12
    assert 61.0 <= value <= 62.0


def test_value_reads_files_saved_by_the_analysis(aggregator):
    fit = fit_named(aggregator, "fit_2")
    data, noise_map = af.ex.simulate_data(noise=0.1)
    np.testing.assert_array_equal(fit.value("data"), data)
    np.testing.assert_array_equal(fit.value("noise_map.npy"), noise_map)
    assert fit.value("settings") == {"index": 2, "label": "dataset 2"}
    assert fit.value("settings.json") == {"index": 2, "label": "dataset 2"}
    assert fit.value("samples.csv").startswith(
        "profile.centre,profile.normalization,profile.rate,log_likelihood"
    )
    assert fit.value("latent/samples_info.json")["latent_keys"] == ["centre_plus_one"]
    assert fit.value("absent") is None
    assert fit.value("absent.npy") is None


def test_value_of_named_values_is_the_attribute(aggregator):
    fit = fit_named(aggregator, "fit_1")
    assert fit.value("info") == fit.info
    assert fit.value("search") == fit.search
    assert fit.value("instance").profile.centre == fit.instance.profile.centre
    assert fit.value("model") is fit.model
    assert fit.value("samples") is fit.samples


def test_file_names_are_the_same_on_both_backends(study):
    database, directory = study.database_aggregator(), study.directory_aggregator()
    for left, right in zip(database, directory, strict=True):
        assert left.file_names == right.file_names
    names = fit_named(database, "fit_0").file_names
    assert {
        "data.npy",
        "info.json",
        "latent/samples.csv",
        "model.json",
        "samples.csv",
        "samples_summary.json",
        "search.json",
        "settings.json",
    } <= set(names)
    assert not any(name.startswith("search_internal") for name in names)


def test_an_unfinished_fit_without_samples_gives_none(aggregator):
    fit = fit_named(aggregator, INTERRUPTED)
    assert fit.samples is None
    assert fit.samples_summary is None
    assert fit.instance is None
    assert fit.latent_samples is None
    assert fit.info is None
    assert fit.model.cls is af.ex.Gaussian


def test_repr(aggregator, study):
    fit = fit_named(aggregator, "fit_8")
    assert repr(fit) == f"FitView('pilot/dataset_4/fit_8', id={study.ids['fit_8']!r}, complete)"


def test_decode_file_by_suffix():
    buffer = io.BytesIO()
    np.save(buffer, np.arange(3.0))
    np.testing.assert_array_equal(decode_file("a.npy", buffer.getvalue()), [0.0, 1.0, 2.0])
    assert decode_file("a.json", json.dumps({"x": [1, 2]}).encode()) == {"x": [1, 2]}
    assert decode_file("a.csv", b"x,y\n1,2\n") == "x,y\n1,2\n"


def test_decode_file_refuses_pickled_arrays():
    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError, match="allow_pickle=False"):
        decode_file("objects.npy", buffer.getvalue())
