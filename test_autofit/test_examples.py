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
    r"^(?P<file>\S*(?:autofit|examples)[\\/]\S+\.py):\d+: \w*(?:Warning|Deprecation)\w*:",
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
