"""Every search against closed forms: posterior moments, evidences, model comparison, resume."""

from __future__ import annotations

import importlib.util
import json
import math
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import autofit as af
from autofit.analysis import Analysis, Visualizer

ROOT = Path(__file__).resolve().parents[2]
SEED = 1

# -- the analytic targets -------------------------------------------------------------------------


@dataclass(frozen=True)
class GaussianTarget:
    """A normalised Gaussian likelihood with diagonal covariance inside uniform priors.

    The likelihood is the density of N(mean, diag(sigma^2)) at x, so with uniform priors
    U(lower_i, upper_i) the evidence is

        Z = prod_i [Phi(b_i) - Phi(a_i)] / (upper_i - lower_i),
        a_i = (lower_i - mean_i) / sigma_i,  b_i = (upper_i - mean_i) / sigma_i,

    and the posterior is the product of normals truncated to the prior box. Every prior edge is
    at least 5 sigma from the mean, so the truncation changes log Z by less than 1e-6 and the
    moments by less than 1e-5 sigma; the formulas below include it anyway.
    """

    mean: tuple[float, ...]
    sigma: tuple[float, ...]
    #: Distances of the lower and upper prior edges from the mean, in sigmas. They differ, so
    #: the centre of the prior is not the posterior mean.
    below: tuple[float, ...]
    above: tuple[float, ...]

    @property
    def names(self) -> list[str]:
        return [f"x{i}" for i in range(len(self.mean))]

    @property
    def lower(self) -> np.ndarray:
        return np.array(self.mean) - np.array(self.below) * np.array(self.sigma)

    @property
    def upper(self) -> np.ndarray:
        return np.array(self.mean) + np.array(self.above) * np.array(self.sigma)

    def model(self) -> af.Collection:
        """One uniform prior per dimension, named x0, x1, ..."""
        return af.Collection(
            **{
                name: af.UniformPrior(lower_limit=float(lower), upper_limit=float(upper))
                for name, lower, upper in zip(self.names, self.lower, self.upper, strict=True)
            }
        )

    def log_likelihood(self, points: np.ndarray) -> np.ndarray:
        """The log likelihood at each row of ``points``."""
        sigma = np.array(self.sigma)
        residuals = (np.atleast_2d(points) - np.array(self.mean)) / sigma
        return self.max_log_likelihood - 0.5 * np.sum(residuals**2, axis=1)

    @property
    def max_log_likelihood(self) -> float:
        """The log likelihood at the mean: ``-sum log(sqrt(2 pi) sigma_i)``."""
        return -float(np.sum(np.log(math.sqrt(2.0 * math.pi) * np.array(self.sigma))))

    @cached_property
    def _posterior(self) -> list[Any]:
        from scipy import stats

        return [
            stats.truncnorm(-below, above, loc=mean, scale=sigma)
            for mean, sigma, below, above in zip(
                self.mean, self.sigma, self.below, self.above, strict=True
            )
        ]

    @property
    def log_evidence(self) -> float:
        from scipy import stats

        inside = stats.norm.cdf(self.above) - stats.norm.cdf(-np.array(self.below))
        return float(np.sum(np.log(inside)) - np.sum(np.log(self.upper - self.lower)))

    @property
    def posterior_mean(self) -> np.ndarray:
        return np.array([marginal.mean() for marginal in self._posterior])

    @property
    def posterior_std(self) -> np.ndarray:
        return np.array([marginal.std() for marginal in self._posterior])


TARGETS = {
    "2d": GaussianTarget(mean=(1.0, -2.0), sigma=(1.0, 0.5), below=(8.0, 9.0), above=(10.0, 6.0)),
    "5d": GaussianTarget(
        mean=(0.5, -1.0, 2.0, 3.0, -4.0),
        sigma=(1.0, 0.5, 2.0, 0.3, 1.5),
        below=(5.0, 6.0, 5.0, 6.0, 5.0),
        above=(6.0, 5.0, 7.0, 5.0, 6.0),
    ),
}


