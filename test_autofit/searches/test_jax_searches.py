"""af.BlackJAXNUTS and af.MultiStartAdam: settings and requirements checked before a fit starts
(their posteriors, maxima and resumes are tested in test_conformance.py)."""

from __future__ import annotations

import sys

import pytest

import autofit as af
from autofit.exc import SearchException

pytest.importorskip("jax")
pytest.importorskip("blackjax")
pytest.importorskip("optax")

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.1, seed=1)

SEARCHES = {
    "BlackJAXNUTS": lambda: af.BlackJAXNUTS(num_warmup=10, num_samples=10, name="nuts"),
    "MultiStartAdam": lambda: af.MultiStartAdam(n_starts=2, n_steps=5, name="adam"),
}


@pytest.mark.parametrize("name", SEARCHES)
def test_a_numpy_analysis_is_refused_before_anything_is_written(name, output_path):
    search = SEARCHES[name]()
    with pytest.raises(SearchException, match=rf"af.{name} .*use_jax=True.*has use_jax=False"):
        search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(DATA, NOISE_MAP))
    assert not output_path.exists() or not any(output_path.rglob("*.json"))


@pytest.mark.parametrize(
    "name, module, extra",
    [("BlackJAXNUTS", "blackjax", "blackjax"), ("MultiStartAdam", "optax", "optax")],
)
def test_a_missing_package_names_its_extra(name, module, extra, monkeypatch):
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(
        ImportError, match=rf"af.{name} needs the '{module}' package.*autofit\[{extra}\]"
    ):
        SEARCHES[name]()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: af.BlackJAXNUTS(target_accept=1.0), r"target_accept must lie strictly between"),
        (lambda: af.BlackJAXNUTS(num_samples=0), r"num_samples must be a whole number >= 1"),
        (lambda: af.MultiStartAdam(learning_rate=0.0), r"learning_rate must be positive"),
        (lambda: af.MultiStartAdam(n_start=4), r"n_starts"),
    ],
)
def test_bad_settings_are_named(make, message):
    with pytest.raises((ValueError, TypeError, SearchException), match=message):
        make()


def test_settings_are_part_of_the_identifier():
    model = af.Model(af.ex.Gaussian)
    assert af.BlackJAXNUTS(num_chains=2).identifier(model) != af.BlackJAXNUTS().identifier(model)
    assert af.MultiStartAdam(n_starts=8).identifier(model) != af.MultiStartAdam().identifier(model)
    assert af.BlackJAXNUTS().dict()["settings"]["num_warmup"] == 500
