"""af.Sensitivity: simulate and fit every cell, compare the evidences, write and resume."""

from __future__ import annotations

import concurrent.futures
import csv
import json

import numpy as np
import pytest

import autofit as af
from autofit.exc import PriorException
from autofit.sensitivity.job import CELL_FILE
from test_autofit.sensitivity.conftest import Fit, base_model, make_sensitivity, simulate


def _folder(sensitivity: af.Sensitivity):
    folder = sensitivity.output_path
    assert folder is not None and folder.is_dir()
    return folder


def test_strong_perturbation_is_detected_and_weak_one_is_not(output_path):
    sensitivity = make_sensitivity()
    result = sensitivity.run()

    assert result.shape == (2,)
    assert result.perturbed_physical_centres_list_from("normalization") == pytest.approx(
        [0.1, 10.0]
    )
    weak, strong = result.log_evidence_differences
    # A 13-sigma peak: the perturbed model gains hundreds in log evidence.
    assert strong > 100.0
    # An invisible one: the evidences agree to within the Occam factor of one parameter.
    assert abs(weak) < 3.0
    assert result.figure_of_merits(use_log_evidences=True) == result.log_evidence_differences
    weak_likelihood, strong_likelihood = result.figure_of_merits(use_log_evidences=False)
    assert strong_likelihood > 100.0 and 0.0 <= weak_likelihood < 3.0
    assert result.log_evidence_differences.native.shape == (2,)
    assert np.allclose(
        result.log_likelihood_differences.native,
        np.subtract(result.log_likelihoods_perturbed, result.log_likelihoods_base),
    )

    # The perturbed fit of the strong cell recovers the simulated perturbation within its
    # cell's prior (1 to 100).
    instance = result.perturb_samples[1].instance
    assert instance.perturb.normalization == pytest.approx(10.0, rel=0.05)
    assert instance.gaussian.normalization == pytest.approx(25.0, rel=0.05)
    assert result.samples[0].instance.gaussian.normalization == pytest.approx(25.0, rel=0.05)


def test_results_are_written_as_json_and_csv_and_read_back():
    sensitivity = make_sensitivity(search="drawer")
    result = sensitivity.run()
    folder = _folder(sensitivity)

    with open(folder / "results.csv") as file:
        rows = list(csv.DictReader(file))
    assert [row["index"] for row in rows] == ["0", "1"]
    assert [float(row["normalization"]) for row in rows] == pytest.approx([0.1, 10.0])
    assert [float(row["log_likelihood_increase"]) for row in rows] == pytest.approx(
        list(result.log_likelihood_differences)
    )
    assert [float(row["log_evidence_base"]) for row in rows] == pytest.approx(
        list(result.log_evidences_base)
    )

    loaded = af.SensitivityResult.from_json(folder / "sensitivity.json")
    assert loaded.shape == (2,)
    assert list(loaded.log_evidence_differences) == pytest.approx(
        list(result.log_evidence_differences)
    )
    assert list(loaded.perturbed_physical_centres_list_from(("normalization",))) == (
        pytest.approx([0.1, 10.0])
    )
    assert loaded.samples[1].max_log_likelihood_value == pytest.approx(
        result.log_likelihoods_base[1]
    )

    # Each cell has its folder with the record, the base and the perturbed fit.
    cells = sorted(folder.glob("cell_*"))
    assert [cell.name for cell in cells] == [
        "cell_0__normalization_0.01_1",
        "cell_1__normalization_1_100",
    ]
    for cell in cells:
        record = json.loads((cell / CELL_FILE).read_text())
        assert set(record) == {"index", "physical_centres", "base", "perturbed"}
        assert (cell / "[base]" / "fit" / ".completed").is_file()
        assert (cell / "[perturb]" / "fit" / ".completed").is_file()
        assert (cell / "simulate").is_dir()


