"""The notebooks in docs/notebooks/: each runs from top to bottom in a Jupyter kernel of this
Python, without errors, and prints the results its text explains."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebooks need the test extra")
nbclient = pytest.importorskip("nbclient", reason="the notebooks need the test extra")
pytest.importorskip("ipykernel", reason="the notebooks need the test extra")

from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from traitlets import default  # noqa: E402

import autofit as af  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "docs" / "notebooks"
NAMES = ["quickstart", "database_walkthrough"]

#: Seconds a cell may run (the slowest takes a few seconds; CI machines may be slower).
CELL_TIMEOUT = 120

#: Printed by a cell appended to each notebook: the interpreter of the kernel and the autofit it
#: imported.
KERNEL_PROBE = (
    "import sys\n\n"
    "import autofit\n\n"
    'print("kernel executable:", sys.executable)\n'
    'print("kernel autofit:", autofit.__file__)'
)
#: Appended to the quickstart: the number of axes of every figure left open to be displayed.
FIGURES_PROBE = (
    "import matplotlib.pyplot as plt\n"
    'print("open figures:", [len(plt.figure(number).axes) for number in plt.get_fignums()])'
)

#: A warning printed for code of the package or of a notebook cell, e.g.
#: ``/repo/autofit/searches/driver.py:12: UserWarning: ...`` or
#: ``/tmp/ipykernel_123/456.py:3: DeprecationWarning: ...``.
OWN_WARNING = re.compile(
    rf"(?:{re.escape(str(Path(af.__file__).parent))}[\\/]\S+\.py|ipykernel_\d+[\\/]\d+\.py)"
    r":\d+: \w*(?:Warning|Deprecation)\w*:"
)


class ThisPythonKernelManager(AsyncKernelManager):
    """Starts the ``python3`` kernel of ipykernel with this interpreter (``sys.executable``),
    whatever kernel specs the user or the system has installed."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        # No kernel folders: "python3" is then ipykernel's own spec for sys.executable.
        return KernelSpecManager(kernel_dirs=[], parent=self)


def execute(name: str, output_path: Path, probes: list[str]) -> nbformat.NotebookNode:
    """Run the notebook ``name`` in docs/notebooks/, with ``probes`` appended as code cells, as
    the test suite runs the examples: quick settings, output below ``output_path``, and the
    non-interactive matplotlib backend."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    notebook.cells.extend(nbformat.v4.new_code_cell(source) for source in probes)
    environment = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "AUTOFIT_OUTPUT_PATH": str(output_path),
        "AUTOFIT_EXAMPLE_QUICK": "1",
        # The kernel imports the autofit of this checkout, as the tests do.
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        # Show every warning (DeprecationWarning is hidden by default outside __main__).
        "PYTHONWARNINGS": "default",
    }
    client = nbclient.NotebookClient(
        notebook,
        kernel_name="python3",
        kernel_manager_class=ThisPythonKernelManager,
        timeout=CELL_TIMEOUT,
        startup_timeout=120,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    client.execute(env=environment)
    return notebook


def stdout(notebook: nbformat.NotebookNode) -> str:
    """Everything the code cells printed to standard output, in order."""
    return "".join(
        output["text"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if output.output_type == "stream" and output.name == "stdout"
    )


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Run each notebook at most once in this module: ``(executed notebook, its output path)``.

    The kernel's working directory is docs/notebooks/, as when the notebooks are opened in
    Jupyter; nothing may be written there.
    """
    runs: dict[str, tuple[nbformat.NotebookNode, Path]] = {}

    def run(name: str) -> tuple[nbformat.NotebookNode, Path]:
        if name not in runs:
            output_path = tmp_path_factory.mktemp(name)
            probes = [KERNEL_PROBE] + ([FIGURES_PROBE] if name == "quickstart" else [])
            before = sorted(NOTEBOOKS.iterdir())
            notebook = execute(name, output_path, probes)
            assert sorted(NOTEBOOKS.iterdir()) == before, "the notebook wrote into its folder"
            runs[name] = (notebook, output_path)
        return runs[name]

    return run


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_stored_clean(name):
    """Valid nbformat 4, the python3 kernel, and no outputs or execution counts."""
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=nbformat.NO_CONVERT)
    nbformat.validate(notebook)
    assert notebook.nbformat == 4
    assert notebook.metadata.kernelspec.name == "python3"
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code_cells
    for cell in code_cells:
        assert cell.outputs == [] and cell.execution_count is None, cell.source


