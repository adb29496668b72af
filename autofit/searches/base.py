"""The search driver: output folder, resume, update cadence and the result of a fit.

A search (``af.Emcee``, ``af.LBFGS``, ...) holds a small sampler adapter with ``run(context)``
(which resumes from its checkpoint when there is one) and ``to_samples(context, internal)``.
The driver does everything else, the same way for every sampler.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from autofit.analysis.fitness import Fitness
from autofit.config.visualization import skip_visualization
from autofit.exc import ModelException, SearchException
from autofit.model.identifier import canonical_form, identifier_of
from autofit.output.paths import AbstractPaths, DirectoryPaths, NullPaths, check_folder_name
from autofit.searches.initializer import AbstractInitializer, InitializerPrior
from autofit.searches.settings import (
    apply_aliases,
    check_unknown_keywords,
    jsonable,
    signature_names,
    whole_number,
)

__all__ = [
    "NonLinearSearch",
    "CheckpointWarning",
    "resolve_seed",
    "check_fit_arguments",
    "skip_visualization",
    "checkpoint_warning",
]

logger = logging.getLogger("autofit.search")

COMMON_ALIASES = {"iterations_per_full_update": "iterations_per_update"}


class CheckpointWarning(UserWarning):
    """A checkpoint could not be read and the search restarted from scratch."""


class NonLinearSearch:
    """The driver shared by every search (see the module docstring).

    Parameters
    ----------
    name
        Name of the fit: a folder of the output path. With neither ``name`` nor ``path_prefix``
        (nor ``paths``), nothing is written.
    path_prefix
        Folders above ``name``. ``name``, ``path_prefix`` and ``unique_tag`` must stay inside
        the output folder (no absolute path, no ``..``) and hold no newline.
    unique_tag
        Tag separating fits of different datasets; part of the identifier.
    number_of_cores
        Likelihoods run in a process pool of this size when > 1 (each worker receives the
        analysis and model once).
    iterations_per_update
        Iterations between checkpoints, sample files, summaries and visualisation
        (alias ``iterations_per_full_update``).
    initializer
        Where the search starts: ``af.InitializerPrior()`` by default, and
        ``af.InitializerBall(0.49, 0.51)`` (a small ball around the prior medians) for the MCMC
        searches Emcee and Zeus.
    session
        A database session to write the fit into (see the database documentation).
    paths
        Explicit output paths (overrides ``name`` / ``path_prefix``).
    seed
        Seed of every random number the search draws; the same seed, model and settings give
        the same samples. None draws a seed (recorded in ``samples_info.json``).
    silence
        Suppress progress bars and informational logging.
    pool
        A pool that evaluates the likelihoods instead of ``number_of_cores`` processes:
        ``af.MPIPool()`` spreads them over the ranks of an MPI job (see "Running at scale" in
        the documentation). Not with ``number_of_cores`` > 1; not for the optimisers (one
        point at a time) and the JAX gradient searches (one process, vectorised).
    """

    default_iterations_per_update = 500

    def __init__(
        self,
        name: str | None = None,
        path_prefix: str | Path | None = None,
        unique_tag: str | None = None,
        number_of_cores: int = 1,
        iterations_per_update: int | None = None,
        initializer: AbstractInitializer | None = None,
        session: Any = None,
        paths: AbstractPaths | None = None,
        seed: int | None = None,
        silence: bool = False,
        pool: Any = None,
        **kwargs: Any,
    ) -> None:
        if iterations_per_update is not None and "iterations_per_full_update" in kwargs:
            raise TypeError(
                "Give either 'iterations_per_update' or its alias 'iterations_per_full_update', "
                "not both"
            )
        kwargs = apply_aliases(kwargs, COMMON_ALIASES)
        if "iterations_per_update" in kwargs:
            iterations_per_update = kwargs.pop("iterations_per_update")
        check_unknown_keywords(type(self).__name__, kwargs, signature_names(type(self)))
        owner = type(self).__name__
        self.name = check_folder_name(name, "name")
        self.path_prefix = check_folder_name(path_prefix, "path_prefix")
        check_folder_name(unique_tag, "unique_tag")
        self.unique_tag = unique_tag
        self.number_of_cores = whole_number(owner, "number_of_cores", number_of_cores)
        self.pool = self._check_pool(pool)
        if iterations_per_update is None:
            iterations_per_update = self.default_iterations_per_update
        self.iterations_per_update = whole_number(
            owner, "iterations_per_update", iterations_per_update
        )
        self.initializer = initializer or self._default_initializer()
        self.session = session
        self._paths = paths
        self.seed = None if seed is None else whole_number(owner, "seed", seed, minimum=0)
        self.silence = silence

    #: Whether the search can hand its likelihoods to a ``pool`` (not the optimisers and the
    #: JAX gradient searches).
    takes_pool = True

    def _check_pool(self, pool: Any) -> Any:
        """``pool``, checked to be a pool this search can use with its other settings."""
        if pool is None:
            return None
        owner = type(self).__name__
        if not callable(getattr(pool, "start", None)):
            raise TypeError(
                f"{owner}: pool must be an autofit pool such as af.MPIPool() (an object whose "
                f"start(function) sends the likelihood to its workers once), got "
                f"{type(pool).__name__}; for processes on this machine use number_of_cores"
            )
        if not self.takes_pool:
            raise SearchException(
                f"{owner} takes no pool: it does not spread its likelihood calls over workers; "
                "leave out pool="
            )
        if self.number_of_cores > 1:
            raise SearchException(
                f"{owner}: give either pool= (likelihoods on the pool's workers) or "
                f"number_of_cores={self.number_of_cores} (likelihoods on processes of this "
                "machine), not both"
            )
        return pool

    # -- what subclasses provide -----------------------------------------------------------------

    #: The sampler adapter (set by subclasses in ``__init__``).
    adapter: Any = None

    @property
    def sampler_settings(self) -> dict[str, Any]:
        """The sampler's own settings (identifier and ``search.json``)."""
        return {}

    def _fitness(self, model: Any, analysis: Any) -> Fitness:
        return Fitness(model, analysis)

    # -- identity and output ---------------------------------------------------------------------

    def identifier_fields(self, model: Any) -> list[Any]:
        """What the identifier is a hash of: model, search class and settings, unique tag,
        initializer and seed (when given). Not name, path_prefix, cores or update cadence."""
        fields = [
            canonical_form(model),
            type(self).__name__,
            jsonable(self.sampler_settings),
            self.initializer.dict(model),
            self.unique_tag,
        ]
        if self.seed is not None:
            fields.append(int(self.seed))
        return fields

    def identifier(self, model: Any) -> str:
        """The identifier of fitting ``model`` with this search."""
        return identifier_of(self.identifier_fields(model))

    def paths_for(self, model: Any) -> AbstractPaths:
        """The output paths of fitting ``model`` (NullPaths when nothing is written)."""
        if self._paths is not None:
            paths = self._paths
        elif self.session is not None:
            from autofit.database.paths import DatabasePaths

            paths = DatabasePaths(self.session, self.name, self.path_prefix, self.unique_tag)
        elif not self.name and not self.path_prefix:
            return NullPaths()
        else:
            paths = DirectoryPaths(self.name, self.path_prefix, self.unique_tag)
        paths.identifier = self.identifier(model)
        return paths

    @property
    def paths(self) -> AbstractPaths | None:
        """The explicit paths given to the search, if any."""
        return self._paths

    def dict(self) -> dict[str, Any]:
        """The search's settings as JSON (``search.json``)."""
        return {
            "type": type(self).__name__,
            "name": self.name,
            "path_prefix": self.path_prefix,
            "unique_tag": self.unique_tag,
            "number_of_cores": self.number_of_cores,
            "iterations_per_update": self.iterations_per_update,
            "initializer": self.initializer.dict(),
            "seed": self.seed,
            "settings": jsonable(self.sampler_settings),
        }

    # -- fitting ---------------------------------------------------------------------------------

    def fit(self, model: Any, analysis: Any, info: dict[str, Any] | None = None) -> Any:
        """Fit ``model`` to the data of ``analysis`` and return the result.

        A fit whose output folder is marked complete is loaded without sampling; an interrupted
        fit resumes from its checkpoint.

        Parameters
        ----------
        model
            The model (``af.Model`` / ``af.Collection``).
        analysis
            The user's ``af.Analysis``.
        info
            Optional JSON-serialisable information stored with the fit (``files/info.json``).

        Raises
        ------
        TypeError
            If ``model`` is not a model (for example a class, which must be wrapped in
            ``af.Model``) or ``analysis`` is a class rather than an instance.
        ConfigException
            Before anything is written, if a parameter of the model has no prior (a "missing
            prior" placeholder left by ``af.Model``).
        ModelException
            Before anything is written, if the model has no free parameters.
        """
        from autofit.searches.driver import FitRun

        check_fit_arguments(type(self).__name__, model, analysis)
        self.check_model(model)
        self.check_analysis(analysis)
        return FitRun(self, model, analysis, info).run()

    def check_model(self, model: Any) -> None:
        """Check, before anything is written, that this search can fit ``model`` (a model with
        priors and free parameters); searches add their own conditions.

        Raises
        ------
        SearchException
            If a setting does not suit the model (for example too few walkers).
        """

    def check_analysis(self, analysis: Any) -> None:
        """Check, before anything is written, that this search can fit ``analysis``; searches
        that need a JAX likelihood require ``use_jax=True``.

        Raises
        ------
        SearchException
            If the analysis does not suit the search.
        """

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"

    @staticmethod
    def _default_initializer() -> AbstractInitializer:
        """The initializer used when none is given."""
        return InitializerPrior()


