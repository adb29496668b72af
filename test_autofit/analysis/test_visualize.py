"""Tests of ``af.Visualizer`` hooks: when a fit calls them, with what, and where they write."""

from __future__ import annotations

import json

import numpy as np
import pytest

import autofit as af

DATA, NOISE_MAP = af.ex.simulate_data(noise=0.5, seed=5)
NWALKERS, NSTEPS, UPDATE = 10, 50, 20


class FileVisualizer(af.Visualizer):
    """Writes one JSON file per call into ``paths.image_path`` and records the call."""

    @staticmethod
    def visualize_before_fit(analysis, paths, model):
        index = len(analysis.events)
        analysis.events.append(("before", model))
        (paths.image_path / f"{index}_before.json").write_text(
            json.dumps({"prior_count": model.prior_count})
        )

    @staticmethod
    def visualize(analysis, paths, instance, during_analysis):
        index = len(analysis.events)
        analysis.events.append(("visualize", instance, during_analysis))
        gaussian = instance.gaussian
        (paths.image_path / f"{index}_visualize.json").write_text(
            json.dumps(
                {
                    "during_analysis": during_analysis,
                    "vector": [gaussian.centre, gaussian.normalization, gaussian.sigma],
                }
            )
        )


class VisualizedAnalysis(af.ex.Analysis):
    Visualizer = FileVisualizer

    def __init__(self):
        super().__init__(DATA, NOISE_MAP)
        self.events = []


def gaussian_model():
    return af.Collection(gaussian=af.Model(af.ex.Gaussian))


def emcee(tmp_path=None):
    paths = None if tmp_path is None else af.DirectoryPaths(name="vis", output_root=tmp_path)
    return af.Emcee(
        nwalkers=NWALKERS,
        nsteps=NSTEPS,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        iterations_per_update=UPDATE,
        seed=1,
        silence=True,
        paths=paths,
    )


@pytest.fixture(scope="module")
def visualized_fit(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("visualized")
    model = gaussian_model()
    analysis = VisualizedAnalysis()
    result = emcee(tmp_path).fit(model=model, analysis=analysis)
    return model, analysis, result


class TestVisualizeHooks:
    def test_before_fit_is_called_once_first_with_the_model(self, visualized_fit):
        model, analysis, _ = visualized_fit
        assert analysis.events[0] == ("before", model)
        assert [event[0] for event in analysis.events].count("before") == 1

    def test_visualize_is_called_at_every_update_and_at_the_end(self, visualized_fit):
        _, analysis, _ = visualized_fit
        flags = [event[2] for event in analysis.events if event[0] == "visualize"]
        # Updates after 20 and 40 of the 50 steps, then the final call.
        assert flags == [True, True, False]

    def test_final_instance_is_the_max_likelihood_instance(self, visualized_fit):
        _, analysis, result = visualized_fit
        instance = analysis.events[-1][1]
        expected = result.samples.max_log_likelihood(as_instance=False)
        assert [
            instance.gaussian.centre,
            instance.gaussian.normalization,
            instance.gaussian.sigma,
        ] == expected
        assert result.instance.gaussian.centre == instance.gaussian.centre

    def test_update_instances_are_the_max_likelihood_of_the_chain_so_far(self, visualized_fit):
        _, analysis, result = visualized_fit
        updates = [event[1] for event in analysis.events if event[0] == "visualize"][:2]
        parameters = result.samples.parameters
        log_likelihood = result.samples.log_likelihood
        for steps, instance in zip((UPDATE, 2 * UPDATE), updates, strict=True):
            count = steps * NWALKERS
            best = parameters[int(np.argmax(log_likelihood[:count]))]
            vector = [
                instance.gaussian.centre,
                instance.gaussian.normalization,
                instance.gaussian.sigma,
            ]
            np.testing.assert_array_equal(vector, best)

    def test_files_are_written_into_the_image_folder(self, visualized_fit):
        _, _, result = visualized_fit
        image_path = result.paths.output_path / "image"
        names = sorted(path.name for path in image_path.iterdir())
        assert names == [
            "0_before.json",
            "1_visualize.json",
            "2_visualize.json",
            "3_visualize.json",
        ]
        assert json.loads((image_path / "0_before.json").read_text()) == {"prior_count": 3}
        final = json.loads((image_path / "3_visualize.json").read_text())
        assert final["during_analysis"] is False
        assert final["vector"] == result.samples.max_log_likelihood(as_instance=False)


class TestSkippingVisualization:
    def test_environment_variable_skips_both_hooks(self, tmp_path, monkeypatch):
        monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
        analysis = VisualizedAnalysis()
        result = emcee(tmp_path).fit(model=gaussian_model(), analysis=analysis)
        assert analysis.events == []
        image_path = result.paths.output_path / "image"
        assert not image_path.exists() or list(image_path.iterdir()) == []
        assert result.samples.total_samples == NWALKERS * NSTEPS

    def test_without_output_folder_nothing_is_visualized(self, tmp_path, monkeypatch):
        monkeypatch.chdir(tmp_path)
        analysis = VisualizedAnalysis()
        result = emcee().fit(model=gaussian_model(), analysis=analysis)
        assert analysis.events == []
        assert result.samples.total_samples == NWALKERS * NSTEPS
        assert list(tmp_path.iterdir()) == []


class TestDefaultVisualizer:
    def test_default_hooks_do_nothing(self, tmp_path):
        paths = af.DirectoryPaths(name="x", output_root=tmp_path)
        paths.identifier = "abc"
        assert af.Visualizer.visualize_before_fit(object(), paths, gaussian_model()) is None
        assert af.Visualizer.visualize(object(), paths, None, during_analysis=True) is None
        assert list(tmp_path.iterdir()) == []
