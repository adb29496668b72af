"""SciPy's special functions used by the priors and searches, imported when first used.

``scipy.special`` takes about a tenth of a second to import, several times the rest of the
priors, and most scripts only need it once a search maps batches of unit vectors through a
Gaussian prior. Use the functions as attributes of this module (``special.ndtr(x)``): the first
access imports SciPy and stores the functions here, so later calls cost one module-attribute
lookup more than calling SciPy directly. ``from autofit.priors.special import ndtr`` works too,
but imports SciPy at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scipy.special import log_ndtr, logsumexp, ndtr, ndtri

__all__ = ["ndtr", "ndtri", "log_ndtr", "logsumexp"]


def __getattr__(name: str) -> Any:
    """Import :mod:`scipy.special` on the first access to one of its functions named in
    ``__all__`` and keep them all as attributes of this module."""
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import scipy.special

    for function in __all__:
        globals()[function] = getattr(scipy.special, function)
    return globals()[name]
