"""Suite-wide fixtures: end-of-fit search plots are drawn only in tests that ask for them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "search_plots: let fits draw their end-of-fit plots into image/search/"
    )
    # JAX's persistent compilation cache (read when JAX is imported, inherited by the fits that
    # tests run in subprocesses): a NUTS step compiled once serves every later fit of the same
    # likelihood, in this run and the next.
    import os

    cache = getattr(config, "cache", None)
    if cache is not None and "JAX_COMPILATION_CACHE_DIR" not in os.environ:
        os.environ["JAX_COMPILATION_CACHE_DIR"] = str(cache.mkdir("jax_compilation_cache"))
        os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0.5")


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
