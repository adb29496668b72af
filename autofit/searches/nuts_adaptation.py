"""Window adaptation of NUTS's step size and diagonal inverse mass matrix (Stan's schedule).

Warmup runs in three stages: a fast window where only the step size adapts (dual averaging
towards a target acceptance rate), slow windows of doubling length where the variance of the
positions is also accumulated and becomes the inverse mass matrix at each window's end (the step
size adaptation then restarts), and a final fast window. The state is a handful of numpy arrays
(one row per chain), so it is cheap to update between compiled NUTS steps and to checkpoint.
"""

from __future__ import annotations

import numpy as np

__all__ = ["WindowAdaptation", "warmup_schedule"]

#: Stan's defaults: the buffers before and after the slow windows, and the first slow window.
INITIAL_BUFFER, TERMINAL_BUFFER, BASE_WINDOW = 75, 50, 25
#: Dual averaging's constants (Hoffman and Gelman 2014, as in Stan).
GAMMA, T0, KAPPA = 0.05, 10.0, 0.75


def warmup_schedule(num_warmup: int) -> tuple[int, list[int]]:
    """The first step of the slow windows, and the steps at whose end a slow window closes (the
    inverse mass matrix is updated).

    Fewer than 20 warmup steps adapt the step size only; fewer than 150 scale Stan's buffers to
    15% and 10% of the warmup.
    """
    if num_warmup < 20:
        return num_warmup, []
    initial, terminal, window = INITIAL_BUFFER, TERMINAL_BUFFER, BASE_WINDOW
    if num_warmup < initial + terminal + window:
        initial, terminal = int(0.15 * num_warmup), int(0.1 * num_warmup)
        window = num_warmup - initial - terminal
    ends = []
    start, end_of_slow = initial, num_warmup - terminal
    while start < end_of_slow:
        end = start + window
        # A window that the next (doubled) one could not follow takes the rest.
        if end + 2 * window > end_of_slow:
            end = end_of_slow
        ends.append(end)
        start, window = end, 2 * window
    return initial, ends


class WindowAdaptation:
    """The adaptation state of ``chains`` chains in ``dimensions`` dimensions.

    Parameters
    ----------
    chains, dimensions
        The shape of the positions.
    num_warmup
        The number of warmup steps.
    target_accept
        The acceptance rate the step size is tuned for.
    """

    #: The arrays saved with a checkpoint (see :meth:`arrays` and :meth:`from_arrays`).
    fields = (
        "log_step",
        "log_step_average",
        "h_bar",
        "mu",
        "count",
        "inverse_mass_matrix",
        "window_count",
        "window_mean",
        "window_m2",
    )

    def __init__(self, chains: int, dimensions: int, num_warmup: int, target_accept: float) -> None:
        self.num_warmup = num_warmup
        self.target_accept = target_accept
        self.slow_start, self.window_ends = warmup_schedule(num_warmup)
        self.inverse_mass_matrix = np.ones((chains, dimensions))
        self.window_count = np.zeros(1)
        self.window_mean = np.zeros((chains, dimensions))
        self.window_m2 = np.zeros((chains, dimensions))
        self._restart(np.ones(chains))

    def _restart(self, step_size: np.ndarray) -> None:
        self.log_step = np.log(step_size)
        self.mu = np.log(10.0 * step_size)
        self.log_step_average = np.zeros_like(step_size)
        self.h_bar = np.zeros_like(step_size)
        self.count = np.zeros_like(step_size)

    @property
    def step_size(self) -> np.ndarray:
        """The step size of each chain for the next warmup step."""
        return np.exp(self.log_step)

    @property
    def final_step_size(self) -> np.ndarray:
        """The step size of each chain after warmup (dual averaging's average)."""
        return np.exp(self.log_step_average)

    def update(self, step: int, positions: np.ndarray, acceptance: np.ndarray) -> None:
        """Adapt after warmup step ``step`` (from 0) given the new positions and the
        acceptance rate of each chain."""
        acceptance = np.nan_to_num(np.asarray(acceptance, dtype=float), nan=0.0)
        self.count = self.count + 1.0
        eta = 1.0 / (self.count + T0)
        self.h_bar = (1.0 - eta) * self.h_bar + eta * (self.target_accept - acceptance)
        self.log_step = self.mu - np.sqrt(self.count) / GAMMA * self.h_bar
        weight = self.count**-KAPPA
        self.log_step_average = weight * self.log_step + (1.0 - weight) * self.log_step_average
        if not self.window_ends or not self.slow_start <= step < self.window_ends[-1]:
            return
        # Welford's running variance of the positions in the current slow window.
        self.window_count = self.window_count + 1.0
        delta = positions - self.window_mean
        self.window_mean = self.window_mean + delta / self.window_count
        self.window_m2 = self.window_m2 + delta * (positions - self.window_mean)
        if step + 1 in self.window_ends:
            count = float(self.window_count[0])
            variance = self.window_m2 / max(count - 1.0, 1.0)
            # Stan's regularisation towards a small multiple of the identity.
            self.inverse_mass_matrix = (count / (count + 5.0)) * variance + 1e-3 * (
                5.0 / (count + 5.0)
            )
            self.window_count = np.zeros(1)
            self.window_mean = np.zeros_like(self.window_mean)
            self.window_m2 = np.zeros_like(self.window_m2)
            self._restart(self.step_size)

    def arrays(self) -> dict[str, np.ndarray]:
        """The state as arrays, named ``adaptation_<field>``, for a checkpoint."""
        return {f"adaptation_{name}": np.asarray(getattr(self, name)) for name in self.fields}

    def restore(self, arrays: dict[str, np.ndarray]) -> None:
        """Set the state from a checkpoint's arrays (see :meth:`arrays`)."""
        for name in self.fields:
            setattr(self, name, np.array(arrays[f"adaptation_{name}"], dtype=float))
