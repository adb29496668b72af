"""Tests of the keyword checks of searches: unknown keywords name the closest valid one, and
counts (walkers, steps, iterations, draws, seeds) must be whole numbers."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autofit as af
from autofit.searches.settings import (
    apply_aliases,
    check_unknown_keywords,
    jsonable,
    whole_number,
)


@pytest.mark.parametrize(
    ("search", "keyword", "closest"),
    [
        (af.Emcee, "nwalker", "nwalkers"),
        (af.Emcee, "nstep", "nsteps"),
        (af.Emcee, "iterations_per_updates", "iterations_per_update"),
        (af.LBFGS, "maxiters", "maxiter"),
        (af.BFGS, "gtoll", "gtol"),
        (af.Drawer, "total_draw", "total_draws"),
        (af.Drawer, "number_of_core", "number_of_cores"),
    ],
)
def test_unknown_keyword_names_closest_valid_one(search, keyword, closest):
    with pytest.raises(TypeError) as info:
        search(**{keyword: 10})
    message = str(info.value)
    assert repr(keyword) in message
    assert f"did you mean {closest!r}" in message
    assert search.__name__ in message


def test_unknown_keyword_with_no_close_match_lists_valid_keywords():
    with pytest.raises(TypeError) as info:
        af.Emcee(zzzz=1)
    message = str(info.value)
    assert "did you mean" not in message
    assert "nwalkers" in message and "name" in message


def test_optimizer_keywords_of_another_search_are_rejected():
    # nwalkers belongs to Emcee, not to the optimisers.
    with pytest.raises(TypeError, match="nwalkers"):
        af.LBFGS(nwalkers=10)


def test_check_unknown_keywords_accepts_no_keywords():
    check_unknown_keywords("Search", {}, ["a"])


def test_apply_aliases_renames_and_rejects_both():
    assert apply_aliases({"old": 1, "x": 2}, {"old": "new"}) == {"new": 1, "x": 2}
    with pytest.raises(TypeError, match="'new'"):
        apply_aliases({"old": 1, "new": 2}, {"old": "new"})


def test_jsonable_converts_settings():
    settings = af.AutoCorrelationsSettings(check_size=5)
    assert jsonable({"a": (1, 2.5), 3: settings, "b": None}) == {
        "a": [1, 2.5],
        "3": settings.dict(),
        "b": None,
    }


class TestWholeNumbers:
    """Settings that count things are checked when the search is made (before, ``nsteps=0``
    ran and failed deep inside the sampler, and ``nwalkers=10.5`` or ``seed=1.5`` were
    truncated silently)."""

    @pytest.mark.parametrize(
        ("make", "shown"),
        [
            (lambda: af.Emcee(nsteps=0), "Emcee: nsteps must be a whole number >= 1, got 0"),
            (lambda: af.Emcee(nsteps=-5), "Emcee: nsteps must be a whole number >= 1, got -5"),
            (
                lambda: af.Emcee(nwalkers=10.5),
                "Emcee: nwalkers must be a whole number >= 2, got 10.5",
            ),
            (lambda: af.Emcee(nwalkers="50"), "nwalkers must be a whole number >= 2, got '50'"),
            (lambda: af.LBFGS(maxiter=0), "LBFGS: maxiter must be a whole number >= 1, got 0"),
            (lambda: af.BFGS(maxiter=0), "BFGS: maxiter must be a whole number >= 1, got 0"),
            (
                lambda: af.Drawer(total_draws=0),
                "Drawer: total_draws must be a whole number >= 1, got 0",
            ),
            (
                lambda: af.AutoCorrelationsSettings(check_size=0),
                "AutoCorrelationsSettings: check_size must be a whole number >= 1, got 0",
            ),
            (
                lambda: af.Emcee(seed="abc"),
                "Emcee: seed must be a whole number >= 0, got 'abc' of type str",
            ),
            (lambda: af.Drawer(seed=1.5), "Drawer: seed must be a whole number >= 0, got 1.5"),
            (lambda: af.LBFGS(seed=-1), "LBFGS: seed must be a whole number >= 0, got -1"),
            (lambda: af.Emcee(seed=True), "seed must be a whole number >= 0, got True"),
            (
                lambda: af.Emcee(number_of_cores="2"),
                "number_of_cores must be a whole number >= 1, got '2'",
            ),
            (
                lambda: af.Emcee(iterations_per_update=0),
                "iterations_per_update must be a whole number >= 1, got 0",
            ),
        ],
    )
    def test_a_bad_count_is_an_error_naming_the_keyword(self, make, shown):
        with pytest.raises(af.exc.SearchException, match=re.escape(shown)):
            make()

    @pytest.mark.parametrize(
        ("make", "shown"),
        [
            (lambda: af.Zeus(nsteps=0), "Zeus: nsteps must be a whole number >= 1, got 0"),
            (
                lambda: af.Zeus(nwalkers=7.5),
                "Zeus: nwalkers must be a whole number >= 2, got 7.5",
            ),
        ],
    )
    def test_zeus_checks_its_counts(self, make, shown):
        with pytest.raises(af.exc.SearchException, match=re.escape(shown)):
            make()

    def test_whole_floats_and_numpy_integers_are_accepted(self):
        search = af.Emcee(nwalkers=np.int64(20), nsteps=1e4, seed=np.uint8(3))

        assert (search.nwalkers, search.nsteps, search.seed) == (20, 10_000, 3)
        assert type(search.nsteps) is int and type(search.seed) is int

    def test_whole_number_has_no_lower_bound_when_asked(self):
        assert whole_number("Search", "offset", -3, minimum=None) == -3
