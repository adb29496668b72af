"""Fixtures of the model tests: the configuration directory holding their default priors."""

from __future__ import annotations

from pathlib import Path

import pytest

import autofit as af

CONFIG_PATH = Path(__file__).parent / "config"


@pytest.fixture(autouse=True, scope="module")
def model_configuration():
    """Search ``test_autofit/model/config`` before every other configuration directory, with
    ``AUTOFIT_CONFIG_PATH`` unset."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(af.conf.CONFIG_PATH_VARIABLE, raising=False)
        af.conf.instance.reset()
        af.conf.instance.push(new_path=CONFIG_PATH)
        yield CONFIG_PATH
        af.conf.instance.reset()
