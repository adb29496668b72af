"""Tests of ``DirectoryPaths`` and ``NullPaths``: the output folder of one fit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import autofit as af
import autofit.config
from autofit.output import AbstractPaths, DirectoryPaths, NullPaths


@pytest.fixture
def paths(tmp_path):
    paths = DirectoryPaths(
        name="fit", path_prefix="project/run_1", unique_tag="dataset_a", output_root=tmp_path
    )
    paths.identifier = "abc123"
    return paths


@pytest.fixture
def pushed_output(tmp_path):
    af.conf.instance.push(new_path=Path(autofit.config.__file__).parent, output_path=tmp_path)
    yield tmp_path
    af.conf.instance.reset()


class TestLayout:
    def test_output_path_is_root_prefix_tag_name_identifier(self, paths, tmp_path):
        expected = tmp_path / "project" / "run_1" / "dataset_a" / "fit" / "abc123"
        assert paths.output_path == expected

    def test_sub_folders(self, paths):
        assert paths.files_path == paths.output_path / "files"
        assert paths.image_path == paths.output_path / "image"
        assert paths.search_internal_path == paths.output_path / "files" / "search_internal"

    def test_image_and_search_internal_folders_are_created(self, paths):
        assert paths.image_path.is_dir()
        assert paths.search_internal_path.is_dir()

    def test_empty_levels_are_skipped(self, tmp_path):
        paths = DirectoryPaths(name="fit", output_root=tmp_path)
        paths.identifier = "abc123"
        assert paths.output_path == tmp_path / "fit" / "abc123"
        tagged = DirectoryPaths(path_prefix="prefix", unique_tag="tag", output_root=tmp_path)
        tagged.identifier = "id"
        assert tagged.output_path == tmp_path / "prefix" / "tag" / "id"

    def test_output_path_before_an_identifier_raises(self, tmp_path):
        paths = DirectoryPaths(name="fit", output_root=tmp_path)
        with pytest.raises(RuntimeError, match="identifier"):
            paths.output_path  # noqa: B018 - the property access is the test
        with pytest.raises(RuntimeError):
            paths.files_path  # noqa: B018
        assert list(tmp_path.iterdir()) == []

    def test_default_root_is_the_configured_output_path(self, pushed_output):
        paths = DirectoryPaths(name="fit")
        paths.identifier = "abc"
        assert paths.output_path == pushed_output / "fit" / "abc"

    def test_path_prefix_as_path_object(self, tmp_path):
        paths = DirectoryPaths(name="fit", path_prefix=Path("a") / "b", output_root=tmp_path)
        paths.identifier = "id"
        assert paths.output_path == tmp_path / "a" / "b" / "fit" / "id"


class TestFiles:
    def test_json_round_trip(self, paths):
        value = {"data": [1.0, 2.0], "label": "x", "nested": {"n": 3}}
        paths.save_json("attributes", value)
        assert (paths.files_path / "attributes.json").is_file()
        assert paths.load_json("attributes") == value

    def test_json_accepts_numpy_values(self, paths):
        paths.save_json("numbers", {"array": np.arange(3.0), "scalar": np.float64(2.5)})
        assert paths.load_json("numbers") == {"array": [0.0, 1.0, 2.0], "scalar": 2.5}

    def test_array_round_trip_keeps_dtype_and_shape(self, paths):
        array = np.arange(12, dtype=np.int32).reshape(3, 4)
        paths.save_array("grid", array)
        assert (paths.files_path / "grid.npy").is_file()
        loaded = paths.load_array("grid")
        assert loaded.dtype == np.int32
        np.testing.assert_array_equal(loaded, array)

    def test_array_of_objects_is_refused(self, paths):
        with pytest.raises(ValueError):
            paths.save_array("objects", np.array([{"a": 1}], dtype=object))

    def test_has(self, paths):
        assert not paths.has("attributes.json")
        paths.save_json("attributes", {})
        assert paths.has("attributes.json")
        assert not paths.has("attributes")

    def test_load_missing_raises_file_not_found(self, paths):
        with pytest.raises(FileNotFoundError):
            paths.load_json("missing")
        with pytest.raises(FileNotFoundError):
            paths.load_array("missing")

    def test_save_text_in_the_fit_folder(self, paths):
        paths.save_text("model.info", "text\n")
        assert (paths.output_path / "model.info").read_text() == "text\n"

    def test_completion_marker(self, paths):
        assert not paths.is_complete
        paths.mark_complete()
        assert paths.is_complete
        assert (paths.output_path / ".completed").is_file()

    def test_no_temporary_files_are_left(self, paths):
        paths.save_json("a", [1])
        paths.save_array("b", np.zeros(3))
        paths.save_text("c", "c")
        paths.mark_complete()
        files = sorted(p.name for p in paths.output_path.rglob("*") if p.is_file())
        assert files == [".completed", "a.json", "b.npy", "c"]


class TestNullPaths:
    def test_writes_nothing(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        paths = NullPaths()
        paths.save_json("attributes", {"a": 1})
        paths.save_array("data", np.zeros(3))
        paths.save_text("model.info", "text")
        paths.mark_complete()
        assert list(tmp_path.iterdir()) == []
        assert not paths.has("attributes.json")
        assert not paths.is_complete

    def test_has_no_folders(self):
        paths = NullPaths()
        assert paths.is_null
        assert paths.output_path is None
        assert paths.image_path is None
        assert paths.search_internal_path is None

    def test_loading_raises_file_not_found(self):
        with pytest.raises(FileNotFoundError):
            NullPaths().load_json("attributes")
        with pytest.raises(FileNotFoundError):
            NullPaths().load_array("data")

    def test_is_an_abstract_paths(self):
        assert isinstance(NullPaths(), AbstractPaths)
        assert not DirectoryPaths(name="x", output_root=".").is_null


class TestPathsOfAFit:
    DATA = af.ex.simulate_data(noise=0.5, seed=2)

    def test_fit_writes_the_documented_files(self, pushed_output):
        model = af.Model(af.ex.Gaussian)
        search = af.Drawer(
            total_draws=10, name="fit", path_prefix="prefix", unique_tag="tag", seed=1, silence=True
        )
        result = search.fit(model=model, analysis=af.ex.Analysis(*self.DATA), info={"a": 1})
        output = pushed_output / "prefix" / "tag" / "fit" / search.identifier(model)
        assert result.paths.output_path == output
        for name in ("model.info", "model.results", "search.summary", "metadata", ".completed"):
            assert (output / name).is_file(), name
        assert (output / ".identifier").read_text().strip() == search.identifier(model)
        for name in (
            "model.json",
            "search.json",
            "samples.csv",
            "samples_summary.json",
            "samples_info.json",
            "info.json",
        ):
            assert (output / "files" / name).is_file(), name
        assert result.paths.load_json("info") == {"a": 1}
        assert not [p for p in output.rglob("*") if p.name.endswith(".tmp")]

    def test_search_without_name_writes_nothing(self, pushed_output, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        result = af.Drawer(total_draws=10, seed=1, silence=True).fit(
            model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(*self.DATA)
        )
        assert result.paths.is_null
        assert list(tmp_path.iterdir()) == []

    def test_given_paths_follow_the_model_of_each_fit(self, tmp_path):
        paths = DirectoryPaths(name="fit", output_root=tmp_path)
        search = af.Drawer(total_draws=10, seed=1, silence=True, paths=paths)
        first_model = af.Model(af.ex.Gaussian)
        second_model = af.Collection(
            gaussian=af.Model(af.ex.Gaussian), exponential=af.Model(af.ex.Exponential)
        )
        analysis = af.ex.Analysis(*self.DATA)
        first_output = search.fit(model=first_model, analysis=analysis).paths.output_path
        assert first_output == tmp_path / "fit" / search.identifier(first_model)
        second = search.fit(model=second_model, analysis=analysis)
        assert second.paths.output_path == tmp_path / "fit" / search.identifier(second_model)
        assert second.samples.model.prior_count == 6


# -- for_sub_analysis ----------------------------------------------------------------------------


def test_sub_analysis_paths_write_into_a_sub_folder_of_the_fit(tmp_path):
    parent = DirectoryPaths(name="fit", path_prefix="study", output_root=tmp_path)
    parent.identifier = "abc"
    child = parent.for_sub_analysis("analyses/analysis_0")
    assert child.output_path == tmp_path / "study" / "fit" / "abc" / "analyses" / "analysis_0"
    assert (child.name, child.path_prefix, child.identifier) == ("fit", "study", "abc")
    child.save_json("dataset", {"size": 3})
    child.save_text("model.info", "text\n")
    assert child.load_json("dataset") == {"size": 3}
    assert (child.output_path / "files" / "dataset.json").is_file()
    assert (child.output_path / "model.info").read_text() == "text\n"
    assert child.image_path == child.output_path / "image" and child.image_path.is_dir()
    assert not parent.has("dataset.json") and not child.is_complete
    grandchild = child.for_sub_analysis("[perturb]")
    assert grandchild.output_path == child.output_path / "[perturb]"


def test_null_paths_have_null_sub_analysis_paths():
    child = NullPaths().for_sub_analysis("analysis_1")
    assert child.is_null and child.output_path is None and child.image_path is None


@pytest.mark.parametrize("name", ["", "/tmp/elsewhere", "../outside"])
def test_a_sub_analysis_name_must_stay_inside_the_fit_folder(name, tmp_path):
    parent = DirectoryPaths(name="fit", output_root=tmp_path)
    with pytest.raises(af.exc.SearchException, match="analysis_name"):
        parent.for_sub_analysis(name)


def test_a_search_given_sub_analysis_paths_fits_in_the_sub_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    parent = DirectoryPaths(name="parent", output_root=tmp_path)
    parent.identifier = "p"
    data, noise = af.ex.simulate_data(noise=0.1)
    search = af.LBFGS(paths=parent.for_sub_analysis("[base]"), seed=1, silence=True)
    result = search.fit(model=af.Model(af.ex.Gaussian), analysis=af.ex.Analysis(data, noise))
    folder = tmp_path / "parent" / "p" / "[base]"
    assert result.paths.output_path == folder
    assert (folder / ".completed").exists() and (folder / "files" / "samples.csv").is_file()
    assert (folder / ".identifier").read_text().strip() == result.paths.identifier
