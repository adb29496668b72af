"""emcee's stretch move, stepped with whole arrays for ``af.Emcee(vectorize=True)``.

emcee's own ``EnsembleSampler.sample`` spends most of a step on bookkeeping that does not depend
on the likelihood: a copy of the random state at every step, several calls to the random
generator per half of the ensemble, a Python loop over the walkers to accept them, per-walker
checks. With a batched likelihood that bookkeeping dominates, so :func:`vectorized_sample` steps
the same sampler with array operations: the parallel stretch move of Goodman & Weare (2010) and
Foreman-Mackey et al. (2013), each half of the ensemble moved in one batch against the other.
The halves are fixed (the first ``ceil(nwalkers / 2)`` walkers and the rest), as in the original
algorithm and in emcee before version 3; emcee 3 draws the halves at random at every step. Both
leave the posterior invariant.

The random numbers of a block of steps are drawn in one call from the sampler's generator before
the block starts: stretch factors, partners and acceptance draws for every walker, step after
step, so that a chain does not depend on how its steps are split into blocks. The chain has the
stationary distribution of emcee's own, but is not emcee's chain number for number. The
generator's state after the draw goes into the backend with the block, so a resumed run draws
the same numbers an uninterrupted run would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

__all__ = ["vectorized_sample", "supports_vectorized_sample"]


def supports_vectorized_sample(sampler: Any) -> bool:
    """Whether ``sampler`` uses emcee's default move (one stretch move on two halves)."""
    from emcee.moves import StretchMove

    moves = getattr(sampler, "_moves", [])
    if len(moves) != 1 or type(moves[0]) is not StretchMove:
        return False
    move = moves[0]
    return move.nsplits == 2 and bool(move.randomize_split) and not sampler.params_are_named


class _BlockDraws:
    """The random numbers of ``iterations`` steps of ``nwalkers`` walkers, drawn in one call.

    For each step and each half of the ensemble: the partners of the half's walkers in the other
    half, the stretch factors (shape ``(n, 1)``) and the acceptance thresholds (a proposal is
    accepted when its log probability exceeds the walker's by more than the threshold).
    """

    def __init__(
        self, random: np.random.RandomState, iterations: int, nwalkers: int, ndim: int, a: float
    ) -> None:
        # Step by step in the generator's stream, so that blocks of any length give one chain.
        uniform = random.random_sample((iterations, 3, nwalkers)).transpose(1, 0, 2)
        first = (nwalkers + 1) // 2
        sizes = (nwalkers - first, first)  # the size of the other half, for each half
        scale = ((a - 1.0) * uniform[0] + 1.0) ** 2 / a
        threshold = np.log(uniform[2]) - (ndim - 1.0) * np.log(scale)
        halves = (slice(None, first), slice(first, None))
        self.partners = tuple(
            (uniform[1][:, half] * size).astype(np.intp)
            for half, size in zip(halves, sizes, strict=True)
        )
        self.scale = tuple(scale[:, half, None] for half in halves)
        self.threshold = tuple(threshold[:, half] for half in halves)
        self.first = first
        self.nwalkers = nwalkers

    def proposal(self, half: int, step: int, walkers: np.ndarray, others: np.ndarray) -> np.ndarray:
        """The proposals of one half at one step, from its walkers and the other half."""
        partners = others[self.partners[half][step]]
        return partners - (partners - walkers) * self.scale[half][step]

    def proposal_matrices(self, begin: int, end: int) -> tuple[np.ndarray, np.ndarray]:
        """For steps ``begin`` to ``end`` and each half: matrices ``M`` of shape ``(steps,
        half's walkers, nwalkers)`` such that ``M[step] @ positions`` are the half's proposals,
        ``z * own position + (1 - z) * partner's position`` (the stretch move's
        ``partner - (partner - own) * z``) for the ensemble's positions at that moment."""
        first, nwalkers = self.first, self.nwalkers
        matrices = []
        for half, (own, other) in enumerate(((0, first), (first, 0))):
            size = self.partners[half].shape[1]
            matrix = np.zeros((end - begin, size, nwalkers))
            steps = np.arange(end - begin)[:, None]
            rows = np.arange(size)[None, :]
            scale = self.scale[half][begin:end, :, 0]
            matrix[steps, rows, own + rows] = scale
            matrix[steps, rows, other + self.partners[half][begin:end]] = 1.0 - scale
            matrices.append(matrix)
        return matrices[0], matrices[1]


def _accept(
    proposal: np.ndarray,
    log_prob_batch: Callable[[np.ndarray], np.ndarray],
    walkers: np.ndarray,
    log_prob: np.ndarray,
    threshold: np.ndarray,
) -> None:
    """Move the half's ``walkers`` (and their ``log_prob``) in place to the proposals whose log
    probability exceeds theirs by more than ``threshold`` (a NaN is rejected)."""
    new_log_prob = log_prob_batch(proposal)
    if type(new_log_prob) is not np.ndarray or new_log_prob.ndim != 1:
        new_log_prob = np.asarray(new_log_prob, dtype=float).reshape(-1)
    accept = new_log_prob > log_prob + threshold
    np.copyto(walkers, proposal, where=accept[:, None])
    np.copyto(log_prob, new_log_prob, where=accept)


