"""Integrated autocorrelation times of MCMC chains, and the burn-in rule built on them.

The estimate follows Sokal's automatic windowing: the normalised autocorrelation function
``rho(t)`` of each walker (computed with an FFT) is averaged over walkers, the running estimate
``tau(M) = 1 + 2 * sum_{t=1..M} rho(t)`` is formed, and the window is the smallest ``M`` with
``M >= c * tau(M)`` (``c = 5``).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "autocorrelation_function",
    "integrated_time",
    "burn_in_length",
    "burn_in_from_times",
]


def autocorrelation_function(series: np.ndarray) -> np.ndarray:
    """Normalised autocorrelation of a 1D series (``rho(0) = 1``); zeros for a constant series."""
    series = np.asarray(series, dtype=float)
    length = series.shape[0]
    size = 1 << (2 * length - 1).bit_length()
    centred = series - series.mean()
    transform = np.fft.rfft(centred, n=size)
    correlation = np.fft.irfft(transform * np.conjugate(transform), n=size)[:length]
    if correlation[0] <= 0.0:
        return np.zeros(length)
    return correlation / correlation[0]


def integrated_time(chain: np.ndarray, window_constant: float = 5.0) -> np.ndarray:
    """Integrated autocorrelation time of each parameter.

    Parameters
    ----------
    chain
        Array of shape ``(n_steps, n_walkers, n_parameters)``.
    window_constant
        The constant ``c`` of the automatic window.

    Returns
    -------
    One time (in steps) per parameter.
    """
    chain = np.asarray(chain, dtype=float)
    n_steps, n_walkers, n_parameters = chain.shape
    size = 1 << (2 * n_steps - 1).bit_length()
    steps = np.arange(n_steps)
    times = np.empty(n_parameters)
    # One parameter at a time, so that its transforms stay in the processor's cache.
    for parameter in range(n_parameters):
        # The steps of each walker contiguous: shape (n_walkers, n_steps).
        centred = np.ascontiguousarray(chain[:, :, parameter].T)
        centred -= centred.mean(axis=1, keepdims=True)
        transform = np.fft.rfft(centred, n=size, axis=-1)
        power = transform.real * transform.real
        power += transform.imag * transform.imag
        # Each walker's autocorrelation (the inverse transform of its power) normalised by its
        # value at lag 0, the sum of squares (zero for a constant series), averaged over the
        # walkers. Normalising and averaging are linear, so they are applied to the powers and
        # only one inverse transform is needed.
        variance = np.einsum("wt,wt->w", centred, centred)
        inverse = np.zeros_like(variance)
        np.divide(1.0 / n_walkers, variance, out=inverse, where=variance > 0.0)
        rho = np.fft.irfft(np.einsum("wf,w->f", power, inverse), n=size)[:n_steps]
        running = 2.0 * np.cumsum(rho) - 1.0
        window = steps >= window_constant * running
        times[parameter] = running[int(np.argmax(window)) if window.any() else n_steps - 1]
    return np.maximum(times, 1.0)


def burn_in_length(chain: np.ndarray) -> int:
    """Steps discarded as burn-in: ``min(ceil(3 * max tau), n_steps // 2)``.

    Three autocorrelation times of the slowest parameter let the walkers forget their starting
    points; the cap keeps at least half the chain when the estimate is poor (short chains).
    """
    n_steps = np.asarray(chain).shape[0]
    if n_steps < 4:
        return 0
    return burn_in_from_times(integrated_time(chain), n_steps)


def burn_in_from_times(times: np.ndarray, n_steps: int) -> int:
    """The burn-in rule of :func:`burn_in_length` from already estimated times."""
    if n_steps < 4:
        return 0
    return int(min(np.ceil(3.0 * np.max(times)), n_steps // 2))
