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
from scipy import stats
from scipy.special import logsumexp

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
        return [
            stats.truncnorm(-below, above, loc=mean, scale=sigma)
            for mean, sigma, below, above in zip(
                self.mean, self.sigma, self.below, self.above, strict=True
            )
        ]

    @property
    def log_evidence(self) -> float:
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
    """The evidence and moments of the 2D target by numerical integration over the prior."""
    from scipy import integrate

    target = TARGETS["2d"]
    (x0_low, x1_low), (x0_high, x1_high) = target.lower, target.upper
    volume = (x0_high - x0_low) * (x1_high - x1_low)

    def density(x1, x0, power0=0, power1=0):
        value = np.exp(target.log_likelihood(np.array([[x0, x1]]))[0]) / volume
        return value * x0**power0 * x1**power1

    def integral(power0=0, power1=0):
        value, _ = integrate.dblquad(
            density, x0_low, x0_high, x1_low, x1_high, args=(power0, power1), epsabs=1e-13
        )
        return value

    evidence = integral()
    assert math.log(evidence) == pytest.approx(target.log_evidence, abs=1e-6)
    mean = np.array([integral(1, 0), integral(0, 1)]) / evidence
    second = np.array([integral(2, 0), integral(0, 2)]) / evidence
    np.testing.assert_allclose(mean, target.posterior_mean, atol=1e-6)
    np.testing.assert_allclose(np.sqrt(second - mean**2), target.posterior_std, rtol=1e-6)
    np.testing.assert_allclose(target.posterior_mean, target.mean, atol=1e-9)
    np.testing.assert_allclose(target.posterior_std, target.sigma, rtol=1e-6)
    assert target.log_evidence == pytest.approx(-math.log(volume), abs=1e-6)


class GaussianLikelihood(Analysis):
    """The likelihood of a :class:`GaussianTarget`, counting its calls."""

    def __init__(self, target: GaussianTarget) -> None:
        self.target = target
        self.calls = 0

    def log_likelihood_function(self, instance: Any) -> float:
        self.calls += 1
        point = np.array([[getattr(instance, name) for name in self.target.names]])
        return float(self.target.log_likelihood(point)[0])


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
    #: The package an optional search needs (None for the core searches).
    package: str | None = None
    #: Whether the resumed fit repeats the uninterrupted one exactly (same seed: the random
    #: state is restored from the checkpoint).
    resumes_exactly: bool = True
    #: Whether a checkpoint is written before the search's last likelihood call (False when the
    #: only checkpoint holds the finished search).
    checkpoints_mid_run: bool = True

    def search_class(self) -> type:
        """The search class; skips the test when the search or its package is missing."""
        cls = getattr(af, self.name, None)
        if cls is None:
            pytest.skip(f"af.{self.name} is not part of this version of autofit")
        if self.package is not None and importlib.util.find_spec(self.package) is None:
            pytest.skip(f"af.{self.name} needs the {self.package!r} package")
        return cls

    def search(self, settings: str, **kwargs: Any) -> Any:
        if settings not in self.settings:
            pytest.skip(f"af.{self.name} has no {settings!r} settings in this test")
        return self.search_class()(
            **{"seed": SEED, "silence": True, **self.settings[settings], **kwargs}
        )


#: Comparison fits: with 6 parameters and a degenerate second Gaussian, dynesty's uniform
#: sampling inside its ellipsoids accepts about 1% of its proposals; random walks keep the
#: fit to about 10 000 calls.
DYNESTY_COMPARISON = {"nlive": 50, "sample": "rwalk", "walks": 10}

#: Small settings for the optional nested samplers (their defaults aim at thousands of
#: effective samples).
NAUTILUS = {"n_live": 100, "n_eff": 500, "n_networks": 1}
ULTRANEST = {"min_num_live_points": 50, "min_ess": 200}

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
        {"2d": {}, "5d": {}, "resume": {"iterations_per_update": 2}},
    ),
    SearchCase(
        "BFGS",
        "optimizer",
        {"2d": {}, "5d": {}, "resume": {"iterations_per_update": 2}},
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
        package="nautilus",
    ),
    SearchCase(
        "UltraNest",
        "nested",
        {
            "2d": ULTRANEST,
            "5d": ULTRANEST,
            "comparison": ULTRANEST,
            "resume": {**ULTRANEST, "iterations_per_update": 300},
        },
        package="ultranest",
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
        package="zeus",
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
    analysis = GaussianLikelihood(target)
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


def gaussian_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=30.0)
    return model