def test_the_closed_forms_agree_with_quadrature():
    """Evidence and posterior moments of the 2D target by Simpson's rule on a 601 x 601 grid
    over the prior (exact to rounding for a Gaussian this well resolved)."""
    from scipy.integrate import simpson

    target = TARGETS["2d"]
    axes = [
        np.linspace(low, high, 601) for low, high in zip(target.lower, target.upper, strict=True)
    ]
    grid = np.meshgrid(*axes, indexing="ij")
    points = np.column_stack([values.ravel() for values in grid])
    density = np.exp(target.log_likelihood(points)).reshape(grid[0].shape)
    density /= np.prod(target.upper - target.lower)

    def integral(values: np.ndarray) -> float:
        return float(simpson(simpson(values, x=axes[1], axis=1), x=axes[0]))

    evidence = integral(density)
    mean = np.array([integral(density * values) for values in grid]) / evidence
    variance = np.array(
        [
            integral(density * (values - centre) ** 2)
            for values, centre in zip(grid, mean, strict=True)
        ]
    )
    assert math.log(evidence) == pytest.approx(target.log_evidence, abs=1e-9)
    np.testing.assert_allclose(mean, target.posterior_mean, atol=1e-9)
    np.testing.assert_allclose(np.sqrt(variance / evidence), target.posterior_std, rtol=1e-9)
    # The truncation by the prior is negligible: the untruncated values.
    np.testing.assert_allclose(target.posterior_mean, target.mean, atol=1e-9)
    np.testing.assert_allclose(target.posterior_std, target.sigma, rtol=1e-6)
    assert target.log_evidence == pytest.approx(
        -math.log(np.prod(target.upper - target.lower)), abs=1e-6
    )


class GaussianLikelihood(Analysis):
    """The likelihood of a :class:`GaussianTarget` (in plain Python: it is called thousands of
    times), counting its calls."""

    def __init__(self, target: GaussianTarget) -> None:
        self.target = target
        self.terms = list(zip(target.names, target.mean, target.sigma, strict=True))
        self.maximum = target.max_log_likelihood
        self.calls = 0

    def log_likelihood_function(self, instance: Any) -> float:
        self.calls += 1
        chi_squared = 0.0
        for name, mean, sigma in self.terms:
            residual = (getattr(instance, name) - mean) / sigma
            chi_squared += residual * residual
        return self.maximum - 0.5 * chi_squared


class JaxGaussianLikelihood(GaussianLikelihood):
    """The likelihood of a :class:`GaussianTarget` written with ``jax.numpy`` for the searches
    that need ``use_jax=True``; ``calls`` counts its traces (the compiled function is called
    without entering Python)."""

    def __init__(self, target: GaussianTarget) -> None:
        super().__init__(target)
        Analysis.__init__(self, use_jax=True)

    def log_likelihood_function(self, instance: Any) -> Any:
        self.calls += 1
        xp = self._xp
        values = xp.stack([getattr(instance, name) for name in self.target.names])
        residuals = (values - xp.asarray(self.target.mean)) / xp.asarray(self.target.sigma)
        return self.maximum - 0.5 * xp.sum(residuals * residuals)


# -- the searches ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchCase:
    """A registered search and the settings each test runs it with.

    ``kind`` says what the search promises: ``nested`` (weighted posterior samples and the
    evidence), ``mcmc`` (a chain), ``importance`` (weighted prior draws and the evidence) or
    ``optimizer`` (the maximum likelihood). A missing entry of ``settings`` means the test does
    not apply to the search.
    """

    name: str
    kind: str
    settings: dict[str, dict[str, Any]]
    #: The packages an optional search needs (with output: h5py for the samplers whose
    #: checkpoints are HDF5 files).
    packages: tuple[str, ...] = ()
    #: Whether the resumed fit repeats the uninterrupted one exactly (same seed: the random
    #: state is restored from the checkpoint).
    resumes_exactly: bool = True
    #: Whether a checkpoint is written before the search's last likelihood call (False when the
    #: only checkpoint holds the finished search).
    checkpoints_mid_run: bool = True
    #: Likelihood calls between the first update and the kill in the resume test.
    lost_calls: int = 10
    #: Whether the search needs a JAX likelihood (``use_jax=True``): its likelihood runs
    #: compiled, so the resume test kills it at its first update rather than from the likelihood.
    jax: bool = False

    def search_class(self) -> type:
        """The search class; skips the test when the search or its package is missing."""
        cls = getattr(af, self.name, None)
        if cls is None:
            pytest.skip(f"af.{self.name} is not part of this version of autofit")
        for package in self.packages:
            if importlib.util.find_spec(package) is None:
                pytest.skip(f"af.{self.name} needs the {package!r} package")
        return cls

    def analysis(self, target: GaussianTarget) -> GaussianLikelihood:
        """The likelihood of ``target`` this search fits (written with JAX when it needs it)."""
        return JaxGaussianLikelihood(target) if self.jax else GaussianLikelihood(target)

    def search(self, settings: str, **kwargs: Any) -> Any:
        if settings not in self.settings:
            pytest.skip(f"af.{self.name} has no {settings!r} settings in this test")
        return self.search_class()(
            **{"seed": SEED, "silence": True, **self.settings[settings], **kwargs}
        )


