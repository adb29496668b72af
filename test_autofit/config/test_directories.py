"""The configuration directories and the order they are searched in."""

from __future__ import annotations

import os
from pathlib import Path

from autofit.config import CONFIG_PATH_VARIABLE
from autofit.config.directories import absolute_path, search_directories


def test_absolute_path_expands_home_and_the_working_directory(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert absolute_path("~/a") == str(tmp_path / "a")
    assert absolute_path("b") == str(Path.cwd() / "b")
    assert absolute_path(Path("/x/../y")) == "/y"


def test_search_order_and_duplicates(monkeypatch, tmp_path):
    for name in ("pushed", "env", "working/config"):
        (tmp_path / name).mkdir(parents=True, exist_ok=True)
    monkeypatch.setenv(
        CONFIG_PATH_VARIABLE,
        os.pathsep.join([str(tmp_path / "env"), str(tmp_path / "pushed"), " "]),
    )
    pushed = str(tmp_path / "pushed")
    assert search_directories([pushed], "/package") == [
        pushed,
        str(tmp_path / "env"),
        str(tmp_path / "working" / "config"),
        "/package",
    ]


def test_relative_environment_entries_are_relative_to_the_working_directory(monkeypatch):
    os.mkdir("mine")
    monkeypatch.setenv(CONFIG_PATH_VARIABLE, "mine")
    assert search_directories([], "/package") == [str(Path.cwd() / "mine"), "/package"]


def test_a_deleted_working_directory_is_skipped(monkeypatch, tmp_path):
    doomed = tmp_path / "doomed"
    doomed.mkdir()
    monkeypatch.chdir(doomed)
    doomed.rmdir()
    assert search_directories([], "/package") == ["/package"]
