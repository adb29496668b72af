"""The model.results text: maximum likelihood and each parameter's median with limits (text.py)."""

from __future__ import annotations

import re

import numpy as np
import pytest

import autofit as af
from autofit.result.text import results_text, search_summary_text

NUMBER = r"[-+]?\d*\.?\d+(?:e[-+]?\d+)?"


@pytest.fixture
def samples() -> af.Samples:
    rng = np.random.default_rng(3)
    n = 2000
    model = af.Collection(g=af.Model(af.ex.Gaussian), e=af.Model(af.ex.Exponential))
    parameters = rng.normal(size=(n, 6)) * [2.0, 0.1, 0.5, 5.0, 1.0, 0.01] + [
        50.0,
        1.0,
        5.0,
        30.0,
        10.0,
        0.05,
    ]
    log_likelihood = rng.normal(size=n)
    log_likelihood[17] = 123.456789
    return af.Samples(model, parameters, log_likelihood, np.full(n, -0.5))


def section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title) + 1
    body = []
    for line in lines[start:]:
        if line.strip() == "" and body:
            break
        if line.strip():
            body.append(line)
    return body


def parse_limits(lines: list[str]) -> dict[str, tuple[float, float, float]]:
    pattern = re.compile(rf"^(\S+)\s+({NUMBER})\s+\(({NUMBER}),\s*({NUMBER})\)$")
    parsed = {}
    for line in lines:
        match = pattern.match(line.strip())
        assert match, line
        parsed[match.group(1)] = tuple(float(match.group(i)) for i in (2, 3, 4))
    return parsed


def test_info_states_the_maximum_log_likelihood(samples):
    text = af.Result(samples=samples).info
    assert text == results_text(samples)
    line = next(line for line in text.splitlines() if line.startswith("Maximum Log Likelihood "))
    assert float(line.split()[-1]) == pytest.approx(123.456789, rel=1e-7)
    posterior = next(line for line in text.splitlines() if line.startswith("Maximum Log Posterior"))
    assert float(posterior.split()[-1]) == pytest.approx(123.456789 - 0.5, rel=1e-7)


def test_info_lists_the_maximum_likelihood_model(samples):
    text = results_text(samples)
    lines = section(text, "Maximum Log Likelihood Model:")
    values = {line.split()[0]: float(line.split()[1]) for line in lines}
    assert list(values) == samples.model.joined_paths
    assert list(values.values()) == pytest.approx(samples.parameters[17].tolist(), rel=1e-3)


@pytest.mark.parametrize("sigma", [1.0, 3.0])
def test_info_lists_each_median_with_its_limits(samples, sigma):
    text = results_text(samples)
    parsed = parse_limits(section(text, f"Summary ({sigma:g} sigma limits):"))
    assert list(parsed) == samples.model.joined_paths
    median = samples.median_pdf(as_instance=False)
    lower = samples.values_at_lower_sigma(sigma, as_instance=False)
    upper = samples.values_at_upper_sigma(sigma, as_instance=False)
    for (m, lo, hi), name, m_, lo_, hi_ in zip(
        parsed.values(), parsed, median, lower, upper, strict=True
    ):
        assert (m, lo, hi) == pytest.approx((m_, lo_, hi_), rel=1e-3), name


def test_info_of_empty_samples():
    empty = af.Samples(af.Model(af.ex.Gaussian), np.empty((0, 3)), [], [])
    assert "No samples" in results_text(empty)


def test_info_shows_the_evidence_when_there_is_one():
    samples = af.Samples(
        af.Model(af.ex.Gaussian),
        [[1.0, 2.0, 3.0]],
        [0.0],
        [0.0],
        samples_info={"log_evidence": -42.5},
    )
    line = next(line for line in results_text(samples).splitlines() if "Log Evidence" in line)
    assert float(line.split()[-1]) == -42.5


def test_search_summary_text_aligns_key_value_lines():
    text = search_summary_text({"total_likelihood_calls": 100, "time": "1.5s"})
    lines = text.splitlines()
    assert [line.split() for line in lines] == [["total_likelihood_calls", "100"], ["time", "1.5s"]]
    assert lines[0].index("100") == lines[1].index("1.5s")