#: Comparison fits use the default settings (random walks), which are chosen for such models.
DYNESTY_COMPARISON = {"nlive": 50}

#: Nautilus with its defaults (chosen for few live points) and 100 live points.
NAUTILUS = {"n_live": 100}
ULTRANEST = {"min_num_live_points": 50, "min_ess": 200}
#: UltraNest's stopping criteria loosened for the comparison fits (its regions are slow to
#: build in 6 dimensions); the evidence errors it reports grow accordingly.
ULTRANEST_COMPARISON = {**ULTRANEST, "frac_remain": 0.5, "dlogz": 1.0}

CASES = [
    SearchCase(
        "DynestyStatic",
        "nested",
        {
            "2d": {"nlive": 50},
            "5d": {"nlive": 50},
            "comparison": DYNESTY_COMPARISON,
            "resume": {"nlive": 50, "iterations_per_update": 50},
        },
    ),
    SearchCase(
        "DynestyDynamic",
        "nested",
        {
            "2d": {"nlive": 50, "maxiter": 1500},
            "5d": {"nlive": 50, "maxiter": 1500},
            "comparison": {**DYNESTY_COMPARISON, "maxiter": 1500},
            "resume": {"nlive": 50, "maxiter": 1500, "iterations_per_update": 50},
        },
    ),
    SearchCase(
        "Emcee",
        "mcmc",
        {
            "2d": {"nwalkers": 20, "nsteps": 1000},
            "5d": {"nwalkers": 20, "nsteps": 1500},
            "resume": {"nwalkers": 20, "nsteps": 400, "iterations_per_update": 100},
        },
    ),
    SearchCase(
        "LBFGS",
        "optimizer",
        {"2d": {}, "5d": {}, "resume": {"iterations_per_update": 1}},
        # The optimiser converges in a few iterations: kill it soon after its first checkpoint.
        lost_calls=2,
        # scipy's curvature estimate is not checkpointed: a resumed fit starts a new one from
        # the checkpointed point, so it reaches the optimum by another path.
        resumes_exactly=False,
    ),
    SearchCase(
        "BFGS",
        "optimizer",
        {"2d": {}, "5d": {}, "resume": {"iterations_per_update": 1}},
        # The optimiser converges in a few iterations: kill it soon after its first checkpoint.
        lost_calls=2,
        # scipy's curvature estimate is not checkpointed: a resumed fit starts a new one from
        # the checkpointed point, so it reaches the optimum by another path.
        resumes_exactly=False,
    ),
    SearchCase(
        "Drawer",
        "importance",
        {
            "2d": {"total_draws": 5000},
            "5d": {"total_draws": 40000},
            "resume": {"total_draws": 2000},
        },
        checkpoints_mid_run=False,
    ),
    SearchCase(
        "Nautilus",
        "nested",
        {
            "2d": NAUTILUS,
            "5d": NAUTILUS,
            "comparison": NAUTILUS,
            "resume": {**NAUTILUS, "iterations_per_update": 300},
        },
        packages=("nautilus", "h5py"),
        # More than a batch of 100 calls: nautilus checkpoints again before the kill.
        lost_calls=150,
    ),
    SearchCase(
        "UltraNest",
        "nested",
        {
            "2d": ULTRANEST,
            "5d": ULTRANEST,
            "comparison": ULTRANEST_COMPARISON,
            "resume": {**ULTRANEST, "iterations_per_update": 300},
        },
        packages=("ultranest", "h5py"),
        resumes_exactly=False,
    ),
    SearchCase(
        "Zeus",
        "mcmc",
        {
            "2d": {"nwalkers": 20, "nsteps": 500},
            "5d": {"nwalkers": 20, "nsteps": 500},
            "resume": {"nwalkers": 20, "nsteps": 200, "iterations_per_update": 50},
        },
        packages=("zeus",),
    ),
    SearchCase(
        "BlackJAXNUTS",
        "mcmc",
        {
            "2d": {"num_warmup": 200, "num_samples": 400, "num_chains": 2},
            "5d": {"num_warmup": 200, "num_samples": 400, "num_chains": 2},
            "resume": {
                "num_warmup": 100,
                "num_samples": 300,
                "num_chains": 2,
                "iterations_per_update": 100,
            },
        },
        packages=("jax", "blackjax"),
        jax=True,
    ),
    SearchCase(
        "MultiStartAdam",
        "optimizer",
        {
            "2d": {"n_starts": 16, "n_steps": 400, "learning_rate": 0.05},
            "5d": {"n_starts": 16, "n_steps": 400, "learning_rate": 0.05},
            "resume": {
                "n_starts": 16,
                "n_steps": 400,
                "learning_rate": 0.05,
                "iterations_per_update": 100,
            },
        },
        packages=("jax", "optax"),
        jax=True,
    ),
]
CASES_BY_NAME = {case.name: case for case in CASES}
NESTED = [case for case in CASES if case.kind == "nested"]
SAMPLES_CLASS = {
    "nested": af.SamplesNest,
    "mcmc": af.SamplesMCMC,
    "optimizer": af.SamplesOptimizer,
    "importance": af.Samples,
}


