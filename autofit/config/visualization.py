"""The switch that turns every plot and visualisation of a fit off: ``AUTOFIT_SKIP_VISUALIZATION``.

It sits in the configuration layer so that both the search driver and the plot package can read
it without importing each other.
"""

from __future__ import annotations

import os

__all__ = ["SKIP_VISUALIZATION_VARIABLE", "skip_visualization"]

#: The environment variable that switches visualisation off.
SKIP_VISUALIZATION_VARIABLE = "AUTOFIT_SKIP_VISUALIZATION"

_OFF_VALUES = ("", "0", "false", "no", "off")


def skip_visualization() -> bool:
    """Whether ``AUTOFIT_SKIP_VISUALIZATION`` is set, so that no plot is drawn.

    Returns
    -------
    bool
        True when the variable holds anything but empty, ``0``, ``false``, ``no`` or ``off``
        (in any case).
    """
    value = os.environ.get(SKIP_VISUALIZATION_VARIABLE, "").strip().lower()
    return value not in _OFF_VALUES
