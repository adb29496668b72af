"""Importing autofit or autofit.plot does not import matplotlib or corner (autofit/plot/__init__.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import numpy as np
{imports}
loaded = sorted(m for m in ("matplotlib", "matplotlib.pyplot", "corner") if m in sys.modules)
print(",".join(loaded))
"""


def loaded_after(imports: str) -> list[str]:
    completed = subprocess.run(
        [sys.executable, "-c", CHECK.format(imports=imports)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    return [name for name in completed.stdout.strip().split(",") if name]


def test_import_autofit_does_not_import_matplotlib():
    assert loaded_after("import autofit") == []


def test_import_autofit_plot_does_not_import_matplotlib_until_a_plot_is_drawn():
    assert loaded_after("import autofit.plot as aplt") == []
    drawn = loaded_after(
        "import tempfile, autofit as af, autofit.plot as aplt\n"
        "samples = af.SamplesOptimizer(af.Model(af.ex.Gaussian), np.ones((4, 3)) + np.arange(4)[:, None],"
        " np.arange(4.0), np.zeros(4))\n"
        "aplt.subplot_parameters(samples, path=tempfile.mkdtemp(), format='png')"
    )
    # Saving to a file needs neither pyplot nor corner.
    assert drawn == ["matplotlib"]
