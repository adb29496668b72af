"""emcee's stretch move, stepped with whole arrays for ``af.Emcee(vectorize=True)``.

emcee's own ``EnsembleSampler.sample`` spends most of a step on bookkeeping that does not depend
on the likelihood (a copy of the random state at every step, a Python loop over the walkers to
accept them, per-walker checks). With a batched likelihood that bookkeeping dominates, so
:func:`vectorized_sample` steps the same sampler with array operations: the same red-blue
stretch move (Goodman & Weare 2010; Foreman-Mackey et al. 2013), the same random numbers drawn
in the same order from the sampler's generator, the same backend. The chain is therefore the one
``sampler.sample`` gives (a test checks this step by step), for the ensemble emcee builds by
default: one :class:`emcee.moves.StretchMove` with two randomly assigned halves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

__all__ = ["vectorized_sample", "supports_vectorized_sample"]


def supports_vectorized_sample(sampler: Any) -> bool:
    """Whether ``sampler`` uses emcee's default move (one stretch move, two random halves)."""
    from emcee.moves import StretchMove

    moves = getattr(sampler, "_moves", [])
    if len(moves) != 1 or type(moves[0]) is not StretchMove:
        return False
    move = moves[0]
    return move.nsplits == 2 and bool(move.randomize_split) and not sampler.params_are_named


def vectorized_sample(
    sampler: Any,
    initial_state: Any,
    iterations: int,
    log_prob_batch: Callable[[np.ndarray], np.ndarray],
) -> Iterator[Any]:
    """Advance ``sampler`` by ``iterations`` steps, storing each in its backend; yields the
    ensemble's :class:`emcee.State` after each step (like ``sampler.sample(..., store=True)``).

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
        NaN position, or a NaN log probability.
    """
    from emcee import State
    from emcee.ensemble import walkers_independent

    state = State(initial_state, copy=True)
    nwalkers, ndim = sampler.nwalkers, sampler.ndim
    if np.shape(state.coords) != (nwalkers, ndim):
        raise ValueError(f"incompatible input dimensions {np.shape(state.coords)}")
    if not walkers_independent(state.coords):
        raise ValueError(
            "Initial state has a large condition number. Make sure that your walkers are "
            "linearly independent for the best performance"
        )
    sampler.random_state = state.random_state
    if state.log_prob is None:
        state.log_prob = _log_prob(log_prob_batch, state.coords)
    if np.any(np.isnan(state.log_prob)):
        raise ValueError("The initial log_prob was NaN")
    sampler.backend.grow(iterations, None)
    random = sampler._random
    move = sampler._moves[0]
    stretch = float(move.a)
    coords = state.coords
    log_prob = state.log_prob
    alternate = np.arange(nwalkers) % 2
    first_size = (nwalkers + 1) // 2
    factor = ndim - 1.0
    stretch_less_one = stretch - 1.0
    for step in range(iterations):
        # emcee picks the move first (one uniform number), then shuffles the halves.
        random.random_sample()
        halves = alternate.copy()
        random.shuffle(halves)
        # The walkers of each half, in order (what emcee's boolean masks select).
        order = np.argsort(halves, kind="stable")
        accepted = np.zeros(nwalkers, dtype=bool)
        for moving, others in (
            (order[:first_size], order[first_size:]),
            (order[first_size:], order[:first_size]),
        ):
            count = moving.shape[0]
            scale = (stretch_less_one * random.rand(count) + 1) ** 2.0 / stretch
            partners = coords[others[random.randint(others.shape[0], size=(count,))]]
            proposal = partners - (partners - coords[moving]) * scale[:, None]
            new_log_prob = _log_prob(log_prob_batch, proposal)
            difference = factor * np.log(scale) + new_log_prob - log_prob[moving]
            accept = difference > np.log(random.rand(count))
            rows = moving[accept]
            accepted[rows] = True
            coords[rows] = proposal[accept]
            log_prob[rows] = new_log_prob[accept]
        if step == iterations - 1:
            # The random state goes into the backend (and its checkpoint) with the last step.
            state.random_state = sampler.random_state
        sampler.backend.save_step(state, accepted)
        yield state


def _log_prob(log_prob_batch: Callable[[np.ndarray], np.ndarray], coords: np.ndarray) -> Any:
    if not np.isfinite(coords.sum()):  # an infinite or NaN coordinate makes the sum one too
        if np.any(np.isinf(coords)):
            raise ValueError("At least one parameter value was infinite")
        if np.any(np.isnan(coords)):
            raise ValueError("At least one parameter value was NaN")
    values = np.asarray(log_prob_batch(coords), dtype=float).reshape(-1)
    if np.isnan(values.sum()) and np.isnan(values).any():
        raise ValueError("Probability function returned NaN")
    return values
