"""af.BlackJAXNUTS: the No-U-Turn Sampler of the blackjax package, for JAX likelihoods.

An optional extra: ``pip install "autofit[blackjax]"``. The analysis must be created with
``use_jax=True``: NUTS follows the gradient of the log posterior, which JAX computes.

The chains move in unconstrained coordinates ``z`` with ``u = 1 / (1 + exp(-z))`` the unit-cube
vector of the priors and ``x`` its physical vector: the prior is absorbed by the transform, so
the density in ``z`` is ``L(x) u (1 - u)`` and no step ever leaves the priors. Every step of
every chain (vmapped over ``num_chains``) is one compiled call; the step size and diagonal
inverse mass matrix of each chain are tuned during ``num_warmup`` steps by window adaptation
(:mod:`autofit.searches.nuts_adaptation`), then ``num_samples`` steps are kept.

The random key of step ``i`` is derived from the seed and ``i`` alone, so a chain is the same
however it is cut into blocks. At every update of the sampling phase (each
``iterations_per_update`` steps) the chains' states, the tuned kernels and the samples so far are
checkpointed to ``files/search_internal/nuts.npz`` (no pickle, written atomically); a new fit of
the same search continues from there and gives the chain of an uninterrupted fit. A fit stopped
during warmup repeats its warmup.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autofit.exc import SearchException
from autofit.output.atomic import atomic_save_npz
from autofit.samples.mcmc import SamplesMCMC
from autofit.searches.base import NonLinearSearch
from autofit.searches.context import CheckpointError, RunContext
from autofit.searches.emcee import mcmc_initializer
from autofit.searches.nuts_adaptation import WindowAdaptation
from autofit.searches.optional import require
from autofit.searches.settings import whole_number

__all__ = ["BlackJAXNUTS", "NutsAdapter", "require_jax_analysis"]

CHECKPOINT = "nuts.npz"


def require_jax_analysis(search_name: str, analysis: Any) -> None:
    """Raise unless ``analysis`` was created with ``use_jax=True``.

    Raises
    ------
    SearchException
        Naming the search and what to change.
    """
    if not getattr(analysis, "is_jax", False):
        raise SearchException(
            f"af.{search_name} follows the gradient of the likelihood, which JAX computes: "
            f"create the analysis with use_jax=True (super().__init__(use_jax=True) in its "
            f"__init__) and write its log_likelihood_function with jax.numpy (self._xp); "
            f"{type(analysis).__name__} has use_jax=False"
        )


class _Chains:
    """The state of a NUTS run: the chains' positions and the samples kept so far."""

    def __init__(self, chains: int, dimensions: int, num_warmup: int, target_accept: float):
        self.iteration = 0
        self.adaptation = WindowAdaptation(chains, dimensions, num_warmup, target_accept)
        self.step_size = np.ones(chains)
        self.parameters: list[np.ndarray] = []
        self.log_posterior: list[np.ndarray] = []
        self.divergences = 0
        self.acceptance: list[float] = []
        self.state: Any = None

    @property
    def kept(self) -> int:
        """The number of sampling steps done (each keeps one sample per chain)."""
        return len(self.parameters)