def ids(case: SearchCase) -> str:
    return case.name


# -- what a search must get right -----------------------------------------------------------------


def effective_sample_size(samples: Any) -> float:
    """Independent samples the PDF is worth: Kish's ``1 / sum(w^2)`` for weighted samples, the
    number of post-burn-in samples over the largest integrated autocorrelation time for MCMC."""
    parameters, weights = samples.pdf()
    if isinstance(samples, af.SamplesMCMC):
        return parameters.shape[0] / float(np.max(samples.auto_correlation_times))
    weights = weights / weights.sum()
    return 1.0 / float(np.sum(weights**2))


def assert_posterior(samples: Any, target: GaussianTarget) -> None:
    """Mean, standard deviation and median of the PDF within 4 standard errors of the closed
    form. For ``n`` effective samples of a normal posterior the standard errors are
    ``sigma / sqrt(n)`` (mean), ``sigma / sqrt(2 n)`` (standard deviation) and
    ``sqrt(pi / 2) sigma / sqrt(n)`` (median)."""
    parameters, weights = samples.pdf()
    effective = effective_sample_size(samples)
    assert effective > 50, f"only {effective:.0f} effective samples"
    sigma = target.posterior_std
    mean = np.average(parameters, axis=0, weights=weights)
    std = np.sqrt(np.diag(samples.covariance_matrix()))
    median = np.array(samples.median_pdf(as_instance=False))
    np.testing.assert_array_less(
        np.abs(mean - target.posterior_mean), 4.0 * sigma / math.sqrt(effective)
    )
    np.testing.assert_array_less(np.abs(std - sigma), 4.0 * sigma / math.sqrt(2.0 * effective))
    np.testing.assert_array_less(
        np.abs(median - target.posterior_mean),
        4.0 * math.sqrt(math.pi / 2.0) * sigma / math.sqrt(effective),
    )


def evidence_error(samples: Any) -> float:
    """The reported error of the log evidence (nested samplers; 0 when none is reported, so
    the 0.3 floor applies), or for prior draws the standard error of the log of their mean
    likelihood, ``std(L) / (mean(L) sqrt(n))``."""
    if isinstance(samples, af.SamplesNest):
        return float(samples.log_evidence_error or 0.0)
    from scipy.special import logsumexp

    log_likelihood = samples.log_likelihood
    count = log_likelihood.size
    log_mean = logsumexp(log_likelihood) - math.log(count)
    relative = np.exp(log_likelihood - log_mean)
    return float(np.std(relative) / math.sqrt(count))


