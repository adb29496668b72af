"""Tests of the initializers: where searches start, and what happens when nothing is finite."""

from __future__ import annotations

import numpy as np
import pytest

import autofit as af
from test_autofit.searches.analyses import AlwaysRejects, CountingAnalysis

NWALKERS = 20


def emcee(**kwargs) -> af.Emcee:
    settings = {
        "nwalkers": NWALKERS,
        "nsteps": 5,
        "auto_correlation_settings": af.AutoCorrelationsSettings(check_for_convergence=False),
        "seed": 1,
        "silence": True,
    }
    return af.Emcee(**{**settings, **kwargs})


def initial_units(model, analysis) -> np.ndarray:
    """The unit-cube positions of the first ``NWALKERS`` likelihood calls (the initial points)."""
    points = analysis.points[:NWALKERS]
    return np.array([model.unit_vector_from_vector(list(point)) for point in points])


def test_ball_starts_walkers_near_the_prior_median(model, data):
    analysis = CountingAnalysis(*data)
    samples = (
        emcee(initializer=af.InitializerBall(0.4, 0.6)).fit(model=model, analysis=analysis).samples
    )
    units = initial_units(model, analysis)
    assert np.all((0.4 <= units) & (units <= 0.6))
    # After one stretch move (z in [1/2, 2]) walkers on the linear priors (centre, sigma) lie
    # within one ball width of the ball: [0.2, 0.8] in the unit cube.
    first_step = samples.chain[0]
    first_units = np.array([model.unit_vector_from_vector(list(row)) for row in first_step])
    assert np.all((0.2 <= first_units[:, [0, 2]]) & (first_units[:, [0, 2]] <= 0.8))


def test_prior_initializer_spreads_over_the_unit_cube(model, data):
    analysis = CountingAnalysis(*data)
    emcee(initializer=af.InitializerPrior()).fit(model=model, analysis=analysis)
    units = initial_units(model, analysis)
    assert np.any((units < 0.2) | (units > 0.8))
    assert np.all((0.0 <= units) & (units <= 1.0))


def test_mcmc_searches_start_in_a_ball_around_the_prior_medians(model, data):
    # Emcee and Zeus start their walkers together; the other searches draw from the priors.
    assert af.Emcee().initializer.dict() == {
        "type": "InitializerBall",
        "lower": 0.49,
        "upper": 0.51,
    }
    assert af.DynestyStatic().initializer.dict() == {"type": "InitializerPrior"}
    assert af.LBFGS().initializer.dict() == {"type": "InitializerPrior"}
    analysis = CountingAnalysis(*data)
    emcee().fit(model=model, analysis=analysis)
    units = initial_units(model, analysis)
    assert np.all((0.49 <= units) & (units <= 0.51))


def test_zeus_starts_its_walkers_as_emcee_does():
    pytest.importorskip("zeus", reason="Zeus needs the zeus extra: pip install 'autofit[zeus]'")
    assert af.Zeus().initializer.dict() == af.Emcee().initializer.dict()


def test_ball_limits_are_validated():
    with pytest.raises(af.exc.SearchException, match="lower_limit"):
        af.InitializerBall(0.6, 0.4)
    with pytest.raises(af.exc.SearchException):
        af.InitializerBall(-0.1, 0.5)


def test_param_bounds_start_the_parameter_between_the_bounds(model, data):
    analysis = CountingAnalysis(*data)
    initializer = af.InitializerParamBounds({model.centre: (40.0, 60.0)})
    emcee(initializer=initializer).fit(model=model, analysis=analysis)
    starts = np.array(analysis.points[:NWALKERS])
    assert np.all((40.0 <= starts[:, 0]) & (starts[:, 0] <= 60.0))
    assert starts[:, 0].std() > 1.0
    assert initializer.dict(model) == {
        "type": "InitializerParamBounds",
        "bounds": {"centre": [40.0, 60.0]},
    }