class NutsAdapter:
    """Runs NUTS chains step by step, checkpointing at each update of the sampling phase.

    Parameters
    ----------
    num_warmup, num_samples, num_chains, target_accept, max_num_doublings
        See :class:`BlackJAXNUTS`.
    """

    def __init__(
        self,
        num_warmup: int,
        num_samples: int,
        num_chains: int,
        target_accept: float,
        max_num_doublings: int,
    ) -> None:
        self.num_warmup = num_warmup
        self.num_samples = num_samples
        self.num_chains = num_chains
        self.target_accept = target_accept
        self.max_num_doublings = max_num_doublings

    # -- the compiled step -----------------------------------------------------------------------

    def _functions(self, context: RunContext) -> tuple[Any, Any]:
        """``(init, step)``: the jitted, vmapped NUTS initialisation and step."""
        blackjax = require("blackjax", "blackjax", "BlackJAXNUTS")
        import jax

        jnp = jax.numpy
        fitness = context.fitness
        traceable = fitness.traceable
        kernel = blackjax.nuts.build_kernel()
        doublings = self.max_num_doublings

        def log_jacobian(z: Any) -> Any:
            return jnp.sum(jax.nn.log_sigmoid(z) + jax.nn.log_sigmoid(-z))

        def log_density(z: Any) -> Any:
            log_likelihood, _ = fitness.traced(traceable.vector_from_unit(jax.nn.sigmoid(z)))
            return log_likelihood + log_jacobian(z)

        def one_chain(key: Any, state: Any, step_size: Any, inverse_mass_matrix: Any) -> Any:
            state, info = kernel(
                key,
                state,
                log_density,
                step_size,
                inverse_mass_matrix,
                max_num_doublings=doublings,
            )
            vector = traceable.vector_from_unit(jax.nn.sigmoid(state.position))
            log_posterior = (
                state.logdensity - log_jacobian(state.position) + traceable.log_prior(vector)
            )
            return (
                state,
                vector,
                log_posterior,
                jnp.nan_to_num(info.acceptance_rate),
                info.num_integration_steps,
                info.is_divergent,
            )

        def step(root: Any, index: Any, state: Any, step_size: Any, matrix: Any) -> Any:
            keys = jax.random.split(jax.random.fold_in(root, index), self.num_chains)
            return jax.vmap(one_chain)(keys, state, step_size, matrix)

        init = jax.jit(jax.vmap(lambda z: blackjax.nuts.init(z, log_density)))
        return init, jax.jit(step)

    # -- checkpoints -----------------------------------------------------------------------------

    def _path(self, context: RunContext) -> Path | None:
        return None if context.checkpoint_path is None else context.checkpoint_path / CHECKPOINT

    def _save(self, path: Path, chains: _Chains) -> None:
        dimensions = chains.adaptation.inverse_mass_matrix.shape[1]
        position, log_density, gradient = (np.asarray(a) for a in chains.state)
        atomic_save_npz(
            path,
            iteration=np.array(chains.iteration),
            position=position,
            log_density=log_density,
            log_density_gradient=gradient,
            step_size=chains.step_size,
            parameters=np.array(chains.parameters, dtype=float).reshape(
                -1, self.num_chains, dimensions
            ),
            log_posterior=np.array(chains.log_posterior, dtype=float).reshape(-1, self.num_chains),
            divergences=np.array(chains.divergences),
            acceptance=np.array(chains.acceptance, dtype=float),
            **chains.adaptation.arrays(),
        )

    def _load(self, path: Path | None, dimensions: int) -> _Chains | None:
        """The checkpointed run, or None when there is none.

        Raises
        ------
        CheckpointError
            If the file is unreadable or holds chains of another shape.
        """
        if path is None or not path.exists():
            return None
        try:
            with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                arrays = {name: data[name] for name in data.files}
            chains = _Chains(self.num_chains, dimensions, self.num_warmup, self.target_accept)
            chains.adaptation.restore(arrays)
            chains.iteration = int(arrays["iteration"])
            chains.step_size = arrays["step_size"].astype(float)
            chains.parameters = list(arrays["parameters"].astype(float))
            chains.log_posterior = list(arrays["log_posterior"].astype(float))
            chains.divergences = int(arrays["divergences"])
            chains.acceptance = arrays["acceptance"].astype(float).tolist()
            state = (arrays["position"], arrays["log_density"], arrays["log_density_gradient"])
        except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
            raise CheckpointError(f"{path.name}: {error}") from error
        if state[0].shape != (self.num_chains, dimensions) or chains.kept != (
            chains.iteration - self.num_warmup
        ):
            raise CheckpointError(
                f"{path.name} holds chains of shape {state[0].shape} at step {chains.iteration}, "
                f"expected ({self.num_chains}, {dimensions}) after the warmup"
            )
        chains.state = state
        return chains

    # -- the run ---------------------------------------------------------------------------------

    def run(self, context: RunContext) -> _Chains:
        """Warm up (unless resuming after the warmup) and sample until ``num_samples`` steps."""
        import jax
        from blackjax.mcmc.hmc import HMCState

        dimensions = context.model.prior_count
        init, step = self._functions(context)
        path = self._path(context)
        chains = self._load(path, dimensions)
        jnp = jax.numpy
        if chains is None:
            chains = _Chains(self.num_chains, dimensions, self.num_warmup, self.target_accept)
            units, _, _ = context.initial_points(self.num_chains)
            units = np.clip(np.array(units, dtype=float), 1e-12, 1.0 - 1e-12)
            state = init(jnp.asarray(np.log(units) - np.log1p(-units)))
        else:
            state = HMCState(*(jnp.asarray(array) for array in chains.state))
        root = jax.random.key(context.seed % 2**32)
        total = self.num_warmup + self.num_samples
        progress = context.progress
        progress.start(total, chains.iteration, unit="step", best_name="max log posterior")
        while chains.iteration < total:
            warmup = chains.iteration < self.num_warmup
            if warmup:
                step_size = chains.adaptation.step_size
                matrix = chains.adaptation.inverse_mass_matrix
            else:
                step_size, matrix = chains.step_size, chains.adaptation.inverse_mass_matrix
            state, vector, log_posterior, acceptance, integration, divergent = step(
                root, chains.iteration, state, jnp.asarray(step_size), jnp.asarray(matrix)
            )
            acceptance = np.asarray(acceptance)
            context.fitness.calls += int(np.sum(np.asarray(integration)))
            if warmup:
                chains.adaptation.update(chains.iteration, np.asarray(state.position), acceptance)
                if chains.iteration + 1 == self.num_warmup:
                    chains.step_size = chains.adaptation.final_step_size
            else:
                chains.parameters.append(np.asarray(vector, dtype=float))
                chains.log_posterior.append(np.asarray(log_posterior, dtype=float))
                chains.divergences += int(np.count_nonzero(np.asarray(divergent)))
                chains.acceptance.append(float(np.mean(acceptance)))
            chains.iteration += 1
            chains.state = state
            progress.advance(1, best=float(np.max(np.asarray(log_posterior))))
            finished = chains.iteration >= total
            update = not warmup and chains.kept % context.iterations_per_update == 0
            if path is not None and (update or finished) and chains.kept:
                self._save(path, chains)
            if update and not finished:
                context.update(chains)
        return chains

    def to_samples(self, context: RunContext, chains: _Chains) -> SamplesMCMC:
        """The kept samples as :class:`SamplesMCMC` (all chains of each step together)."""
        dimensions = context.model.prior_count
        parameters = np.array(chains.parameters, dtype=float).reshape(-1, dimensions)
        log_posterior = np.array(chains.log_posterior, dtype=float).reshape(-1)
        info = {
            "kind": "mcmc",
            "nwalkers": self.num_chains,
            "num_warmup": self.num_warmup,
            "num_samples": self.num_samples,
            "total_steps": chains.kept,
            "step_size": np.asarray(chains.step_size, dtype=float).tolist(),
            "divergences": chains.divergences,
            "acceptance_fraction": float(np.mean(chains.acceptance)) if chains.acceptance else 0.0,
            "seed": context.seed,
        }
        return SamplesMCMC.from_chain(context.model, parameters, log_posterior, info)


