"""Tests of ``af.Analysis`` and its hooks (saving, results, modification) through real fits."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import autofit as af
import autofit.analysis
import autofit.config

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.5, seed=3)


@pytest.fixture(autouse=True)
def output_in_tmp_path(tmp_path: Path):
    af.conf.instance.push(new_path=Path(autofit.config.__file__).parent, output_path=tmp_path)
    yield
    af.conf.instance.reset()


def gaussian_model():
    return af.Collection(gaussian=af.Model(af.ex.Gaussian))


def drawer(**kwargs):
    return af.Drawer(total_draws=20, seed=1, silence=True, **kwargs)


class RecordingAnalysis(af.ex.Analysis):
    """The example chi-squared analysis, recording calls of its hooks."""

    def __init__(self, data=DATA, noise_map=NOISE_MAP):
        super().__init__(data, noise_map)
        self.likelihood_calls = 0
        self.saved_results = []

    def log_likelihood_function(self, instance):
        self.likelihood_calls += 1
        return super().log_likelihood_function(instance)

    def save_attributes(self, paths):
        paths.save_json("settings", {"pixels": int(self.data.size), "label": "first"})
        paths.save_array("data", self.data)

    def save_results(self, paths, result):
        self.saved_results.append((paths, result))
        paths.save_json("max_log_likelihood", result.log_likelihood)


class TestPublicNames:
    def test_analysis_names_are_exported_by_autofit(self):
        assert af.Analysis is autofit.analysis.Analysis
        assert af.Visualizer is autofit.analysis.Visualizer

    def test_unimplemented_likelihood_names_the_subclass(self):
        class Incomplete(af.Analysis):
            pass

        with pytest.raises(NotImplementedError, match="Incomplete"):
            Incomplete().log_likelihood_function(instance=None)


class TestSaveAttributes:
    def test_json_and_arrays_are_written_to_files_and_read_back(self):
        analysis = RecordingAnalysis()
        result = drawer(name="saved").fit(model=gaussian_model(), analysis=analysis)
        paths = result.paths
        assert (paths.files_path / "settings.json").is_file()
        assert (paths.files_path / "data.npy").is_file()
        assert paths.load_json("settings") == {"pixels": 100, "label": "first"}
        np.testing.assert_array_equal(paths.load_array("data"), DATA)

    def test_files_are_readable_through_a_new_paths_object(self, tmp_path):
        model = gaussian_model()
        search = drawer(name="saved")
        search.fit(model=model, analysis=RecordingAnalysis())
        paths = af.DirectoryPaths(name="saved", output_root=tmp_path)
        paths.identifier = search.identifier(model)
        assert paths.has("settings.json")
        assert paths.load_json("settings")["label"] == "first"
        np.testing.assert_array_equal(paths.load_array("data"), DATA)


class TestSaveResults:
    def test_called_once_with_the_returned_result(self):
        analysis = RecordingAnalysis()
        result = drawer(name="results").fit(model=gaussian_model(), analysis=analysis)
        assert len(analysis.saved_results) == 1
        paths, saved = analysis.saved_results[0]
        assert saved is result
        assert paths.output_path == result.paths.output_path
        assert paths.load_json("max_log_likelihood") == pytest.approx(result.log_likelihood)

    def test_result_log_likelihood_is_the_best_of_the_samples(self):
        analysis = RecordingAnalysis()
        result = drawer(name="results").fit(model=gaussian_model(), analysis=analysis)
        assert result.log_likelihood == pytest.approx(float(np.max(result.samples.log_likelihood)))
        assert result.log_likelihood == pytest.approx(
            analysis.log_likelihood_function(instance=result.instance), rel=1e-9
        )


class ModifyingAnalysis(af.Analysis):
    """Its own likelihood must never run: ``modify_before_fit`` swaps in ``replacement``."""

    def __init__(self, replacement):
        self.replacement = replacement
        self.modify_calls = []

    def modify_before_fit(self, paths, model):
        self.modify_calls.append((paths, model))
        return self.replacement

    def log_likelihood_function(self, instance):
        raise AssertionError("the unmodified analysis was used")


class TestModifyBeforeFit:
    def test_the_returned_analysis_computes_the_likelihood(self):
        replacement = RecordingAnalysis()
        analysis = ModifyingAnalysis(replacement)
        model = gaussian_model()
        result = drawer(name="modified").fit(model=model, analysis=analysis)
        assert replacement.likelihood_calls >= 20
        assert len(analysis.modify_calls) == 1
        paths, passed_model = analysis.modify_calls[0]
        assert passed_model is model
        assert paths.output_path == result.paths.output_path
        assert result.analysis is replacement
        assert len(replacement.saved_results) == 1

    def test_without_output_the_returned_analysis_is_used(self):
        replacement = RecordingAnalysis()
        result = drawer().fit(model=gaussian_model(), analysis=ModifyingAnalysis(replacement))
        assert replacement.likelihood_calls >= 20
        assert result.samples.total_samples == 20

    def test_default_returns_the_analysis_itself(self):
        analysis = RecordingAnalysis()
        assert analysis.modify_before_fit(af.NullPaths(), gaussian_model()) is analysis


class CustomResult(af.Result):
    @property
    def max_log_likelihood_model_data(self):
        return self.analysis.model_data_from(self.instance)


class AnalysisWithResultClass(RecordingAnalysis):
    Result = CustomResult


class MadeResult(af.Result):
    def __init__(self, samples_summary, paths, samples, search_internal, made_by):
        super().__init__(
            samples_summary=samples_summary,
            paths=paths,
            samples=samples,
            search_internal=search_internal,
        )
        self.made_by = made_by


class AnalysisWithMakeResult(RecordingAnalysis):
    # The signature scripts written for PyAutoFit use.
    def make_result(
        self, samples_summary, paths, samples=None, search_internal=None, analysis=None
    ):
        return MadeResult(samples_summary, paths, samples, search_internal, made_by=self)


class TestCustomResult:
    def test_result_class_attribute_gives_the_custom_type(self):
        analysis = AnalysisWithResultClass()
        result = drawer().fit(model=gaussian_model(), analysis=analysis)
        assert type(result) is CustomResult
        np.testing.assert_allclose(
            result.max_log_likelihood_model_data,
            result.instance.gaussian.model_data_from(np.arange(100.0)),
        )

    def test_make_result_override_gives_its_type(self):
        analysis = AnalysisWithMakeResult()
        result = drawer(name="made").fit(model=gaussian_model(), analysis=analysis)
        assert type(result) is MadeResult
        assert result.made_by is analysis
        assert analysis.saved_results[0][1] is result
        assert result.samples.total_samples == 20
        assert result.paths.is_complete

    def test_completed_fit_reloads_with_the_custom_type(self):
        model = gaussian_model()
        first = drawer(name="made").fit(model=model, analysis=AnalysisWithResultClass())
        analysis = AnalysisWithResultClass()
        second = drawer(name="made").fit(model=model, analysis=analysis)
        assert type(second) is CustomResult
        assert analysis.likelihood_calls <= 1
        np.testing.assert_array_equal(second.samples.parameters, first.samples.parameters)

    def test_default_result_is_af_result(self):
        class PlainAnalysis(af.Analysis):
            def log_likelihood_function(self, instance):
                return -0.5 * (instance.gaussian.centre - 50.0) ** 2

        result = drawer().fit(model=gaussian_model(), analysis=PlainAnalysis())
        assert type(result) is af.Result

    def test_example_analysis_result_is_the_example_result(self):
        result = drawer().fit(model=gaussian_model(), analysis=RecordingAnalysis())
        assert type(result) is af.ex.Result
        assert isinstance(result, af.Result)


class TestUseJax:
    def test_use_jax_false_is_silent_and_numpy(self, recwarn):
        analysis = af.ex.Analysis(DATA, NOISE_MAP, use_jax=False)
        assert not [w for w in recwarn if issubclass(w.category, UserWarning)]
        assert analysis.is_jax is False
        assert analysis._xp is np

    def test_use_jax_without_jax_raises_naming_the_extra(self, monkeypatch):
        import sys

        # A module set to None in sys.modules cannot be imported: JAX "not installed".
        monkeypatch.setitem(sys.modules, "jax", None)
        with pytest.raises(ImportError, match=r'pip install "autofit\[jax\]"'):
            af.ex.Analysis(DATA, NOISE_MAP, use_jax=True)

    def test_use_jax_true_traces_the_same_likelihood(self):
        pytest.importorskip("jax")
        import jax.numpy as jnp

        analysis = af.ex.Analysis(DATA, NOISE_MAP, use_jax=True)
        assert analysis.is_jax is True
        assert analysis._xp is jnp
        result = drawer().fit(model=gaussian_model(), analysis=analysis)
        plain = drawer().fit(model=gaussian_model(), analysis=af.ex.Analysis(DATA, NOISE_MAP))
        np.testing.assert_allclose(
            result.samples.log_likelihood, plain.samples.log_likelihood, rtol=1e-10
        )

    def test_subclass_passing_use_jax_to_super(self):
        pytest.importorskip("jax")

        class Analysis(af.Analysis):
            def __init__(self, data, use_jax=False):
                super().__init__(use_jax=use_jax)
                self.data = data

            def log_likelihood_function(self, instance):
                return -0.5 * (instance.gaussian.centre - self.data) ** 2

        assert Analysis(50.0).is_jax is False
        analysis = Analysis(50.0, use_jax=True)
        assert analysis.is_jax is True
        result = drawer().fit(model=gaussian_model(), analysis=analysis)
        assert result.log_likelihood <= 0.0

    def test_further_keywords_are_kept(self):
        analysis = af.Analysis(magzero=25.0)
        assert analysis.kwargs == {"magzero": 25.0}
        assert dict(af.Analysis.kwargs) == {}

    def test_subclass_without_super_init_has_the_defaults(self):
        class Analysis(af.Analysis):
            def __init__(self):
                pass

        assert Analysis().is_jax is False
        assert dict(Analysis().kwargs) == {}
