"""Fixtures of the many-jobs tests: an isolated output folder, and fits of Gaussians whose
analysis counts its likelihood calls per process and can fail or kill its worker."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import autofit as af
from test_autofit.isolation import output_path  # noqa: F401


def gaussian_model() -> af.Model:
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    model.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=20.0)
    return model


class CountingAnalysis(af.ex.Analysis):
    """Appends a byte to ``<calls>/<tag>_<process id>`` at each likelihood call; kills its
    worker process (SIGKILL) at call ``kill_at`` unless ``marker`` exists (always without a
    marker), or raises."""

    def __init__(
        self,
        data: Any,
        noise_map: Any,
        tag: str,
        calls: Path | None = None,
        kill_at: int | None = None,
        marker: Path | None = None,
        fail: bool = False,
    ) -> None:
        super().__init__(data, noise_map)
        self.tag = tag
        self.calls = None if calls is None else str(calls)
        self.kill_at = kill_at
        self.marker = None if marker is None else str(marker)
        self.fail = fail
        self.count = 0
        self.parent = os.getpid()  # the process running the tests is never killed

    def log_likelihood_function(self, instance: Any) -> float:
        if self.fail:
            raise ValueError(f"{self.tag.replace('_', ' ')} is broken")
        self.count += 1
        if self.calls is not None:
            with open(Path(self.calls) / f"{self.tag}_{os.getpid()}", "a") as file:
                file.write("x")
        dying = self.count == self.kill_at and os.getpid() != self.parent
        if dying and (self.marker is None or not os.path.exists(self.marker)):
            if self.marker is not None:
                Path(self.marker).touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().log_likelihood_function(instance)


def fit_jobs(
    indices: int | list[int],
    name: str,
    session: Any = None,
    search: str = "drawer",
    calls: Path | None = None,
    kill: tuple[int, int, Path | None] | None = None,
    fail: int | None = None,
) -> Iterator[tuple[Any, af.Model, CountingAnalysis]]:
    """One fit per dataset ``dataset_<index>`` (a Gaussian at centre 40 + 5 index), made
    lazily. ``kill=(index, call, marker)`` kills the worker of that fit once at that call (at
    every attempt when ``marker`` is None);
    ``fail=index`` makes that fit's likelihood raise."""
    for index in range(indices) if isinstance(indices, int) else indices:
        truth = af.ex.Gaussian(centre=40.0 + 5.0 * index, normalization=20.0, sigma=5.0)
        data, noise = af.ex.simulate_data([truth], noise=0.1, seed=index)
        tag = f"dataset_{index}"
        if search == "drawer":
            fitter = af.Drawer(
                name=name, unique_tag=tag, total_draws=30, seed=index, session=session
            )
        else:
            fitter = af.Emcee(
                name=name,
                unique_tag=tag,
                nwalkers=8,
                nsteps=40,
                iterations_per_update=10,
                auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
                seed=index,
                session=session,
            )
        killed = kill is not None and kill[0] == index
        analysis = CountingAnalysis(
            data,
            noise,
            tag,
            calls=calls,
            kill_at=kill[1] if killed else None,
            marker=kill[2] if killed else None,
            fail=fail == index,
        )
        yield fitter, gaussian_model(), analysis


def counted_calls(calls: Path, tag: str) -> list[int]:
    """The likelihood calls of the fit ``tag`` in each process, oldest process first."""
    files = sorted(calls.glob(f"{tag}_*"), key=lambda path: path.stat().st_mtime)
    return [path.stat().st_size for path in files]
