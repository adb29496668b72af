"""The scripts in examples/: each runs from the repository root and exits with status 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.py"))

#: A warning printed by Python for code in the package or the examples, e.g.
#: ``/repo/autofit/searches/driver.py:12: UserWarning: ...``.
OWN_WARNING = re.compile(
    rf"^(?P<file>(?:{re.escape(str(ROOT / 'autofit'))}|{re.escape(str(ROOT / 'examples'))})"
    r"[\\/]\S+\.py):\d+: \w*(?:Warning|Deprecation)\w*:",
    re.MULTILINE,
)


def run_example(script: Path, output_path: Path) -> subprocess.CompletedProcess:
    """Run ``script`` from the repository root in quick mode, writing its fits to
    ``output_path``."""
    environment = {
        **os.environ,
        "AUTOFIT_EXAMPLE_QUICK": "1",
        "AUTOFIT_OUTPUT_PATH": str(output_path),
        # Show every warning (DeprecationWarning is hidden by default outside __main__).
        "PYTHONWARNINGS": "default",
    }
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def example_run(tmp_path_factory):
    """Run each script at most once in this module: ``(completed process, its output path)``."""
    runs: dict[str, tuple[subprocess.CompletedProcess, Path]] = {}

    def run(name: str) -> tuple[subprocess.CompletedProcess, Path]:
        if name not in runs:
            output_path = tmp_path_factory.mktemp(Path(name).stem)
            runs[name] = (run_example(ROOT / "examples" / name, output_path), output_path)
        return runs[name]

    return run


def test_there_are_examples():
    assert {"quickstart.py", "lens_model.py"} <= {script.name for script in EXAMPLES}


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda script: script.name)
def test_example_runs_without_errors_or_warnings(script, example_run):
    completed, _ = example_run(script.name)
    assert completed.returncode == 0, (
        f"{script.name} exited with status {completed.returncode}\n"
        f"--- stdout ---\n{completed.stdout}\n--- stderr ---\n{completed.stderr}"
    )
    warnings = [match.group(0) for match in OWN_WARNING.finditer(completed.stderr)]
    assert not warnings, f"{script.name} raised warnings:\n{completed.stderr}"


def test_quickstart_fits_and_writes_to_the_output_path(example_run):
    completed, output_path = example_run("quickstart.py")
    assert completed.returncode == 0, completed.stderr

    # One completed fit, in the output path given through AUTOFIT_OUTPUT_PATH.
    (marker,) = output_path.rglob(".completed")
    fit_folder = marker.parent
    assert (fit_folder / "files" / "samples.csv").is_file()
    assert f"Output written to {fit_folder}" in completed.stdout

    # The median of each parameter is printed with its 3-sigma errors, and the truth lies
    # within them.
    rows = re.findall(
        r"^\s+(centre|normalization|sigma)\s+(\S+)\s+\+(\S+) -(\S+)\s+\(truth (\S+)\)$",
        completed.stdout,
        re.MULTILINE,
    )
    assert [row[0] for row in rows] == ["centre", "normalization", "sigma"]
    for name, median, upper_error, lower_error, truth in rows:
        median, upper_error, lower_error, truth = map(
            float, (median, upper_error, lower_error, truth)
        )
        assert upper_error > 0.0 and lower_error > 0.0, name
        assert median - lower_error <= truth <= median + upper_error, name
    assert re.search(r"^Maximum log likelihood: -?\d+\.\d+, at Gaussian\(", completed.stdout, re.M)


#: A parameter row: ``    <name>   <median>   +<upper error> -<lower error>   (truth <value>)``.
PARAMETER_ROW = r"\s+(\S+)\s+\+(\S+) -(\S+)\s+\(truth (\S+)\)$"


def assert_within(median: float, upper_error: float, lower_error: float, truth: float, name: str):
    """``truth`` lies inside ``[median - lower_error, median + upper_error]``, and both errors
    are positive."""
    assert upper_error > 0.0 and lower_error > 0.0, name
    assert median - lower_error <= truth <= median + upper_error, (
        f"{name}: truth {truth} outside {median} +{upper_error} -{lower_error}"
    )


def test_multi_component_recovers_every_parameter_within_3_sigma(example_run):
    completed, output_path = example_run("multi_component.py")
    assert completed.returncode == 0, completed.stderr

    # The model: five free parameters, the link and the assertion in model.info.
    assert "Total Free Parameters = 5" in completed.stdout
    assert "(linked to gaussian.centre)" in completed.stdout
    assert "(gaussian.sigma * exponential.rate) < 1.0" in completed.stdout
    assert re.search(
        r"centre\s+GaussianPrior, mean = 50.0, sigma = 10.0, lower_limit = 0.0, "
        r"upper_limit = 100.0\n",
        completed.stdout,
    )

    rows = re.findall(
        r"^\s+((?:gaussian|exponential)\.\w+)" + PARAMETER_ROW, completed.stdout, re.MULTILINE
    )
    assert [row[0] for row in rows] == [
        "gaussian.centre",
        "gaussian.normalization",
        "gaussian.sigma",
        "exponential.normalization",
        "exponential.rate",
    ]
    truths = {
        "gaussian.centre": 50.0,
        "gaussian.normalization": 30.0,
        "gaussian.sigma": 5.0,
        "exponential.normalization": 40.0,
        "exponential.rate": 0.05,
    }
    for name, *numbers in rows:
        median, upper_error, lower_error, truth = map(float, numbers)
        assert truth == truths[name]
        assert_within(median, upper_error, lower_error, truth, name)
    assert "Every true value lies within the 3-sigma limits: True (5 of 5 parameters)" in (
        completed.stdout
    )

    # The linked centre is one value in both components; the assertion holds.
    gaussian_centre, exponential_centre = re.search(
        r"^Linked centre: gaussian.centre = (\S+), exponential.centre = (\S+)$",
        completed.stdout,
        re.MULTILINE,
    ).groups()
    assert gaussian_centre == exponential_centre
    core_sigma, scale_length = map(
        float,
        re.search(
            r"^Assertion: core sigma (\S+) < halo scale length 1 / rate (\S+)$",
            completed.stdout,
            re.MULTILINE,
        ).groups(),
    )
    assert core_sigma < scale_length

    # One completed fit in the output path, named after the example.
    (marker,) = output_path.rglob(".completed")
    assert marker.parent.parent == output_path / "multi_component"
    assert f"Output written to {marker.parent}" in completed.stdout


def test_many_datasets_are_fitted_into_a_database_and_queried(example_run):
    completed, output_path = example_run("many_datasets_database.py")
    assert completed.returncode == 0, completed.stderr
    folder = output_path / "many_datasets_database"
    database = folder / "results.sqlite"
    assert f"Database: {database}" in completed.stdout

    # Quick mode fits every second dataset, centred at 23, 35, 47, 59 and 71; the fitted
    # centre of each lies within its 3-sigma errors of the truth.
    rows = re.findall(
        r"^(dataset_\d)\s+(\S+)\s+(\S+) \+(\S+) -(\S+)$", completed.stdout, re.MULTILINE
    )
    tags = [f"dataset_{index}" for index in (0, 2, 4, 6, 8)]
    assert [row[0] for row in rows] == tags
    for tag, truth, median, upper_error, lower_error in rows:
        assert_within(float(median), float(upper_error), float(lower_error), float(truth), tag)
    assert [float(row[1]) for row in rows] == [23.0, 35.0, 47.0, 59.0, 71.0]

    # The queries found the expected fits.
    def listed(label: str) -> list[str]:
        match = re.search(rf"^\s*{re.escape(label)}: \[(.*)\]$", completed.stdout, re.MULTILINE)
        assert match, label
        return re.findall(r"'(\w+)'", match.group(1))

    assert listed('unique_tag == "dataset_4"') == ["dataset_4"]
    assert "info: {'dataset': 'dataset_4', 'true_centre': 47.0, 'noise': 0.2}" in completed.stdout
    assert listed("gaussian.centre > 50") == ["dataset_6", "dataset_8"]
    assert listed("30 < true centre < 70") == ["dataset_2", "dataset_4", "dataset_6"]
    assert listed("and gaussian.centre > 50") == ["dataset_6"]
    assert listed("gaussian.centre > 50 in the folders") == ["dataset_6", "dataset_8"]
    assert "Output folders: 5 fits, the same as the database: True" in completed.stdout
    assert "5 added, 0 unchanged; the same fits: True" in completed.stdout

    # The database holds the five completed fits, with their info, in the output path.
    import autofit as af

    agg = af.Aggregator.from_database(database, completed_only=True)
    assert [fit.unique_tag for fit in agg] == tags
    assert [info["true_centre"] for info in agg.values("info")] == [23.0, 35.0, 47.0, 59.0, 71.0]
    assert {fit.name for fit in agg} == {"fit"}
    assert len(list(folder.rglob(".completed"))) == 5
    assert (folder / "scraped.sqlite").is_file()


def test_multiple_datasets_share_the_centre_and_measure_it_better_together(example_run):
    completed, output_path = example_run("multiple_datasets.py")
    assert completed.returncode == 0, completed.stderr
    assert "Total Free Parameters = 7" in completed.stdout
    assert completed.stdout.count("(linked to 0.centre)") == 2

    # The shared centre: its truth lies within the 3-sigma limits.
    centre, error, lower, upper, truth = map(
        float,
        re.search(
            r"^Shared centre: (\S+) \+- (\S+) \(1 sigma\), 3-sigma limits \[(\S+), (\S+)\]"
            r"\s+\(truth (\S+)\)$",
            completed.stdout,
            re.MULTILINE,
        ).groups(),
    )
    assert truth == 42.0
    assert lower <= truth <= upper
    assert lower < centre < upper and error > 0.0

    # Each dataset's own normalization and sigma.
    rows = re.findall(
        r"^\s+dataset (\d)  (normalization|sigma)" + PARAMETER_ROW,
        completed.stdout,
        re.MULTILINE,
    )
    truths = {
        ("0", "normalization"): 20.0,
        ("0", "sigma"): 5.0,
        ("1", "normalization"): 40.0,
        ("1", "sigma"): 8.0,
        ("2", "normalization"): 60.0,
        ("2", "sigma"): 12.0,
    }
    assert [(row[0], row[1]) for row in rows] == list(truths)
    for index, name, *numbers in rows:
        median, upper_error, lower_error, true_value = map(float, numbers)
        assert true_value == truths[index, name]
        assert_within(median, upper_error, lower_error, true_value, f"dataset {index} {name}")

    # Each dataset alone measures the centre less well than the three together.
    alone = re.findall(r"^\s+dataset (\d)  (\S+) \+- (\S+)$", completed.stdout, re.MULTILINE)
    assert [row[0] for row in alone] == ["0", "1", "2"]
    alone_errors = [float(row[2]) for row in alone]
    assert f"together   {centre:.4f} +- {error:.4f}" in completed.stdout
    assert error < min(alone_errors)
    predicted = float(
        re.search(r"in inverse quadrature predicts (\S+)\.$", completed.stdout, re.M).group(1)
    )
    assert predicted == pytest.approx(sum(e**-2 for e in alone_errors) ** -0.5, rel=1e-3)
    assert 0.7 < error / predicted < 1.4

    # The joint fit's folder holds one sub-folder of files per dataset; each single-dataset fit
    # has its own folder, tagged with its dataset.
    (joint,) = (output_path / "multiple_datasets" / "joint").iterdir()
    assert (joint / ".completed").is_file()
    assert sorted(path.name for path in (joint / "files").glob("factor_*")) == [
        "factor_0",
        "factor_1",
        "factor_2",
    ]
    assert f"Joint fit written to {joint}" in completed.stdout
    for index in range(3):
        (single,) = (output_path / "multiple_datasets" / f"dataset_{index}" / "alone").iterdir()
        assert (single / ".completed").is_file()


def test_grid_search_finds_the_cell_of_the_line(example_run):
    completed, output_path = example_run("grid_search.py")
    assert completed.returncode == 0, completed.stderr
    rows = re.findall(
        r"^\s+(\S+) to\s+(\S+)\s+(-?\d+\.\d)\s+(\S+)$", completed.stdout, re.MULTILINE
    )
    assert [(float(low), float(high)) for low, high, _, _ in rows] == [
        (0.0, 20.0),
        (20.0, 40.0),
        (40.0, 60.0),
        (60.0, 80.0),
        (80.0, 100.0),
    ]
    gains = [float(row[2]) for row in rows]
    # Only the cell holding the line (at x = 30) gains evidence over the model without it.
    assert gains[1] > 20.0
    assert all(gains[1] - gain > 20.0 for index, gain in enumerate(gains) if index != 1)
    for low, high, _, centre in rows:
        assert float(low) <= float(centre) <= float(high)
    assert "Best cell: line centre 20 to 40" in completed.stdout

    # The grid's folder: five cell fits, the summary files, and the figure of merit.
    (marker,) = (output_path / "grid_search" / "line").glob("*/.completed")
    grid_folder = marker.parent
    assert len(list(grid_folder.glob("cell_*/*/.completed"))) == 5
    assert (grid_folder / "grid_search.json").is_file()
    assert (grid_folder / "image" / "grid_search.png").is_file()
    assert f"Output written to {grid_folder}" in completed.stdout


def test_sensitivity_mapping_detects_bright_perturbations_only(example_run):
    completed, output_path = example_run("sensitivity_mapping.py")
    assert completed.returncode == 0, completed.stderr
    # Quick mode: a 2 x 2 grid over the perturbation's centre and normalization.
    rows = re.findall(
        r"^\s*(\S+)\s+(\S+)\s+(-?\d+\.\d)\s+(yes|no)$", completed.stdout, re.MULTILINE
    )
    assert len(rows) == 4
    for _, normalization, difference, detected in rows:
        assert (float(difference) > 5.0) == (detected == "yes")
        assert detected == ("yes" if float(normalization) > 1.0 else "no")
    assert "Brightest perturbations detected everywhere: True" in completed.stdout
    assert "Faintest perturbations detected nowhere: True" in completed.stdout
    # The map's folder holds its results and one folder per cell.
    (table,) = output_path.rglob("results.csv")
    assert (table.parent / "sensitivity.json").is_file()
    assert len(list(table.parent.glob("cell_*/sensitivity_cell.json"))) == 4
    assert f"Output written to {table.parent}" in completed.stdout


def test_interpolation_recovers_the_drifting_gaussian(example_run):
    completed, _ = example_run("interpolation.py")
    assert completed.returncode == 0, completed.stderr
    rows = re.findall(
        r"^\s*(\d\.\d)\s+(linear|spline)\s+(\S+) \(\s*(\S+)\)", completed.stdout, re.MULTILINE
    )
    assert [(time, name) for time, name, _, _ in rows] == [
        (time, name) for time in ("1.5", "2.5", "4.0") for name in ("linear", "spline")
    ]
    for time, name, centre, truth in rows:
        if time != "4.0" or name == "linear":
            assert abs(float(centre) - float(truth)) < 1.0, (time, name)
    assert "within 0.5 of the true centre at t = 1.5 and 4: True" in completed.stdout
    assert "extrapolate=False: time = 4.0 is outside the instances' range" in completed.stdout


def test_search_chaining_passes_instances_and_priors(example_run):
    completed, output_path = example_run("search_chaining.py")
    assert completed.returncode == 0, completed.stderr
    assert "Search 1 fitted 3 parameters, search 2 3, search 3 6." in completed.stdout
    priors = re.findall(
        r"^\s+(gaussian_\w+\.\w+)\s+GaussianPrior mean\s+(\S+) sigma\s+(\S+)$",
        completed.stdout,
        re.MULTILINE,
    )
    assert len(priors) == 6
    means = {name: float(mean) for name, mean, _ in priors}
    assert abs(means["gaussian_left.centre"] - 25.0) < 1.0
    assert abs(means["gaussian_right.centre"] - 70.0) < 1.0
    rows = re.findall(r"^\s+(gaussian_\w+\.\w+)" + PARAMETER_ROW, completed.stdout, re.M)
    assert len(rows) == 6
    for name, median, upper_error, lower_error, truth in rows:
        assert_within(float(median), float(upper_error), float(lower_error), float(truth), name)
    folder = output_path / "search_chaining"
    assert sorted(path.name for path in folder.iterdir()) == [
        "search[1]_left",
        "search[2]_right",
        "search[3]_both",
    ]
    assert len(list(folder.glob("*/*/.completed"))) == 3
