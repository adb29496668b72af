"""The log evidence when the analysis rejects part of the prior: every search reports the
evidence of the prior renormalised over the accepted region (dynesty.py, nautilus.py,
drawer.py)."""

from __future__ import annotations

import importlib.util
import math

import pytest
from scipy.stats import norm

import autofit as af


class Point:
    def __init__(self, x: float = 0.0, y: float = 0.0) -> None:
        self.x, self.y = x, y


class UnitGaussian(af.Analysis):
    """A normalised 2D Gaussian likelihood at (1, 0) with unit widths."""

    def log_likelihood_function(self, instance) -> float:
        return -0.5 * ((instance.x - 1.0) ** 2 + instance.y**2) - math.log(2.0 * math.pi)


class RejectNegativeX(UnitGaussian):
    """The same likelihood, with x < 0 rejected by a FitException instead of an assertion."""

    def log_likelihood_function(self, instance) -> float:
        if instance.x < 0.0:
            raise af.exc.FitException("x < 0")
        return super().log_likelihood_function(instance)


def model(assertion: bool) -> af.Model:
    point = af.Model(
        Point,
        x=af.UniformPrior(lower_limit=-5.0, upper_limit=5.0),
        y=af.UniformPrior(lower_limit=-5.0, upper_limit=5.0),
    )
    if assertion:
        point.add_assertion(point.x > 0.0)
    return point


#: The evidence over the accepted half of the prior box, x in (0, 5), y in (-5, 5): the prior
#: density there is 1 / 50.
ACCEPTED = math.log((norm.cdf(4.0) - norm.cdf(-1.0)) * (norm.cdf(5.0) - norm.cdf(-5.0)) / 50.0)

SEARCHES = {
    "DynestyStatic": lambda: af.DynestyStatic(nlive=100, seed=1, silence=True),
    "DynestyDynamic": lambda: af.DynestyDynamic(nlive=100, maxiter=3000, seed=1, silence=True),
    "Nautilus": lambda: af.Nautilus(n_live=500, seed=1, silence=True),
    "Drawer": lambda: af.Drawer(total_draws=4000, seed=1, silence=True),
    "UltraNest": lambda: af.UltraNest(min_num_live_points=200, seed=1, silence=True),
}
#: The module each optional search needs, and its extra.
OPTIONAL = {"Nautilus": ("nautilus", "nautilus"), "UltraNest": ("ultranest", "ultranest")}


@pytest.mark.parametrize("rejection", ["assertion", "fit_exception"])
@pytest.mark.parametrize("name", sorted(SEARCHES))
def test_the_evidence_is_that_of_the_accepted_region(name, rejection):
    if name in OPTIONAL and importlib.util.find_spec(OPTIONAL[name][0]) is None:
        pytest.skip(
            f"{OPTIONAL[name][0]} is not installed (pip install 'autofit[{OPTIONAL[name][1]}]')"
        )
    analysis = UnitGaussian() if rejection == "assertion" else RejectNegativeX()
    result = SEARCHES[name]().fit(model=model(rejection == "assertion"), analysis=analysis)
    samples = result.samples
    error = samples.samples_info.get("log_evidence_error") or 0.0
    # Counting the rejected half as zero likelihood would give ACCEPTED - ln 2 (0.69 lower).
    assert samples.log_evidence == pytest.approx(ACCEPTED, abs=max(4.0 * error, 0.2))
    assert samples.log_evidence > ACCEPTED - math.log(2.0) + 0.3


@pytest.mark.parametrize("name", ["DynestyStatic", "DynestyDynamic", "Drawer"])
def test_without_rejections_the_evidence_is_unchanged(name):
    # The whole box accepted: the evidence is that of the full prior, density 1 / 100.
    full = math.log((norm.cdf(4.0) - norm.cdf(-6.0)) * (norm.cdf(5.0) - norm.cdf(-5.0)) / 100.0)
    samples = SEARCHES[name]().fit(model=model(False), analysis=UnitGaussian()).samples
    error = samples.samples_info.get("log_evidence_error") or 0.0
    assert samples.log_evidence == pytest.approx(full, abs=max(4.0 * error, 0.2))