def assert_log_evidence(samples: Any, target: GaussianTarget) -> None:
    """Within ``max(4 x error, 0.3)`` of the closed form."""
    error = evidence_error(samples)
    assert 0.0 <= error < 1.0
    assert samples.log_evidence == pytest.approx(target.log_evidence, abs=max(4.0 * error, 0.3))


def assert_maximum(samples: Any, target: GaussianTarget) -> None:
    """The best point found within 0.01 sigma of the mean (= the mode) in every dimension,
    and its log likelihood within 1e-4 of the maximum."""
    best = np.array(samples.max_log_likelihood(as_instance=False))
    np.testing.assert_array_less(
        np.abs(best - np.array(target.mean)), 0.01 * np.array(target.sigma)
    )
    assert samples.log_likelihood.max() == pytest.approx(target.max_log_likelihood, abs=1e-4)
    # An optimiser's PDF is its best point.
    np.testing.assert_allclose(samples.median_pdf(as_instance=False), best, rtol=0, atol=0)


def assert_samples(samples: Any, case: SearchCase, target: GaussianTarget) -> None:
    """Everything a search of ``case.kind`` promises about a fit of ``target``."""
    assert type(samples) is SAMPLES_CLASS[case.kind]
    assert samples.parameters.shape == (samples.total_samples, len(target.mean))
    # Stored likelihoods are the likelihood at the stored parameters (not a posterior).
    np.testing.assert_allclose(
        samples.log_likelihood, target.log_likelihood(samples.parameters), rtol=1e-9, atol=1e-9
    )
    np.testing.assert_array_less(target.lower - 1e-12, samples.parameters.min(axis=0))
    np.testing.assert_array_less(samples.parameters.max(axis=0), target.upper + 1e-12)
    if case.kind == "optimizer":
        assert_maximum(samples, target)
        assert samples.log_evidence is None
        return
    assert_posterior(samples, target)
    if case.kind in ("nested", "importance"):
        assert_log_evidence(samples, target)
    else:
        assert samples.log_evidence is None


@pytest.mark.parametrize("target_name", TARGETS)
@pytest.mark.parametrize("case", CASES, ids=ids)
def test_search_recovers_the_analytic_gaussian(case, target_name):
    target = TARGETS[target_name]
    search = case.search(target_name)
    analysis = case.analysis(target)
    result = search.fit(model=target.model(), analysis=analysis)
    assert analysis.calls > 0
    assert_samples(result.samples, case, target)
    if case.kind == "nested":
        # Nested samples carry the error of their evidence (checked last: a missing error is a
        # gap in what the samples report, not a wrong answer).
        assert result.samples.log_evidence_error is not None, (
            f"af.{case.name} reports no log_evidence_error"
        )


# -- model comparison -----------------------------------------------------------------------------


def gaussian(centre: tuple, normalization: tuple, sigma: tuple) -> af.Model:
    """``af.ex.Gaussian`` with uniform priors between the given limits."""
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=centre[0], upper_limit=centre[1])
    model.normalization = af.UniformPrior(
        lower_limit=normalization[0], upper_limit=normalization[1]
    )
    model.sigma = af.UniformPrior(lower_limit=sigma[0], upper_limit=sigma[1])
    return model


def one_gaussian() -> af.Collection:
    return af.Collection(main=gaussian((0.0, 100.0), (0.0, 100.0), (0.0, 30.0)))


def two_gaussians() -> af.Collection:
    """The Gaussian of :func:`one_gaussian` and a second one right of it (centre in [70, 100]).

    Two Gaussians with the same centre prior share their flux along ridges that uniform
    sampling inside ellipsoids explores at about 1% efficiency (tens of thousands of calls);
    a second component at a separate place, where the data have none, asks the same question
    (is there a second Gaussian?) at a few thousand calls."""
    return af.Collection(
        main=gaussian((0.0, 100.0), (0.0, 100.0), (0.0, 30.0)),
        second=gaussian((70.0, 100.0), (0.0, 100.0), (5.0, 30.0)),
    )