def test_rerun_fits_only_the_missing_cells(calls):
    first = make_sensitivity(search="drawer").run()
    assert [what for what, _ in calls].count("simulate") == 2
    assert len(calls) == 6

    sensitivity = make_sensitivity(search="drawer")
    folder = _folder(sensitivity)
    (folder / "cell_1__normalization_1_100" / CELL_FILE).unlink()
    calls.clear()
    second = sensitivity.run()
    # Only the cell whose record was missing is simulated and fitted again.
    assert calls == [("simulate", pytest.approx(10.0))] + [("fit", pytest.approx(10.0))] * 2
    assert list(second.log_evidence_differences) == pytest.approx(
        list(first.log_evidence_differences)
    )

    calls.clear()
    make_sensitivity(search="drawer").run()
    assert calls == []


def test_cells_run_in_worker_processes_with_the_same_results(output_path):
    serial = make_sensitivity(search="drawer", paths=af.NullPaths()).run()
    parallel = make_sensitivity(search="drawer", number_of_cores=2).run()
    assert list(parallel.log_likelihood_differences) == pytest.approx(
        list(serial.log_likelihood_differences)
    )
    assert parallel.perturb_samples[1].instance.perturb.normalization == pytest.approx(
        serial.perturb_samples[1].instance.perturb.normalization
    )
    with concurrent.futures.ProcessPoolExecutor(2) as executor:
        elsewhere = make_sensitivity(
            search="drawer", paths=af.DirectoryPaths(name="executor"), executor=executor
        ).run()
    assert list(elsewhere.log_likelihood_differences) == pytest.approx(
        list(serial.log_likelihood_differences)
    )
    assert len(list((output_path / "executor").rglob("sensitivity_cell.json"))) == 2


def test_null_paths_write_nothing(output_path):
    sensitivity = make_sensitivity(search="drawer", paths=af.NullPaths())
    result = sensitivity.run()
    assert sensitivity.output_path is None
    assert result.log_likelihood_differences[1] > 100.0
    assert not output_path.exists() or not any(output_path.rglob("*.json"))


def test_masked_cells_are_neither_simulated_nor_fitted(calls):
    result = make_sensitivity(search="drawer", mask=[True, False]).run()
    assert [value for _, value in calls] == pytest.approx([10.0, 10.0, 10.0])
    assert result.log_evidence_differences[0] is None
    assert np.isnan(result.log_evidence_differences.native[0])
    assert result.samples[0] is None


def test_two_perturbation_parameters_make_a_square_grid():
    perturb = af.Model(
        af.ex.Gaussian,
        centre=af.UniformPrior(lower_limit=10.0, upper_limit=30.0),
        sigma=3.0,
        normalization=af.UniformPrior(lower_limit=0.0, upper_limit=20.0),
    )
    sensitivity = make_sensitivity(
        search="drawer", paths=af.NullPaths(), perturb_model=perturb, number_of_steps=2
    )
    assert sensitivity.shape == (2, 2)
    result = sensitivity.run()
    assert result.perturbed_physical_centres_list_from("centre").native.tolist() == [
        [15.0, 15.0],
        [25.0, 25.0],
    ]
    assert result.perturbed_physical_centres_list_from("normalization").native.tolist() == [
        [5.0, 15.0],
        [5.0, 15.0],
    ]
    assert result.log_likelihood_differences.native.shape == (2, 2)
    with pytest.raises(KeyError, match="'sigma' is not a parameter of the grid"):
        result.perturbed_physical_centres_list_from("sigma")


def test_perturbed_fit_priors_cover_the_cell_scaled_by_limit_scale():
    sensitivity = make_sensitivity(limit_scale=2.0, number_of_steps=4)
    context = sensitivity._context()
    cell = sensitivity.geometry.cell(1)  # unit range 0.25 to 0.5, centre 0.375
    prior = context.cell_perturb_model(cell).normalization
    # Two cells wide around the centre: unit 0.125 to 0.625 of log-uniform 0.01 to 100.
    assert prior.lower_limit == pytest.approx(10 ** (-2 + 4 * 0.125))
    assert prior.upper_limit == pytest.approx(10 ** (-2 + 4 * 0.625))
    model = context.perturbed_model(cell)
    assert model.prior_count == 2
    assert context.perturb_instance(cell).normalization == pytest.approx(10 ** (-2 + 4 * 0.375))


