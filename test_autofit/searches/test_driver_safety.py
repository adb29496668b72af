"""Tests of the driver's safety checks: names that stay inside the output folder, unreadable
driver state, leftover temporary files."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from test_autofit.searches.analyses import CountingAnalysis


def drawer(**kwargs) -> af.Drawer:
    return af.Drawer(**{"total_draws": 20, "seed": 1, "silence": True, **kwargs})


def fit_folder(output_path: Path, name: str) -> Path:
    (folder,) = (output_path / name).iterdir()
    return folder


@pytest.mark.parametrize(
    ("keywords", "message"),
    [
        ({"name": "../elsewhere"}, r"name='\.\./elsewhere' has a '\.\.' part"),
        ({"path_prefix": "project/../../up"}, r"path_prefix=.* has a '\.\.' part"),
        ({"path_prefix": "/tmp/absolute"}, r"path_prefix='/tmp/absolute' is an absolute path"),
        ({"name": "C:\\fits"}, "is an absolute path"),
        ({"name": "two\nlines"}, "holds a newline"),
        ({"unique_tag": "tag\r"}, "unique_tag=.* holds a newline"),
    ],
)
def test_names_escaping_the_output_folder_are_rejected_at_construction(keywords, message):
    with pytest.raises(af.exc.SearchException, match=message):
        drawer(**keywords)
    with pytest.raises(af.exc.SearchException, match=message):
        af.DirectoryPaths(**keywords)


def test_nested_relative_names_are_accepted(output_path, data, model):
    search = drawer(name="fits/one", path_prefix="project/./dataset", unique_tag="tag")
    search.fit(model=model, analysis=CountingAnalysis(*data))
    assert list(output_path.glob("project/dataset/tag/fits/one/*/.completed"))


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"seed": "abc"}', ""])
def test_corrupt_driver_state_warns_and_the_fit_completes(content, output_path, data, model):
    emcee = af.Emcee(nwalkers=10, nsteps=20, iterations_per_update=10, seed=2, silence=True)
    emcee.name = "driver"
    emcee.fit(model=model, analysis=CountingAnalysis(*data))
    folder = fit_folder(output_path, "driver")
    (folder / ".completed").unlink()
    state = folder / "files" / "search_internal" / "driver.json"
    state.write_text(content)
    with pytest.warns(af.searches.CheckpointWarning, match="driver.json is corrupt"):
        result = emcee.fit(model=model, analysis=CountingAnalysis(*data))
    assert (folder / ".completed").exists()
    assert result.samples.parameters.shape == (200, 3)
    assert set(json.loads(state.read_text())) >= {"seed", "time", "calls"}
    assert np.isfinite(result.log_likelihood)