@pytest.mark.parametrize("case", NESTED, ids=ids)
def test_evidence_prefers_one_gaussian_for_data_of_one_gaussian(case, data):
    """Data of one Gaussian (centre 50, normalization 25, sigma 10, 100 points, noise 0.1): two
    Gaussians fit as well (they contain the one), yet the evidence, which pays for the second
    component's prior volume, prefers one Gaussian by more than the error of the difference."""
    one, two = (
        case.search("comparison").fit(model=model(), analysis=af.ex.Analysis(*data)).samples
        for model in (one_gaussian, two_gaussians)
    )
    error = math.hypot(evidence_error(one), evidence_error(two))
    assert one.log_evidence - two.log_evidence > max(error, 1.0)
    assert two.log_likelihood.max() > one.log_likelihood.max() - 1.0
    # The single Gaussian is the one simulated.
    np.testing.assert_allclose(one.median_pdf(as_instance=False), [50.0, 25.0, 10.0], rtol=0.05)


# -- interrupt and resume -------------------------------------------------------------------------

RESUME_TARGET = TARGETS["2d"]

CHILD = """
import sys

sys.path.insert(0, {root!r})

from test_autofit.searches.test_conformance import child_fit

child_fit()
"""


def checkpoint_files(folder: Path) -> list[str]:
    """The sampler's files below ``files/search_internal`` (the driver's own state excluded)."""
    return sorted(
        os.path.relpath(os.path.join(directory, name), folder)
        for directory, _, names in os.walk(folder)
        for name in names
        if directory != str(folder) or name != "driver.json"
    )


class KillingVisualizer(Visualizer):
    """The driver calls ``visualize`` after each update, once the search's checkpoint is
    written (``during_analysis=True``), and once more when the search has finished. A JAX
    likelihood runs compiled (its Python code is not called again): it is killed here, at the
    first update."""

    @staticmethod
    def visualize(analysis: Any, paths: Any, instance: Any, during_analysis: bool) -> None:
        if during_analysis and analysis.is_jax:
            analysis.kill("update")
        elif during_analysis:
            analysis.updated = True
        else:
            analysis.kill("final update")


class KillingLikelihood(GaussianLikelihood):
    """SIGKILLs its own process ``lost_calls`` likelihood calls after the fit's first update
    (so the resumed run has work to redo), or at the final update of a search that makes no
    likelihood call after its first update. Before dying it checks that the search has written
    a checkpoint and records what it saw in ``report``."""

    Visualizer = KillingVisualizer

    def __init__(self, target: GaussianTarget, report: Path, lost_calls: int) -> None:
        super().__init__(target)
        self.report = report
        self.lost_calls = lost_calls
        self.updated = False
        self.after_update = 0

    def modify_before_fit(self, paths: Any, model: Any) -> Analysis:
        self.folder = paths.search_internal_path
        return self

    def kill(self, where: str) -> None:
        files = checkpoint_files(self.folder)
        driver = json.loads((self.folder / "driver.json").read_text())
        self.report.write_text(
            json.dumps({"where": where, "calls": self.calls, "files": files, "driver": driver})
        )
        if not files:
            raise AssertionError(f"no checkpoint in {self.folder} at the {where}")
        os.kill(os.getpid(), signal.SIGKILL)

    def log_likelihood_function(self, instance: Any) -> float:
        if self.updated:
            self.after_update += 1
            if self.after_update > self.lost_calls:
                self.kill("likelihood")
        return super().log_likelihood_function(instance)


class JaxKillingLikelihood(KillingLikelihood, JaxGaussianLikelihood):
    """:class:`KillingLikelihood` of a JAX likelihood: killed at its first update."""


def child_fit() -> None:
    """The fit a subprocess of the resume test runs: killed, or resumed after the kill."""
    case = CASES_BY_NAME[os.environ["CONFORMANCE_SEARCH"]]
    mode, report = os.environ["CONFORMANCE_MODE"], Path(os.environ["CONFORMANCE_REPORT"])
    if mode == "kill":
        killing = JaxKillingLikelihood if case.jax else KillingLikelihood
        analysis = killing(RESUME_TARGET, report.with_suffix(".killed.json"), case.lost_calls)
    else:
        analysis = case.analysis(RESUME_TARGET)
    case.search("resume", name="resumed").fit(model=RESUME_TARGET.model(), analysis=analysis)
    report.write_text(json.dumps({"calls": analysis.calls}))


