import json

import numpy as np
import pytest

import autofit as af
from autofit.searches.driver import FitRun

from .conftest import cell_folders


class BreaksAboveCentre(af.ex.Analysis):
    """Fails (an ordinary exception, not a rejection) for centres above ``limit``."""

    limit = 50.0

    def log_likelihood_function(self, instance):
        if instance.centre > self.limit:
            raise RuntimeError("the cluster job was cancelled")
        return super().log_likelihood_function(instance)


@pytest.fixture
def fits(monkeypatch):
    """The cells actually sampled (not loaded from a finished folder), in order."""
    sampled = []
    run = FitRun._run

    def counting(self):
        sampled.append(self.model.centre.lower_limit)
        return run(self)

    monkeypatch.setattr(FitRun, "_run", counting)
    return sampled


def test_the_best_cell_and_its_parameters_are_recovered(model, analysis, output_path):
    search = af.DynestyStatic(name="grid", nlive=20, seed=2)
    grid = af.SearchGridSearch(search=search, number_of_steps=4)
    result = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])

    assert result.shape == (4,)
    assert result.log_likelihoods().native.shape == (4,)
    assert int(np.argmax(result.log_likelihoods().native)) == 2
    assert int(np.argmax(result.log_evidences().native)) == 2
    assert result.physical_lower_limits_lists == [[0.0], [25.0], [50.0], [75.0]]
    assert result.physical_upper_limits_lists == [[25.0], [50.0], [75.0], [100.0]]
    assert result.physical_centres_lists == [[12.5], [37.5], [62.5], [87.5]]
    assert result.physical_step_sizes == (25.0,)
    best = result.best_samples.instance
    assert best.centre == pytest.approx(70.0, abs=1.5)
    assert best.normalization == pytest.approx(20.0, abs=3.0)
    assert best.sigma == pytest.approx(5.0, abs=1.0)
    assert (result.best_model.centre.lower_limit, result.best_model.centre.upper_limit) == (
        50.0,
        75.0,
    )
    centres = result.attribute_grid("centre").native
    assert all(
        low <= value <= high
        for value, (low,), (high,) in zip(
            centres,
            result.physical_lower_limits_lists,
            result.physical_upper_limits_lists,
            strict=False,
        )
    )
    assert len(result.all_models) == 4
    assert result.samples[2].log_likelihood == result.log_likelihoods()[2]
    relative = result.figure_of_merits(use_log_evidences=True, relative_to_value=10.0).native
    np.testing.assert_allclose(relative, result.log_evidences().native - 10.0)
    np.testing.assert_allclose(
        result.figure_of_merits(use_log_evidences=False).native, result.log_likelihoods().native
    )

    grid_folder = output_path / "grid" / grid.identifier(model, [model.centre])
    record = json.loads((grid_folder / "grid_search.json").read_text())
    assert record["is_complete"] and record["shape"] == [4]
    assert [cell["lower_limits"] for cell in record["cells"]] == [[0.0], [25.0], [50.0], [75.0]]
    assert record["cells"][2]["log_likelihood"] == pytest.approx(result.log_likelihoods()[2])
    assert (grid_folder / ".completed").exists()
    lines = (grid_folder / "results.csv").read_text().splitlines()
    assert lines[0] == "index,centre_lower,centre_upper,log_likelihood,log_evidence"
    assert len(lines) == 5
    folders = cell_folders(grid_folder)
    assert len(folders) == 4
    assert all((folder / ".completed").exists() for folder in folders)
    # Each cell is a normal fit folder: the aggregator reads it.
    agg = af.Aggregator.from_directory(grid_folder)
    assert len(agg) == 4


def test_a_two_prior_grid_has_the_shape_and_limits_of_both(model, analysis):
    search = af.Drawer(name="grid2d", total_draws=20, seed=1)
    grid = af.SearchGridSearch(search=search, number_of_steps=2)
    result = grid.fit(model=model, analysis=analysis, grid_priors=[model.sigma, model.centre])

    assert result.shape == (2, 2)
    assert result.names == ["centre", "sigma"]
    assert result.log_likelihoods().native.shape == (2, 2)
    lower = result.physical_lower_limits_lists.native
    assert lower.shape == (2, 2, 2)
    np.testing.assert_allclose(lower[1, 0], [50.0, 1.0])
    np.testing.assert_allclose(lower[0, 1], [0.0, 10.5])
    np.testing.assert_allclose(result.physical_upper_limits_lists.native[1, 1], [100.0, 20.0])
    assert result.physical_step_sizes == (50.0, 9.5)
    centres = result.attribute_grid("centre").native
    sigmas = result.attribute_grid(["sigma"]).native
    assert centres.shape == sigmas.shape == (2, 2)
    assert np.all(centres[1] >= 50.0) and np.all(centres[0] <= 50.0)
    assert np.all(sigmas[:, 1] >= 10.5) and np.all(sigmas[:, 0] <= 10.5)
    with pytest.raises(AttributeError, match="no 'width'"):
        result.attribute_grid("width")


