"""The visualisation switch ``AUTOFIT_SKIP_VISUALIZATION`` (autofit/config/visualization.py)."""

from __future__ import annotations

import pytest

from autofit.config.visualization import SKIP_VISUALIZATION_VARIABLE, skip_visualization


@pytest.mark.parametrize(
    "value, skipped",
    [("", False), ("0", False), ("false", False), ("FALSE", False), ("no", False), ("Off", False)]
    + [("1", True), ("true", True), ("yes", True), (" 1 ", True)],
)
def test_skip_visualization_values(value, skipped, monkeypatch):
    monkeypatch.setenv(SKIP_VISUALIZATION_VARIABLE, value)
    assert skip_visualization() is skipped


def test_unset_means_plots_are_drawn(monkeypatch):
    monkeypatch.delenv(SKIP_VISUALIZATION_VARIABLE, raising=False)
    assert skip_visualization() is False