def start_child(case: SearchCase, mode: str, tmp_path: Path, output_path: Path) -> Any:
    script = tmp_path / "child.py"
    script.write_text(CHILD.format(root=str(ROOT)))
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AUTOFIT_SKIP_VISUALIZATION", af.conf.CONFIG_PATH_VARIABLE)
    }
    environment.update(
        {
            af.conf.OUTPUT_PATH_VARIABLE: str(output_path),
            "CONFORMANCE_SEARCH": case.name,
            "CONFORMANCE_MODE": mode,
            "CONFORMANCE_REPORT": str(tmp_path / f"{mode}.json"),
        }
    )
    if mode != "kill":
        # Only the killed fit needs the visualisation hook; no search plots for the others.
        environment["AUTOFIT_SKIP_VISUALIZATION"] = "1"
    return subprocess.Popen(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: Any) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=300)
    return process.returncode, stderr


def driver_calls(folder: Path) -> int:
    """The likelihood calls of a fit recorded by the driver (all its runs together)."""
    return int(json.loads((folder / "files/search_internal/driver.json").read_text())["calls"])


def summary_value(folder: Path, key: str) -> str:
    for line in (folder / "search.summary").read_text().splitlines():
        if line.startswith(key):
            return line[len(key) :].strip()
    raise KeyError(key)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_search_resumes_after_sigkill(case, tmp_path, output_path, monkeypatch):
    """A fit SIGKILLed after its first checkpoint completes when run again, repeating fewer
    likelihood calls than an uninterrupted fit, with a correct posterior (and evidence)."""
    case.search("resume")  # skips searches that are missing or have no resume settings
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    # The fit that is killed runs in a subprocess while the uninterrupted one runs here.
    killed = start_child(case, "kill", tmp_path, output_path)
    fresh = case.analysis(RESUME_TARGET)
    case.search("resume", name="fresh").fit(model=RESUME_TARGET.model(), analysis=fresh)
    code, stderr = finish(killed)
    assert code == -signal.SIGKILL, f"the fit was not killed (exit {code}):\n{stderr}"

    kill = json.loads((tmp_path / "kill.killed.json").read_text())
    if case.checkpoints_mid_run:
        assert kill["where"] == ("update" if case.jax else "likelihood"), (
            f"af.{case.name} wrote its first checkpoint ({kill['files']}) only after its "
            f"last likelihood call, with iterations_per_update="
            f"{case.settings['resume']['iterations_per_update']}"
        )
    (folder,) = (output_path / "resumed").iterdir()
    assert not (folder / ".completed").exists()
    assert checkpoint_files(folder / "files" / "search_internal")

    code, stderr = finish(start_child(case, "resume", tmp_path, output_path))
    assert code == 0, stderr
    assert (folder / ".completed").exists()
    (fresh_folder,) = (output_path / "fresh").iterdir()
    if case.jax:
        # A compiled likelihood is not counted by the analysis: the driver's totals are.
        resumed_calls = driver_calls(folder) - kill["driver"]["calls"]
        assert 0 < resumed_calls < driver_calls(fresh_folder)
    else:
        assert json.loads((tmp_path / "resume.json").read_text())["calls"] < fresh.calls

    # Reload both completed fits (no sampling) and check the resumed one against the closed form.
    fresh_samples, resumed_samples = (
        case.search("resume", name=name)
        .fit(model=RESUME_TARGET.model(), analysis=case.analysis(RESUME_TARGET))
        .samples
        for name in ("fresh", "resumed")
    )
    assert_samples(resumed_samples, case, RESUME_TARGET)
    if case.resumes_exactly:
        np.testing.assert_array_equal(resumed_samples.parameters, fresh_samples.parameters)
        np.testing.assert_array_equal(resumed_samples.log_likelihood, fresh_samples.log_likelihood)
        np.testing.assert_array_equal(resumed_samples.weights, fresh_samples.weights)
        assert resumed_samples.log_evidence == fresh_samples.log_evidence
        # The summary's call count adds the calls recorded before the kill to those of the
        # resumed run: the total of the uninterrupted fit.
        key = "Total Likelihood Calls"
        assert summary_value(folder, key) == summary_value(fresh_folder, key)
