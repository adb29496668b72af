"""Fixtures of the aggregator tests: the study, read from a database and from folders."""

from __future__ import annotations

from pathlib import Path

import pytest

import autofit as af
import autofit.config
from autofit.aggregator import Aggregator
from test_autofit.aggregator.study import Study, write_study


@pytest.fixture(scope="session")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    """Ten complete fits and one interrupted fit, in a SQLite database and its output folders."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
        af.conf.instance.push(
            new_path=Path(autofit.config.__file__).parent,
            output_path=tmp_path_factory.mktemp("study") / "output",
        )
        try:
            return write_study(af.conf.instance.output_path.parent)
        finally:
            af.conf.instance.reset()


@pytest.fixture(params=["database", "directory"])
def aggregator(request: pytest.FixtureRequest, study: Study) -> Aggregator:
    """The study read from the database, then from its output folders."""
    if request.param == "database":
        return study.database_aggregator()
    return study.directory_aggregator()