#: Ensembles up to this size build their proposals with one small matrix product per half
#: (cheaper than indexing and arithmetic); larger ones index their partners.
_MATRIX_WALKERS = 64
#: Entries of the proposal matrices built at once (256 kB, kept in cache).
_MATRIX_ENTRIES = 1 << 15


def vectorized_sample(
    sampler: Any,
    initial_state: Any,
    iterations: int,
    log_prob_batch: Callable[[np.ndarray], np.ndarray],
) -> Iterator[Any]:
    """Advance ``sampler`` by ``iterations`` steps, storing each in its backend; yields the
    ensemble's :class:`emcee.State` after each step (like ``sampler.sample(..., store=True)``).

    The yielded state's arrays are updated in place by the next step. A proposal whose log
    probability is NaN is rejected.

    Parameters
    ----------
    sampler
        An ``emcee.EnsembleSampler`` with the default move (see
        :func:`supports_vectorized_sample`).
    initial_state
        The walkers' positions, shape ``(nwalkers, ndim)``, or a ``State`` (a resumed chain's
        last sample, with its log probabilities and random state).
    iterations
        Number of steps.
    log_prob_batch
        The log probability of every row of a 2D array of positions.

    Raises
    ------
    ValueError
        As emcee does: positions of the wrong shape or not linearly independent, an infinite or
        NaN position, or a NaN initial log probability.
    """
    from emcee import State
    from emcee.ensemble import walkers_independent

    state = State(initial_state, copy=True)
    nwalkers, ndim = sampler.nwalkers, sampler.ndim
    if np.shape(state.coords) != (nwalkers, ndim):
        raise ValueError(f"incompatible input dimensions {np.shape(state.coords)}")
    if not np.all(np.isfinite(state.coords)):
        raise ValueError("At least one parameter value was infinite or NaN")
    if not walkers_independent(state.coords):
        raise ValueError(
            "Initial state has a large condition number. Make sure that your walkers are "
            "linearly independent for the best performance"
        )
    if state.random_state is not None:
        sampler.random_state = state.random_state
    if state.log_prob is None:
        state.log_prob = np.asarray(log_prob_batch(state.coords), dtype=float).reshape(-1)
    if np.any(np.isnan(state.log_prob)):
        raise ValueError("The initial log_prob was NaN")
    state.coords = coords = np.array(state.coords, dtype=float)
    state.log_prob = log_prob = np.array(state.log_prob, dtype=float)
    backend = sampler.backend
    draws = _BlockDraws(sampler._random, iterations, nwalkers, ndim, float(sampler._moves[0].a))
    state.random_state = backend.random_state = sampler.random_state
    backend.grow(iterations, None)
    first = (nwalkers + 1) // 2
    # Views of each half: positions and log probabilities.
    walkers_0, walkers_1 = coords[:first], coords[first:]
    log_prob_0, log_prob_1 = log_prob[:first], log_prob[first:]
    chain, chain_log_prob = backend.chain, backend.log_prob
    start = backend.iteration
    previous = coords.copy()
    threshold_0, threshold_1 = draws.threshold
    chunk = max(1, _MATRIX_ENTRIES // (nwalkers * nwalkers))
    by_matrix = nwalkers <= _MATRIX_WALKERS
    matrices_0 = matrices_1 = None
    done = 0
    try:
        for step in range(iterations):
            if by_matrix:
                row = step % chunk
                if row == 0:
                    matrices_0, matrices_1 = draws.proposal_matrices(
                        step, min(step + chunk, iterations)
                    )
                proposal = matrices_0[row].dot(coords)
            else:
                proposal = draws.proposal(0, step, walkers_0, walkers_1)
            _accept(proposal, log_prob_batch, walkers_0, log_prob_0, threshold_0[step])
            if by_matrix:
                proposal = matrices_1[row].dot(coords)
            else:
                proposal = draws.proposal(1, step, walkers_1, walkers_0)
            _accept(proposal, log_prob_batch, walkers_1, log_prob_1, threshold_1[step])
            chain[start + step] = coords
            chain_log_prob[start + step] = log_prob
            done = step + 1
            backend.iteration = start + done
            yield state
    finally:
        # A walker moved at a step exactly when its proposal was accepted (a stretch move never
        # proposes the walker's own position: the walkers are linearly independent).
        if done:
            positions = np.concatenate([previous[None], chain[start : start + done]])
            moved = np.any(positions[1:] != positions[:-1], axis=2)
            backend.accepted += moved.sum(axis=0)
