"""Fixtures isolating each test from the user's environment and configuration directories."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from autofit.config import CONFIG_PATH_VARIABLE, OUTPUT_PATH_VARIABLE, Config, instance


@pytest.fixture(autouse=True)
def isolated_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run in an empty working directory, without configuration environment variables."""
    working = tmp_path / "working"
    working.mkdir()
    monkeypatch.chdir(working)
    monkeypatch.delenv(CONFIG_PATH_VARIABLE, raising=False)
    monkeypatch.delenv(OUTPUT_PATH_VARIABLE, raising=False)
    instance.reset()
    yield
    instance.reset()


@pytest.fixture
def config() -> Config:
    """The configuration autofit reads, with nothing pushed."""
    return instance


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write dedented YAML text to a path relative to ``tmp_path``, creating folders."""

    def write(relative_path: str, text: str) -> Path:
        path = tmp_path / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write