def check_fit_arguments(owner: str, model: Any, analysis: Any) -> None:
    """Check the model and analysis given to ``search.fit`` before anything runs or is written.

    Raises
    ------
    TypeError
        If ``model`` is a class or not a model, or ``analysis`` is a class.
    ConfigException
        If a parameter of the model has no prior.
    ModelException
        If the model has no free parameters.
    """
    from autofit.model.abstract import AbstractModel

    if isinstance(model, type):
        raise TypeError(
            f"{owner}.fit: model must be a model, got the class {model.__name__}: wrap it in "
            f"af.Model, e.g. model=af.Model({model.__name__})"
        )
    if not isinstance(model, AbstractModel):
        raise TypeError(
            f"{owner}.fit: model must be an af.Model, af.Collection or af.Array, got "
            f"{type(model).__name__} {model!r:.60}"
        )
    if isinstance(analysis, type):
        raise TypeError(
            f"{owner}.fit: analysis must be an instance, got the class {analysis.__name__}: "
            f"create it with its data, e.g. analysis={analysis.__name__}(data=..., ...)"
        )
    model.compiled.require_priors()
    if model.prior_count == 0:
        raise ModelException(
            f"{owner}.fit: the model has no free parameters (every parameter is fixed), so "
            f"there is nothing to fit: give at least one parameter a prior, e.g. "
            f"model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)"
        )


def resolve_seed(seed: int | None) -> int:
    """The given seed, or a fresh one from the operating system."""
    if seed is not None:
        return int(seed)
    return int(np.random.SeedSequence().generate_state(1)[0])


def checkpoint_warning(message: str) -> None:
    """Report a checkpoint that could not be used."""
    logger.warning(message)
    warnings.warn(message, CheckpointWarning, stacklevel=3)
