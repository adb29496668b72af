"""Importing ``autofit`` is light and exposes the package version."""

import subprocess
import sys

HEAVY_MODULES = ("matplotlib", "sqlalchemy", "emcee", "dynesty", "corner", "scipy.optimize")


def test_import_does_not_load_heavy_modules():
    code = (
        "import autofit, sys; "
        f"bad = [m for m in {HEAVY_MODULES!r} if m in sys.modules]; "
        "assert not bad, bad"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stderr


def test_version_is_a_non_empty_string():
    import autofit as af

    assert isinstance(af.__version__, str)
    assert af.__version__
