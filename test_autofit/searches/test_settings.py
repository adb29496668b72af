"""Tests of the keyword checks of searches: unknown keywords name the closest valid one."""

from __future__ import annotations

import pytest

import autofit as af
from autofit.searches.settings import apply_aliases, check_unknown_keywords, jsonable


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
