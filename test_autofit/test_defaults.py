"""The defaults lookup that ``import autofit`` installs reads ``af.conf.instance``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import autofit as af
import autofit.config
from autofit.config import Config
from autofit.defaults import ConfigDefaults
from autofit.model.defaults import defaults_lookup


class Thing:
    def __init__(self, x: float = 1.0) -> None:
        self.x = x


@pytest.fixture
def priors_directory(tmp_path: Path) -> Path:
    """A configuration directory giving ``Thing.x`` a uniform prior on [2, 3]."""
    path = tmp_path / "config" / "priors" / f"{__name__}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(
        textwrap.dedent(
            """\
            Thing:
              x: {type: Uniform, lower_limit: 2.0, upper_limit: 3.0}
            """
        ),
        encoding="utf-8",
    )
    return tmp_path / "config"


def test_installed_lookup_reads_the_configuration_instance_of_the_moment(
    priors_directory: Path, monkeypatch: pytest.MonkeyPatch
):
    lookup = defaults_lookup()
    assert isinstance(lookup, ConfigDefaults)
    assert lookup.config is af.conf.instance
    replacement = Config()
    replacement.push(priors_directory)
    monkeypatch.setattr(autofit.config, "instance", replacement)
    assert lookup.config is replacement
    prior = lookup.prior_for(Thing, ("x",))
    assert (type(prior), prior.lower_limit, prior.upper_limit) == (af.UniformPrior, 2.0, 3.0)


def test_lookup_given_a_configuration_reads_only_that_one(priors_directory: Path):
    config = Config()
    config.push(priors_directory)
    lookup = ConfigDefaults(config)
    assert lookup.config is config
    assert lookup.prior_for(Thing, ("x",)).upper_limit == 3.0
    assert ConfigDefaults(Config()).prior_for(Thing, ("x",)) is None