def test_every_notebook_is_tested():
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == sorted(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_without_errors_or_warnings(name, executed):
    notebook, _ = executed(name)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code_cells)
    for cell in code_cells:
        for output in cell.outputs:
            assert output.output_type != "error", f"{cell.source}\n{output}"
            if output.output_type == "stream" and output.name == "stderr":
                assert not OWN_WARNING.search(output.text), f"{cell.source}\n{output.text}"
    # The kernel ran this interpreter and the autofit under test.
    assert f"kernel executable: {sys.executable}\n" in stdout(notebook)
    assert f"kernel autofit: {af.__file__}\n" in stdout(notebook)


def test_quickstart_recovers_the_gaussian(executed):
    notebook, output_path = executed("quickstart")
    text = stdout(notebook)

    # The median of each parameter with its 3-sigma errors: the truth lies within them, and
    # the centre is measured to better than one pixel.
    rows = re.findall(
        r"^\s+(centre|normalization|sigma)\s+(\S+)\s+\+(\S+) -(\S+)\s+\(truth (\S+)\)$",
        text,
        re.MULTILINE,
    )
    assert [row[0] for row in rows] == ["centre", "normalization", "sigma"]
    medians = {}
    for name, median, upper_error, lower_error, truth in rows:
        median, upper_error, lower_error, truth = map(
            float, (median, upper_error, lower_error, truth)
        )
        assert 0.0 < upper_error < 5.0 and 0.0 < lower_error < 5.0, name
        assert median - lower_error <= truth <= median + upper_error, name
        medians[name] = median
    assert abs(medians["centre"] - 50.0) < 1.0
    assert "burn-in:" in text

    # The maximum-likelihood instance is printed as the example class.
    best = re.search(r"^Maximum log likelihood: (-?\d+\.\d+)\nGaussian\(centre=(\S+),", text, re.M)
    assert best is not None, text
    assert float(best.group(1)) < 0.0 and abs(float(best.group(2)) - 50.0) < 1.0

    # The data plot, the corner plot (3 x 3 panels) and the best fit are left for display.
    assert "open figures: [1, 9, 1]\n" in text

    # One completed fit, written below AUTOFIT_OUTPUT_PATH.
    (marker,) = output_path.rglob(".completed")
    fit_folder = marker.parent
    assert fit_folder.parent == output_path / "quickstart"
    assert (fit_folder / "files" / "samples.csv").is_file()
    assert f"{fit_folder}\n" in text


def test_database_walkthrough_queries(executed):
    notebook, output_path = executed("database_walkthrough")
    lines = stdout(notebook).splitlines()
    tags = [f"gaussian_{index}" for index in range(1, 7)]

    assert "The database holds 6 fits." in lines
    listed = [line.split()[:3] for line in lines if line.startswith("single_gaussian  gaussian_")]
    # Once by the loop over the fits, once by `autofit db list`.
    assert listed[:6] == [["single_gaussian", tag, "complete:"] for tag in tags]
    assert listed[6:] == [["single_gaussian", tag, "yes"] for tag in tags]

    expected = {
        "unique tag gaussian_3": ["gaussian_3"],
        "centre > 50": ["gaussian_4", "gaussian_5", "gaussian_6"],
        "telescope north": ["gaussian_1", "gaussian_3", "gaussian_5"],
        "north and centre > 50": ["gaussian_5"],
        "gaussian_1 or centre > 75": ["gaussian_1", "gaussian_6"],
        "not north": ["gaussian_2", "gaussian_4", "gaussian_6"],
        "north, then true centre < 50": ["gaussian_1", "gaussian_3"],
    }
    for label, result in expected.items():
        assert f"{label}: {result}" in lines, label

    # Each fit's median centre, from the lazily loaded summaries, is within its 3-sigma errors
    # of the truth.
    rows = re.findall(
        r"^(gaussian_\d)\s+(north|south)\s+(\S+)\s+(\S+) \+(\S+) -(\S+)$",
        "\n".join(lines),
        re.MULTILINE,
    )
    assert [row[0] for row in rows] == tags
    for tag, _, truth, median, upper_error, lower_error in rows:
        truth, median, upper_error, lower_error = map(
            float, (truth, median, upper_error, lower_error)
        )
        assert median - lower_error <= truth <= median + upper_error, tag

    assert "6 fits, 6 complete" in lines
    assert "6 fits in the output folders; the same as the database: True" in lines

    # The database the notebook wrote, read here: six complete fits with their info.
    agg = af.Aggregator.from_database(
        output_path / "database_walkthrough" / "database.sqlite", completed_only=True
    )
    assert [fit.unique_tag for fit in agg] == tags
    assert {fit.unique_tag: fit.info["telescope"] for fit in agg} == dict(
        zip(tags, ["north", "south"] * 3, strict=True)
    )
    assert [fit.search["type"] for fit in agg] == ["DynestyStatic"] * 6