def test_param_start_points_start_lbfgs_there(model, data):
    analysis = CountingAnalysis(*data)
    initializer = af.InitializerParamStartPoints({model.centre: 50.0})
    result = af.LBFGS(initializer=initializer, seed=1, silence=True).fit(
        model=model, analysis=analysis
    )
    # One start (drawn by the initializer), then the optimiser's first point is that start.
    assert analysis.points[0][0] == pytest.approx(50.0, abs=1e-9)
    assert result.samples.parameters[0][0] == pytest.approx(50.0, abs=1e-9)
    np.testing.assert_allclose(result.samples.parameters[0], analysis.points[0], rtol=1e-12)


def test_param_start_points_start_walkers_close_together(model, data):
    analysis = CountingAnalysis(*data)
    initializer = af.InitializerParamStartPoints({model.centre: 50.0})
    emcee(initializer=initializer).fit(model=model, analysis=analysis)
    centres = np.array(analysis.points[:NWALKERS])[:, 0]
    assert centres[0] == pytest.approx(50.0, abs=1e-9)
    # Further walkers within 1e-4 of the start in the unit cube (U(0, 100): 0.01).
    assert np.all(np.abs(centres - 50.0) <= 0.01 + 1e-9)
    assert len(set(centres.tolist())) > 1


def test_initializer_for_a_prior_not_in_the_model_raises(model, analysis):
    initializer = af.InitializerParamBounds({af.UniformPrior(0.0, 1.0): (0.2, 0.3)})
    with pytest.raises(af.exc.SearchException, match="not a free parameter"):
        emcee(initializer=initializer).fit(model=model, analysis=analysis)


@pytest.mark.parametrize(
    "search",
    [lambda: af.Drawer(total_draws=2, seed=1, silence=True), lambda: emcee(nwalkers=8)],
    ids=["drawer", "emcee"],
)
def test_no_finite_point_raises_search_exception(search, model):
    with pytest.raises(af.exc.SearchException, match=r"Initializer(Prior|Ball) found only 0 of"):
        search().fit(model=model, analysis=AlwaysRejects())


def collection_model() -> af.Collection:
    gaussian = af.Model(af.ex.Gaussian)
    gaussian.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    gaussian.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    gaussian.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)
    return af.Collection(gaussian=gaussian)


def test_param_bounds_info_lists_each_parameter_with_its_start_bounds():
    model = collection_model()
    initializer = af.InitializerParamBounds(
        {model.gaussian.centre: (40.0, 60.0), model.gaussian.sigma: (9.0, 11.0)},
        lower_limit=0.2,
        upper_limit=0.4,
    )
    assert initializer.info_from_model(model).splitlines() == [
        "Total Free Parameters = 3",
        "Total Starting Points = 2",
        "",
        "gaussian.centre: Start[(40.0, 60.0)]",
        # Without bounds: the physical range of the unit bounds 0.2 - 0.4 of its prior.
        "gaussian.normalization: Prior[(10, 20)] UniformPrior(lower_limit=0.0, upper_limit=50.0)",
        "gaussian.sigma: Start[(9.0, 11.0)]",
    ]


def test_param_start_points_info_lists_each_start_point():
    model = collection_model()
    initializer = af.InitializerParamStartPoints({model.gaussian.normalization: 25.0})
    lines = initializer.info_from_model(model).splitlines()
    assert lines[:2] == ["Total Free Parameters = 3", "Total Starting Points = 1"]
    assert (
        lines[3]
        == "gaussian.centre: Prior[(0, 100)] UniformPrior(lower_limit=0.0, upper_limit=100.0)"
    )
    assert lines[4] == "gaussian.normalization: Start[25.0]"


def test_info_of_a_prior_not_in_the_model_raises():
    model = collection_model()
    with pytest.raises(af.exc.SearchException, match="not a free parameter"):
        af.InitializerParamBounds({af.UniformPrior(0.0, 1.0): (0.1, 0.2)}).info_from_model(model)
