"""The study the aggregator tests read: fits written into a results database and output folders."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import autofit as af
from autofit.aggregator import Aggregator
from autofit.database.session import open_database
from autofit.exc import LikelihoodException

#: Fits 0-9 are complete; "interrupted" stopped at its first likelihood call.
COMPLETE = [f"fit_{index}" for index in range(10)]
INTERRUPTED = "interrupted"
EXPONENTIAL_FITS = {"fit_2", "fit_5", "fit_8"}


class StudyAnalysis(af.ex.Analysis):
    """The example analysis, also saving a JSON file and computing one latent variable."""

    LATENT_KEYS = ["centre_plus_one"]

    def __init__(self, data, noise_map, index: int) -> None:
        super().__init__(data, noise_map)
        self.index = index

    def save_attributes(self, paths) -> None:
        super().save_attributes(paths)
        paths.save_json("settings", {"index": self.index, "label": f"dataset {self.index}"})

    def compute_latent_variables(self, parameters, model):
        return (model.instance_from_vector(parameters).profile.centre + 1.0,)


class FailingAnalysis(af.ex.Analysis):
    """An analysis whose likelihood fails at once: its fit never completes."""

    def log_likelihood_function(self, instance) -> float:
        raise RuntimeError("stopped")


def study_model(index: int) -> af.Collection:
    """Fit ``index``: a Gaussian (an Exponential for 2, 5, 8) whose centre lies in
    [10 index, 10 index + 1]."""
    cls = af.ex.Exponential if f"fit_{index}" in EXPONENTIAL_FITS else af.ex.Gaussian
    profile = af.Model(cls)
    profile.centre = af.UniformPrior(lower_limit=10.0 * index, upper_limit=10.0 * index + 1.0)
    return af.Collection(profile=profile)


def study_info(index: int) -> dict:
    return {
        "index": index,
        "parity": "even" if index % 2 == 0 else "odd",
        "good": index % 4 == 0,
        "tags": [index],
    }


@dataclass(frozen=True)
class Study:
    """Where the study is stored and the identifier of each fit by name."""

    database: Path
    output: Path
    ids: dict[str, str]

    def database_aggregator(self, **kwargs) -> Aggregator:
        return Aggregator.from_database(self.database, **kwargs)

    def directory_aggregator(self, **kwargs) -> Aggregator:
        return Aggregator.from_directory(self.output, **kwargs)


def write_study(root: Path) -> Study:
    """Write the study into ``root / "results.sqlite"`` and ``root / "output"`` (the caller pushes
    that output path)."""
    database = root / "results.sqlite"
    output = root / "output"
    session = open_database(database)
    data, noise_map = af.ex.simulate_data(noise=0.1)
    ids = {}
    for index, name in enumerate(COMPLETE):
        model = study_model(index)
        search = af.Drawer(
            total_draws=20,
            name=name,
            path_prefix="study" if index < 7 else "pilot",
            unique_tag=f"dataset_{index // 2}",
            session=session,
            seed=index,
            silence=True,
        )
        ids[name] = search.identifier(model)
        search.fit(
            model=model, analysis=StudyAnalysis(data, noise_map, index), info=study_info(index)
        )
    model = af.Model(af.ex.Gaussian)
    search = af.Drawer(
        total_draws=20, name=INTERRUPTED, path_prefix="study", session=session, seed=1, silence=True
    )
    ids[INTERRUPTED] = search.identifier(model)
    try:
        search.fit(model=model, analysis=FailingAnalysis(data, noise_map))
    except LikelihoodException:
        pass  # the fit stops at its first likelihood call, as if the job were killed
    else:
        raise AssertionError("the interrupted fit of the study completed")
    session.close()
    return Study(database, output, ids)
