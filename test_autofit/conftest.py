"""Suite-wide fixtures: end-of-fit search plots are drawn only in tests that ask for them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "search_plots: let fits draw their end-of-fit plots into image/search/"
    )


@pytest.fixture(autouse=True)
def _no_search_plots_unless_asked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Drawing corner plots after every fit of the suite would cost minutes of CPU."""
    if request.node.get_closest_marker("search_plots") is None:
        from autofit.searches.driver import FitRun

        monkeypatch.setattr(FitRun, "_plot", lambda self, samples: None)
    yield