def test_a_callable_that_returns_no_result_is_named_with_its_cell():
    def no_result(model, dataset, paths, instance):
        return None

    sensitivity = make_sensitivity(paths=af.NullPaths(), base_fit_cls=no_result)
    with pytest.raises(TypeError, match="base_fit_cls returned NoneType, not a result") as info:
        sensitivity.run()
    assert "sensitivity cell 0 (normalization 0.01 to 1)" in "".join(info.value.__notes__)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"simulate_cls": "simulate"}, TypeError, "simulate_cls=...\\) must be callable"),
        ({"mask": [False, False, False]}, ValueError, "mask has shape \\(3,\\)"),
        ({"number_of_steps": (2, 3)}, ValueError, "give one integer"),
        ({"number_of_steps": 0}, ValueError, "number_of_steps must be >= 1"),
        ({"limit_scale": 0.0}, ValueError, "limit_scale must be > 0"),
        (
            {"perturb_model": af.Model(af.ex.Gaussian, centre=1.0, normalization=1.0, sigma=1.0)},
            ValueError,
            "has no free parameter",
        ),
        ({"paths": "output/sensitivity"}, TypeError, "takes af.DirectoryPaths"),
    ],
)
def test_bad_arguments_raise_naming_what_to_fix(arguments, error, message):
    with pytest.raises(error, match=message):
        make_sensitivity(**arguments)


def test_a_perturbation_prior_without_limits_is_refused():
    perturb = af.Model(
        af.ex.Gaussian,
        centre=20.0,
        sigma=3.0,
        normalization=af.GaussianPrior(mean=1.0, sigma=1.0),
    )
    with pytest.raises(PriorException, match="needs finite limits"):
        make_sensitivity(perturb_model=perturb)


def test_pyautofit_spellings():
    sensitivity = make_sensitivity(number_of_steps=(2,))
    assert sensitivity.shape == (2,)
    assert sensitivity.step_size == 0.5
    assert sensitivity.model is sensitivity.base_model
    assert sensitivity.shape_index_from_number(1) == (1,)
    assert sensitivity.results_path.name == "results.csv"
    assert isinstance(base_model(), af.Collection) and callable(simulate) and Fit()


def test_batch_range_runs_only_its_cells_and_a_later_run_completes_the_map(calls):
    first = make_sensitivity(search="drawer", batch_range=(1, 2)).run()
    assert [value for _, value in calls] == pytest.approx([10.0, 10.0, 10.0])
    assert first.log_likelihood_differences[0] is None
    assert first.log_likelihood_differences[1] > 100.0

    calls.clear()
    second = make_sensitivity(search="drawer", batch_range=(0, 1)).run()
    assert [value for _, value in calls] == pytest.approx([0.1, 0.1, 0.1])
    assert None not in second.log_likelihood_differences
    assert second.log_likelihood_differences[1] == first.log_likelihood_differences[1]


def test_visualizer_is_called_after_each_cell_with_the_map_so_far():
    seen = []

    def visualizer(sensitivity_result, paths):
        seen.append((list(sensitivity_result.log_likelihood_differences), paths))

    sensitivity = make_sensitivity(search="drawer", visualizer_cls=visualizer)
    sensitivity.run()
    assert len(seen) == 2
    assert seen[0][0][1] is None and seen[0][0][0] is not None
    assert None not in seen[1][0]
    assert seen[1][1].output_path == sensitivity.output_path


@pytest.mark.parametrize("batch_range", [(2, 1), (-1, 1)])
def test_a_bad_batch_range_is_refused(batch_range):
    with pytest.raises(ValueError, match="must be \\(start, stop\\) with 0 <= start < stop"):
        make_sensitivity(batch_range=batch_range)