class BlackJAXNUTS(NonLinearSearch):
    """The No-U-Turn Sampler of blackjax, with window adaptation (see the module docstring).

    Needs the ``blackjax`` extra (``pip install "autofit[blackjax]"``) and an analysis created
    with ``use_jax=True``.

    Parameters
    ----------
    num_warmup
        Warmup steps of every chain, tuning its step size and diagonal inverse mass matrix
        (not kept).
    num_samples
        Steps kept after the warmup, per chain.
    num_chains
        Independent chains, advanced together in one vmapped call per step.
    target_accept
        The mean acceptance rate the step size is tuned for.
    max_num_doublings
        The most doublings of a trajectory (at most ``2 ** max_num_doublings`` leapfrog steps
        per sample).
    **kwargs
        The common search keywords of :class:`~autofit.searches.base.NonLinearSearch`
        (``name``, ``path_prefix``, ``unique_tag``, ``iterations_per_update``,
        ``initializer``, ``session``, ``paths``, ``seed``, ``silence``). ``number_of_cores`` is
        accepted and unused: the chains run in JAX's own threads.

    Raises
    ------
    ImportError
        If blackjax is not installed.

    Examples
    --------
    >>> search = af.BlackJAXNUTS(num_warmup=300, num_samples=500, num_chains=2, seed=1)
    >>> result = search.fit(model=model, analysis=Analysis(data, noise_map, use_jax=True))
    """

    default_iterations_per_update = 500
    #: The chains run in one process, vmapped: no likelihood pool.
    uses_driver_pool = False
    takes_pool = False

    _default_initializer = staticmethod(mcmc_initializer)

    def __init__(
        self,
        num_warmup: int = 500,
        num_samples: int = 1000,
        num_chains: int = 1,
        target_accept: float = 0.8,
        max_num_doublings: int = 10,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        require("blackjax", "blackjax", "BlackJAXNUTS")
        self.num_warmup = whole_number("BlackJAXNUTS", "num_warmup", num_warmup, minimum=0)
        self.num_samples = whole_number("BlackJAXNUTS", "num_samples", num_samples)
        self.num_chains = whole_number("BlackJAXNUTS", "num_chains", num_chains)
        self.max_num_doublings = whole_number(
            "BlackJAXNUTS", "max_num_doublings", max_num_doublings
        )
        if not 0.0 < float(target_accept) < 1.0:
            raise ValueError(
                f"BlackJAXNUTS: target_accept must lie strictly between 0 and 1, got "
                f"target_accept={target_accept!r}"
            )
        self.target_accept = float(target_accept)
        self.adapter = NutsAdapter(
            self.num_warmup,
            self.num_samples,
            self.num_chains,
            self.target_accept,
            self.max_num_doublings,
        )

    def check_analysis(self, analysis: Any) -> None:
        """The analysis must have been created with ``use_jax=True``.

        Raises
        ------
        SearchException
            If it was not.
        """
        require_jax_analysis("BlackJAXNUTS", analysis)

    @property
    def sampler_settings(self) -> dict[str, Any]:
        return {
            "num_warmup": self.num_warmup,
            "num_samples": self.num_samples,
            "num_chains": self.num_chains,
            "target_accept": self.target_accept,
            "max_num_doublings": self.max_num_doublings,
        }