@pytest.mark.parametrize("case", NESTED, ids=ids)
def test_evidence_prefers_one_gaussian_for_data_of_one_gaussian(case, data):
    """Data of one Gaussian (100 points, noise 0.1): two Gaussians fit at least as well (they
    contain the one), yet the evidence, which pays for the second component's prior volume,
    prefers one Gaussian by more than the error of the difference."""
    fits = {}
    for count in (1, 2):
        model = af.Collection(**{f"gaussian_{i}": gaussian_model() for i in range(count)})
        fits[count] = case.search("comparison").fit(model=model, analysis=af.ex.Analysis(*data))
    one, two = fits[1].samples, fits[2].samples
    error = math.hypot(evidence_error(one), evidence_error(two))
    assert one.log_evidence - two.log_evidence > error
    assert two.log_likelihood.max() > one.log_likelihood.max() - 1.0
    # The single Gaussian is the one simulated (centre 50, normalization 25, sigma 10).
    np.testing.assert_allclose(one.median_pdf(as_instance=False), [50.0, 25.0, 10.0], rtol=0.05)


# -- interrupt and resume -------------------------------------------------------------------------

#: Likelihood calls made after the first checkpoint before the process kills itself, so the
#: resumed run must redo work that was lost.
LOST_CALLS = 10
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
    @staticmethod
    def visualize(analysis: Any, paths: Any, instance: Any, during_analysis: bool) -> None:
        if not during_analysis:
            analysis.kill("final update")


class KillingLikelihood(GaussianLikelihood):
    """SIGKILLs its own process ``LOST_CALLS`` likelihood calls after the search's first
    checkpoint appears, or at the final update of a search whose only checkpoint is written
    after its last likelihood call. Before dying it writes what it saw to ``report``."""

    Visualizer = KillingVisualizer

    def __init__(self, target: GaussianTarget, report: Path) -> None:
        super().__init__(target)
        self.report = report
        self.after_checkpoint = 0

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
        if checkpoint_files(self.folder):
            self.after_checkpoint += 1
            if self.after_checkpoint > LOST_CALLS:
                self.kill("likelihood")
        return super().log_likelihood_function(instance)


def child_fit() -> None:
    """The fit a subprocess of the resume test runs (see :func:`run_child`)."""
    case = CASES_BY_NAME[os.environ["CONFORMANCE_SEARCH"]]
    mode, report = os.environ["CONFORMANCE_MODE"], Path(os.environ["CONFORMANCE_REPORT"])
    name = "fresh" if mode == "fresh" else "resumed"
    if mode == "kill":
        analysis = KillingLikelihood(RESUME_TARGET, report.with_suffix(".killed.json"))
    else:
        analysis = GaussianLikelihood(RESUME_TARGET)
    case.search("resume", name=name).fit(model=RESUME_TARGET.model(), analysis=analysis)
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


def summary_value(folder: Path, key: str) -> str:
    for line in (folder / "search.summary").read_text().splitlines():
        if line.startswith(key):
            return line[len(key) :].strip()
    raise KeyError(key)


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_search_resumes_after_sigkill(case, tmp_path, output_path):
    case.search("resume")  # skips searches that are missing or have no resume settings
    # The uninterrupted fit and the fit that is killed run side by side.
    fresh = start_child(case, "fresh", tmp_path, output_path)
    killed = start_child(case, "kill", tmp_path, output_path)
    code, stderr = finish(killed)
    assert code == -signal.SIGKILL, f"the fit was not killed (exit {code}):\n{stderr}"
    code, stderr = finish(fresh)
    assert code == 0, stderr

    kill = json.loads((tmp_path / "kill.killed.json").read_text())
    if case.checkpoints_mid_run:
        assert kill["where"] == "likelihood", (
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
    resumed_calls = json.loads((tmp_path / "resume.json").read_text())["calls"]
    fresh_calls = json.loads((tmp_path / "fresh.json").read_text())["calls"]
    assert resumed_calls < fresh_calls

    # Reload both completed fits (no sampling) and check the resumed one against the closed form.
    results = {
        name: case.search("resume", name=name).fit(
            model=RESUME_TARGET.model(), analysis=GaussianLikelihood(RESUME_TARGET)
        )
        for name in ("fresh", "resumed")
    }
    assert_samples(results["resumed"].samples, case, RESUME_TARGET)
    if case.resumes_exactly:
        fresh_samples, resumed_samples = results["fresh"].samples, results["resumed"].samples
        np.testing.assert_array_equal(resumed_samples.parameters, fresh_samples.parameters)
        np.testing.assert_array_equal(resumed_samples.weights, fresh_samples.weights)
        assert resumed_samples.log_evidence == fresh_samples.log_evidence
        # The summary's call count adds the calls recorded before the kill to the resumed
        # run's: the same total as the uninterrupted fit.
        (fresh_folder,) = (output_path / "fresh").iterdir()
        key = "Total Likelihood Calls"
        assert summary_value(folder, key) == summary_value(fresh_folder, key)
