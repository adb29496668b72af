"""The YAML cache: files are parsed once, re-read when they change, and errors name the file."""

from __future__ import annotations

import os
import time

import pytest

from autofit.config.yaml_files import DirectoryView, YamlFiles
from autofit.exc import ConfigException


def age(path, seconds_ago: float = 3600.0) -> None:
    """Set a file's modification time into the past, beyond the window of recent edits."""
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_a_file_is_parsed_once_while_it_is_unchanged(write_yaml):
    path = write_yaml("a.yaml", "key: 1\n")
    age(path)
    files = YamlFiles()
    first = files.load(str(path))
    assert first is not None
    assert first.data == {"key": 1}
    assert files.load(str(path)) is first


def test_an_edited_file_is_read_again(write_yaml):
    path = write_yaml("a.yaml", "key: 1\n")
    age(path, 3600.0)
    files = YamlFiles()
    assert files.load(str(path)).data == {"key": 1}
    path.write_text("key: 2\n", encoding="utf-8")
    age(path, 1800.0)
    assert files.load(str(path)).data == {"key": 2}


def test_a_recently_edited_file_is_read_again_even_with_the_same_timestamp(write_yaml):
    path = write_yaml("a.yaml", "key: 1\n")
    stamp = os.stat(path).st_mtime_ns
    files = YamlFiles()
    assert files.load(str(path)).data == {"key": 1}
    path.write_text("key: 3\n", encoding="utf-8")
    os.utime(path, ns=(stamp, stamp))
    assert files.load(str(path)).data == {"key": 3}


def test_a_missing_file_loads_as_none(tmp_path):
    assert YamlFiles().load(str(tmp_path / "absent.yaml")) is None


def test_an_empty_file_is_an_empty_mapping(write_yaml):
    path = write_yaml("empty.yaml", "")
    assert YamlFiles().load(str(path)).data == {}


def test_malformed_yaml_names_the_file_and_the_error(write_yaml):
    path = write_yaml("bad.yaml", "Gaussian:\n  centre: {type: Uniform\n")
    with pytest.raises(ConfigException) as info:
        YamlFiles().load(str(path))
    message = str(info.value)
    assert str(path) in message
    assert "line" in message


def test_a_top_level_that_is_not_a_mapping_raises(write_yaml):
    path = write_yaml("list.yaml", "- 1\n- 2\n")
    with pytest.raises(ConfigException, match="must hold a mapping.*list"):
        YamlFiles().load(str(path))


def test_the_memo_is_dropped_when_the_file_changes(write_yaml):
    path = write_yaml("a.yaml", "key: 1\n")
    age(path, 3600.0)
    files = YamlFiles()
    files.load(str(path)).memo["derived"] = 1
    assert files.load(str(path)).memo == {"derived": 1}
    path.write_text("key: 22\n", encoding="utf-8")
    age(path, 1800.0)
    assert files.load(str(path)).memo == {}


def test_listings_follow_files_added_to_a_directory(tmp_path):
    directory = tmp_path / "priors"
    directory.mkdir()
    (directory / "a.yaml").touch()
    age(directory)
    files = YamlFiles()
    assert files.listing(str(directory)) == {"a.yaml"}
    (directory / "b.yaml").touch()
    assert files.listing(str(directory)) == {"a.yaml", "b.yaml"}


def test_listing_of_something_that_is_not_a_directory_is_none(tmp_path):
    (tmp_path / "file").touch()
    files = YamlFiles()
    assert files.listing(str(tmp_path / "file")) is None
    assert files.listing(str(tmp_path / "absent")) is None


def test_directory_view_finds_nested_paths(tmp_path):
    (tmp_path / "mypackage").mkdir()
    (tmp_path / "mypackage" / "profiles.yaml").touch()
    view = DirectoryView(YamlFiles())
    expected = os.path.join(str(tmp_path), "mypackage", "profiles.yaml")
    assert view.find(str(tmp_path), ("mypackage", "profiles.yaml")) == expected
    assert view.find(str(tmp_path), ("mypackage", "other.yaml")) is None
    assert view.find(str(tmp_path), ("otherpackage", "profiles.yaml")) is None
    assert view.find(str(tmp_path), ("mypackage", "profiles.yaml", "deeper")) is None
