"""Tests of the search driver's identity and output folder (autofit/searches/base.py)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.analysis import Analysis, Visualizer

FIXED_LENGTH = af.AutoCorrelationsSettings(check_for_convergence=False)
NWALKERS, NSTEPS = 20, 60


def emcee(**kwargs) -> af.Emcee:
    settings = {
        "nwalkers": NWALKERS,
        "nsteps": NSTEPS,
        "auto_correlation_settings": FIXED_LENGTH,
        "seed": 1,
        "silence": True,
    }
    return af.Emcee(**{**settings, **kwargs})


def summary_of(folder: Path) -> dict[str, str]:
    """``search.summary`` as ``{key: value}`` (keys may contain spaces)."""
    entries = {}
    for line in (folder / "search.summary").read_text().splitlines():
        key, _, value = line.rpartition("  ")
        entries[key.strip()] = value.strip()
    return entries


class RecordingVisualizer(Visualizer):
    """Records its calls and writes one file per call into ``paths.image_path``."""

    calls: list = []

    @staticmethod
    def visualize_before_fit(analysis, paths, model):
        RecordingVisualizer.calls.append("before")
        (paths.image_path / "data.txt").write_text("data")

    @staticmethod
    def visualize(analysis, paths, instance, during_analysis):
        RecordingVisualizer.calls.append(during_analysis)
        (paths.image_path / "fit.txt").write_text(repr(instance))


class VisualizedAnalysis(af.ex.Analysis):
    Visualizer = RecordingVisualizer


@pytest.fixture(scope="module")
def written(data, tmp_path_factory):
    """An Emcee fit with name, path_prefix and unique_tag, and its output folder."""
    import autofit.config

    output = tmp_path_factory.mktemp("written")
    af.conf.instance.push(new_path=Path(autofit.config.__file__).parent, output_path=output)
    try:
        RecordingVisualizer.calls = []
        model = af.Model(af.ex.Gaussian)
        search = emcee(
            name="fit", path_prefix="project/dataset", unique_tag="tag", iterations_per_update=20
        )
        result = search.fit(model=model, analysis=VisualizedAnalysis(*data))
        calls = list(RecordingVisualizer.calls)
    finally:
        af.conf.instance.reset()
    folder = output / "project" / "dataset" / "tag" / "fit" / search.identifier(model)
    return {
        "output": output,
        "folder": folder,
        "result": result,
        "search": search,
        "model": model,
        "visualizer_calls": calls,
    }


def test_output_folder_layout(written):
    folder = written["folder"]
    assert folder.is_dir()
    assert [path.name for path in (folder.parent).iterdir()] == [folder.name]
    for name in (
        "model.info",
        "model.results",
        "search.summary",
        "metadata",
        ".identifier",
        ".completed",
    ):
        assert (folder / name).is_file(), name
    for name in (
        "model.json",
        "search.json",
        "samples.csv",
        "samples_summary.json",
        "samples_info.json",
        "search_internal/emcee.npz",
    ):
        assert (folder / "files" / name).is_file(), name


def test_identifier_file_and_metadata(written):
    folder, identifier = written["folder"], written["folder"].name
    assert (folder / ".identifier").read_text().strip() == identifier
    metadata = dict(line.split("=", 1) for line in (folder / "metadata").read_text().splitlines())
    assert metadata["name"] == "fit"
    assert metadata["path_prefix"] == "project/dataset"
    assert metadata["unique_tag"] == "tag"
    assert metadata["identifier"] == identifier
    assert metadata["search"] == "Emcee"


def test_model_info_and_results(written):
    folder, result = written["folder"], written["result"]
    assert (folder / "model.info").read_text().strip() == written["model"].info.strip()
    results = (folder / "model.results").read_text()
    assert "Maximum Log Likelihood" in results
    assert f"{result.log_likelihood:.8g}" in results
    assert result.info.strip() == results.strip()


def test_search_summary_reports_calls_time_and_rejections(written):
    summary = summary_of(written["folder"])
    assert summary["Status"] == "completed"
    # 20 initial points, 20 evaluations of the starting ensemble, 60 steps of 20 walkers.
    assert int(summary["Total Likelihood Calls"]) == NWALKERS + NWALKERS + NSTEPS * NWALKERS
    assert int(summary["Rejected Points"]) == 0
    assert int(summary["Total Samples"]) == NSTEPS * NWALKERS
    elapsed = float(summary["Time Elapsed (s)"])
    per_call = float(summary["Time Per Likelihood Call (s)"])
    assert elapsed > 0
    assert per_call == pytest.approx(elapsed / int(summary["Total Likelihood Calls"]), rel=0.01)


def test_model_json_reloads(written):
    model = written["model"]
    loaded = af.Model.from_json(written["folder"] / "files" / "model.json")
    assert loaded.prior_count == model.prior_count
    assert loaded.joined_paths == model.joined_paths
    assert loaded.identifier == model.identifier
    instance = loaded.instance_from_vector([40.0, 2.0, 3.0])
    assert isinstance(instance, af.ex.Gaussian)
    assert (instance.centre, instance.normalization, instance.sigma) == (40.0, 2.0, 3.0)


def test_search_json(written):
    settings = json.loads((written["folder"] / "files" / "search.json").read_text())
    assert settings["type"] == "Emcee"
    assert settings["name"] == "fit"
    assert settings["unique_tag"] == "tag"
    assert settings["iterations_per_update"] == 20
    assert settings["seed"] == 1
    assert settings["settings"]["nwalkers"] == NWALKERS
    assert settings["settings"]["nsteps"] == NSTEPS


def test_samples_csv_parses_with_parameter_path_columns(written):
    path = written["folder"] / "files" / "samples.csv"
    header = path.read_text().splitlines()[0].split(",")
    assert header == [
        "centre",
        "normalization",
        "sigma",
        "log_likelihood",
        "log_prior",
        "log_posterior",
        "weight",
    ]
    table = np.loadtxt(path, delimiter=",", skiprows=1)
    samples = written["result"].samples
    np.testing.assert_array_equal(table[:, :3], samples.parameters)
    np.testing.assert_array_equal(table[:, 3], samples.log_likelihood)
    np.testing.assert_allclose(table[:, 5], table[:, 3] + table[:, 4], rtol=1e-12)
    assert table[:, 6].sum() == pytest.approx(1.0)


def test_samples_summary_and_info(written):
    files = written["folder"] / "files"
    samples = written["result"].samples
    summary = json.loads((files / "samples_summary.json").read_text())
    assert summary["max_log_likelihood"] == pytest.approx(written["result"].log_likelihood)
    np.testing.assert_allclose(summary["median_pdf_vector"], samples.median_pdf(as_instance=False))
    info = json.loads((files / "samples_info.json").read_text())
    assert info["total_steps"] == NSTEPS
    assert info["nwalkers"] == NWALKERS
    assert info["seed"] == 1


def test_emcee_checkpoint_holds_the_chain(written):
    with np.load(
        written["folder"] / "files" / "search_internal" / "emcee.npz", allow_pickle=False
    ) as checkpoint:
        chain = checkpoint["chain"]
        assert int(checkpoint["iteration"]) == NSTEPS
    assert chain.shape == (NSTEPS, NWALKERS, 3)
    np.testing.assert_array_equal(chain.reshape(-1, 3), written["result"].samples.parameters)


def test_visualizer_runs_before_at_every_update_and_at_the_end(written):
    # iterations_per_update=20 of 60 steps: updates after 20 and 40 steps; the state after the
    # last block is written once, as the final (during_analysis=False) update.
    assert written["visualizer_calls"] == ["before", True, True, False]
    image = written["folder"] / "image"
    assert (image / "data.txt").read_text() == "data"
    assert (image / "fit.txt").read_text() == repr(written["result"].instance)


def test_collection_paths_name_the_csv_columns(data, output_path):
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian))
    search = af.Drawer(total_draws=5, name="collection", seed=1, silence=True)
    search.fit(model=model, analysis=af.ex.Analysis(*data))
    (csv,) = output_path.glob("collection/*/files/samples.csv")
    header = csv.read_text().splitlines()[0].split(",")
    assert header[:3] == ["gaussian.centre", "gaussian.normalization", "gaussian.sigma"]
    assert np.loadtxt(csv, delimiter=",", skiprows=1).shape == (5, 7)


def test_nothing_written_without_name_or_path_prefix(model, analysis, output_path, tmp_path):
    result = emcee(nsteps=10, iterations_per_update=5).fit(model=model, analysis=analysis)
    assert result.samples.total_samples == 10 * NWALKERS
    assert not output_path.exists() or not any(output_path.iterdir())
    assert not any((tmp_path / "working").iterdir())


def test_path_prefix_alone_writes(model, analysis, output_path):
    search = af.Drawer(total_draws=3, path_prefix="only_prefix", seed=1, silence=True)
    search.fit(model=model, analysis=analysis)
    folder = output_path / "only_prefix" / search.identifier(model)
    assert (folder / ".completed").exists()


def test_explicit_paths_write_under_their_root(model, analysis, output_path, tmp_path):
    root = tmp_path / "elsewhere"
    paths = af.DirectoryPaths(name="explicit", output_root=root)
    search = af.Drawer(total_draws=3, paths=paths, seed=1, silence=True)
    search.fit(model=model, analysis=analysis)
    folder = root / "explicit" / search.identifier(model)
    assert (folder / ".completed").exists()
    assert (folder / "files" / "samples.csv").exists()
    assert not output_path.exists() or not any(output_path.iterdir())


def test_explicit_paths_reused_for_another_model_write_another_folder(analysis, tmp_path):
    paths = af.DirectoryPaths(name="reused", output_root=tmp_path / "root")
    search = af.Drawer(total_draws=5, paths=paths, seed=1, silence=True)
    search.fit(model=af.Model(af.ex.Gaussian), analysis=analysis)
    shifted = af.Model(af.ex.Gaussian)
    shifted.centre = af.UniformPrior(lower_limit=60.0, upper_limit=70.0)
    result = search.fit(model=shifted, analysis=analysis)
    centres = result.samples.parameters[:, 0]
    assert np.all((60.0 <= centres) & (centres <= 70.0))
    folders = {path.name for path in (tmp_path / "root" / "reused").iterdir()}
    assert folders == {search.identifier(af.Model(af.ex.Gaussian)), search.identifier(shifted)}


# -- identifier -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        {"name": "another"},
        {"path_prefix": "some/prefix"},
        {"number_of_cores": 2},
        {"iterations_per_update": 7},
        {"iterations_per_full_update": 9},
        {"silence": False},
    ],
)
def test_identifier_ignores_name_prefix_cores_and_cadence(model, other):
    changed = emcee(**{"name": "fit", **other})
    assert changed.identifier(model) == emcee(name="fit").identifier(model)


@pytest.mark.parametrize(
    "other",
    [
        {"nsteps": NSTEPS + 1},
        {"nwalkers": NWALKERS + 2},
        {"auto_correlation_settings": af.AutoCorrelationsSettings(check_size=50)},
        {"unique_tag": "dataset_2"},
        {"seed": 2},
        {"initializer": af.InitializerBall(0.4, 0.6)},
    ],
)
def test_identifier_changes_with_settings_tag_and_seed(model, other):
    assert emcee(**other).identifier(model) != emcee().identifier(model)


def test_identifier_changes_with_model_priors():
    model = af.Model(af.ex.Gaussian)
    narrower = af.Model(af.ex.Gaussian)
    narrower.centre = af.UniformPrior(lower_limit=0.0, upper_limit=90.0)
    gaussian_prior = af.Model(af.ex.Gaussian)
    gaussian_prior.centre = af.GaussianPrior(mean=50.0, sigma=10.0)
    identifiers = {emcee().identifier(m) for m in (model, narrower, gaussian_prior)}
    assert len(identifiers) == 3
    assert emcee().identifier(af.Model(af.ex.Gaussian)) == emcee().identifier(model)


def test_identifier_differs_between_search_types(model):
    assert af.LBFGS(seed=1).identifier(model) != af.BFGS(seed=1).identifier(model)


def test_fits_with_different_names_share_the_identifier_folder(model, analysis, output_path):
    first = af.Drawer(total_draws=3, name="first", seed=1, silence=True)
    second = af.Drawer(total_draws=3, name="second", seed=1, silence=True)
    first.fit(model=model, analysis=analysis)
    second.fit(model=model, analysis=analysis)
    (one,) = (output_path / "first").iterdir()
    (two,) = (output_path / "second").iterdir()
    assert one.name == two.name == first.identifier(model)


# -- keywords and validation ----------------------------------------------------------------------


def test_iterations_per_full_update_alias():
    assert af.Emcee(iterations_per_full_update=17).iterations_per_update == 17
    assert af.LBFGS(iterations_per_full_update=3).iterations_per_update == 3


def test_iterations_per_update_and_its_alias_together_raise():
    with pytest.raises(TypeError, match="iterations_per_update"):
        af.Emcee(iterations_per_update=5, iterations_per_full_update=6)


def test_default_update_cadence():
    assert af.Emcee().iterations_per_update == 500
    assert af.LBFGS().iterations_per_update == 100


@pytest.mark.parametrize("keywords", [{"number_of_cores": 0}, {"iterations_per_update": -1}])
def test_invalid_common_settings_raise(keywords):
    with pytest.raises(af.exc.SearchException):
        af.Emcee(**keywords)


def test_analysis_classes_are_public_names():
    # Users subclass af.Analysis and af.Visualizer (DESIGN.md section 3); both are in __all__.
    assert af.Analysis is Analysis
    assert af.Visualizer is Visualizer


SEARCHES = [
    lambda: af.Emcee(nwalkers=10, nsteps=10, name="bad"),
    lambda: af.DynestyStatic(nlive=10, name="bad"),
    lambda: af.LBFGS(name="bad"),
    lambda: af.BFGS(name="bad"),
    lambda: af.Drawer(total_draws=5, name="bad"),
]


@pytest.mark.parametrize("make", SEARCHES)
def test_a_model_without_free_parameters_is_refused_before_output(make, analysis, output_path):
    # Before, every search but Nautilus failed inside its sampler (LinAlgError, IndexError).
    model = af.Model(af.ex.Gaussian, centre=50.0, normalization=25.0, sigma=10.0)
    search = make()

    with pytest.raises(af.exc.ModelException, match=r"the model has no free parameters"):
        search.fit(model=model, analysis=analysis)
    assert not output_path.exists()


@pytest.mark.parametrize("make", SEARCHES)
def test_a_class_given_as_model_says_to_wrap_it(make, analysis, output_path):
    with pytest.raises(TypeError, match=r"got the class Gaussian: wrap it in af\.Model"):
        make().fit(model=af.ex.Gaussian, analysis=analysis)
    assert not output_path.exists()


def test_a_model_that_is_not_a_model_is_refused(analysis):
    with pytest.raises(TypeError, match=r"model must be an af\.Model.*got dict"):
        af.LBFGS().fit(model={"centre": 1.0}, analysis=analysis)


def test_an_analysis_class_says_to_create_an_instance(model, output_path):
    with pytest.raises(TypeError, match=r"analysis must be an instance, got the class Analysis"):
        af.LBFGS(name="bad").fit(model=model, analysis=af.ex.Analysis)
    assert not output_path.exists()


def test_a_likelihood_returning_none_names_the_analysis_class(model, data):
    class Forgetful(af.ex.Analysis):
        def log_likelihood_function(self, instance):
            super().log_likelihood_function(instance)

    with pytest.raises(
        af.exc.LikelihoodException, match=r"Forgetful\.log_likelihood_function must return"
    ):
        af.LBFGS(seed=1).fit(model=model, analysis=Forgetful(*data))


@pytest.mark.parametrize(
    ("search", "shown"),
    [
        (
            lambda: af.Emcee(nwalkers=4, nsteps=10, name="bad"),
            r"af\.Emcee needs at least twice as many walkers as the 3 free parameters: got "
            r"nwalkers=4; pass nwalkers=6 or more",
        ),
        (
            lambda: af.Zeus(nwalkers=5, nsteps=10, name="bad"),
            r"af\.Zeus needs an even number of walkers, at least twice the 3 free parameters",
        ),
    ],
)
def test_too_few_walkers_for_the_model_are_refused_before_output(
    search, shown, model, analysis, output_path
):
    # Before, emcee raised a RuntimeError from inside the sampler, after the output was written.
    with pytest.raises(af.exc.SearchException, match=shown):
        search().fit(model=model, analysis=analysis)
    assert not output_path.exists()