def test_an_interrupted_grid_fits_only_its_unfinished_cells(model, analysis, fits):
    search = af.Drawer(name="resume", total_draws=10, seed=4)
    grid = af.SearchGridSearch(search=search, number_of_steps=4)
    broken = BreaksAboveCentre(analysis.data, analysis.noise_map)
    with pytest.raises(af.exc.LikelihoodException, match="cancelled") as error:
        grid.fit(model=model, analysis=broken, grid_priors=[model.centre])
    notes = "".join(error.value.__notes__)
    assert "cell 2 (centre 50 to 75)" in notes
    # The cells after a failing one still run: cell 3 is tried (and fails) too.
    assert "1 other grid cells failed too: cell 3 (centre 75 to 100)" in notes
    assert fits == [0.0, 25.0, 50.0, 75.0]

    fits.clear()
    result = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    assert fits == [50.0, 75.0]
    assert result.shape == (4,)
    assert all(np.isfinite(result.log_likelihoods().native))

    fits.clear()
    again = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    assert fits == []
    np.testing.assert_allclose(again.log_likelihoods().native, result.log_likelihoods().native)
    assert again.best_samples.instance.centre == pytest.approx(result.instance.centre)


def test_a_grid_without_a_name_writes_nothing(model, analysis, output_path):
    grid = af.SearchGridSearch(search=af.Drawer(total_draws=10, seed=1), number_of_steps=2)
    result = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    assert result.shape == (2,)
    assert result.folders == [None, None]
    assert not output_path.exists()


def test_the_search_must_be_a_search():
    with pytest.raises(TypeError, match="takes a search such as af.DynestyStatic"):
        af.SearchGridSearch(search=af.DynestyStatic, number_of_steps=2)
    with pytest.raises(ValueError, match="number_of_steps must be >= 1"):
        af.SearchGridSearch(search=af.Drawer(), number_of_steps=0)


def test_bad_grid_priors_fail_before_any_fit(model, analysis, fits):
    model.centre = af.GaussianPrior(mean=50.0, sigma=10.0)
    grid = af.SearchGridSearch(search=af.Drawer(name="bad"), number_of_steps=2)
    with pytest.raises(af.exc.PriorException, match="finite limits"):
        grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    assert fits == []


def test_plot_of_the_figure_of_merit(model, analysis, tmp_path):
    pytest.importorskip("matplotlib")
    import autofit.plot as aplt

    grid = af.SearchGridSearch(search=af.Drawer(total_draws=10, seed=1), number_of_steps=2)
    line = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    square = grid.fit(model=model, analysis=analysis, grid_priors=[model.centre, model.sigma])
    aplt.grid_search(line, path=tmp_path / "line", format="png")
    aplt.grid_search(square, use_log_evidences=False, path=tmp_path / "map", format="png")
    assert (tmp_path / "line" / "grid_search.png").stat().st_size > 0
    assert (tmp_path / "map" / "grid_search.png").stat().st_size > 0


def test_a_finished_grid_draws_its_plot_into_its_image_folder(
    model, analysis, output_path, monkeypatch
):
    pytest.importorskip("matplotlib")
    monkeypatch.delenv("AUTOFIT_SKIP_VISUALIZATION")
    grid = af.SearchGridSearch(
        search=af.Drawer(name="plotted", total_draws=10, seed=1), number_of_steps=2
    )
    grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    image = output_path / "plotted" / grid.identifier(model, [model.centre]) / "image"
    assert (image / "grid_search.png").stat().st_size > 0


@pytest.mark.parametrize("interval, writes", [(1, 4 + 2), (100, 2)])
def test_the_summary_is_rewritten_every_result_output_interval_cells(
    model, analysis, monkeypatch, interval, writes
):
    from autofit.grid import search as grid_module
    from autofit.grid.summary import GridRecord

    monkeypatch.setattr(grid_module, "_SUMMARY_INTERVAL", 1e9)
    calls = []
    write = GridRecord.write
    monkeypatch.setattr(GridRecord, "write", lambda self: calls.append(1) or write(self))
    grid = af.SearchGridSearch(
        search=af.Drawer(name=f"interval_{interval}", total_draws=5, seed=1),
        number_of_steps=4,
        result_output_interval=interval,
    )
    grid.fit(model=model, analysis=analysis, grid_priors=[model.centre])
    # One write per `interval` cells, one when the cells stop and one when the grid ends.
    assert len(calls) == writes
    with pytest.raises(ValueError, match="result_output_interval must be >= 1"):
        af.SearchGridSearch(search=af.Drawer(), result_output_interval=0)
