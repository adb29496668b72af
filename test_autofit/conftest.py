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


@pytest.fixture(autouse=True, scope="session")
def _checkpoint_key(tmp_path_factory: pytest.TempPathFactory):
    """Checkpoint MACs use a key of the test session, never the user's own key file."""
    import os

    from autofit.output.checkpoint_mac import KEY_PATH_VARIABLE

    previous = os.environ.get(KEY_PATH_VARIABLE)
    os.environ[KEY_PATH_VARIABLE] = str(tmp_path_factory.mktemp("key") / "checkpoint.key")
    yield
    if previous is None:
        os.environ.pop(KEY_PATH_VARIABLE, None)
    else:
        os.environ[KEY_PATH_VARIABLE] = previous
