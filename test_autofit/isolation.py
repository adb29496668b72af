"""The isolated output folder that the workflow and database tests share.

A conftest makes it the autouse fixture of its folder by importing it::

    from test_autofit.isolation import PACKAGE_CONFIG, output_path  # noqa: F401
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import autofit as af
import autofit.config

__all__ = ["PACKAGE_CONFIG", "output_path"]

#: The package's own configuration folder (no user configuration from the working directory).
PACKAGE_CONFIG = Path(autofit.config.__file__).parent


@pytest.fixture(autouse=True)
def output_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every fit writes under ``tmp_path / "output"`` and draws no plots."""
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    monkeypatch.delenv(af.conf.OUTPUT_PATH_VARIABLE, raising=False)
    af.conf.instance.reset()
    output = tmp_path / "output"
    af.conf.instance.push(new_path=PACKAGE_CONFIG, output_path=output)
    yield output
    af.conf.instance.reset()
