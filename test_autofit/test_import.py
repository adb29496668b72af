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


def test_every_public_name_exists_and_is_documented():
    import inspect

    import autofit as af

    for name in af.__all__:
        assert hasattr(af, name), f"af.{name} is listed in __all__ but missing"
        value = getattr(af, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"af.{name} has no docstring"
