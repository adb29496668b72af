"""The plots a search writes at the end of a fit and their configuration
(autofit/plot/search_plots.py, autofit/config/visualize/plots_search.yaml)."""

from __future__ import annotations

import logging

import pytest

import autofit as af
import autofit.plot as aplt
from autofit.plot import search_plots

from .conftest import is_png, mcmc_samples, nest_samples, optimizer_samples

ALL = ["corner_cornerpy", "subplot_parameters", "log_likelihood_vs_iteration"]


@pytest.mark.parametrize(
    ("search", "plots"),
    [
        ("Emcee", ALL),
        ("Zeus", ALL),
        ("DynestyStatic", ["corner_cornerpy", "log_likelihood_vs_iteration"]),
        ("DynestyDynamic", ["corner_cornerpy", "log_likelihood_vs_iteration"]),
        ("Nautilus", ["corner_cornerpy", "log_likelihood_vs_iteration"]),
        ("UltraNest", ["corner_cornerpy", "log_likelihood_vs_iteration"]),
        ("LBFGS", ["subplot_parameters", "log_likelihood_vs_iteration"]),
        ("BFGS", ["subplot_parameters", "log_likelihood_vs_iteration"]),
        ("Drawer", ["corner_cornerpy"]),
        ("SomethingElse", ["corner_cornerpy", "log_likelihood_vs_iteration"]),
    ],
)
def test_the_shipped_configuration(search, plots):
    assert aplt.plots_for_search(search) == plots


def test_every_search_of_autofit_has_an_entry():
    from autofit.config import PACKAGE_CONFIG_PATH
    from autofit.config.yaml_files import YamlFiles

    document = YamlFiles().load(str(PACKAGE_CONFIG_PATH / "visualize" / "plots_search.yaml"))
    searches = [name for name in dir(af) if isinstance(getattr(af, name), type)]
    searches = [
        name
        for name in searches
        if issubclass(getattr(af, name), af.NonLinearSearch) and name != "NonLinearSearch"
    ]
    assert searches
    assert set(searches) <= set(document.data)


def test_a_configuration_of_your_own_overrides_single_settings(tmp_path):
    folder = tmp_path / "config" / "visualize"
    folder.mkdir(parents=True)
    (folder / "plots_search.yaml").write_text(
        "Emcee:\n  corner_cornerpy: false\ndefault:\n  subplot_parameters: true\n"
        "MySearch:\n  log_likelihood_vs_iteration: false\n",
        encoding="utf-8",
    )
    af.conf.instance.push(new_path=tmp_path / "config")
    assert aplt.plots_for_search("Emcee") == ["subplot_parameters", "log_likelihood_vs_iteration"]
    # The shipped Emcee entry still sets subplot_parameters: a search's entry wins over default.
    assert aplt.plots_for_search("LBFGS") == ["subplot_parameters", "log_likelihood_vs_iteration"]
    assert aplt.plots_for_search("Drawer") == ["corner_cornerpy"]
    assert aplt.plots_for_search("Other") == ALL
    assert aplt.plots_for_search("MySearch") == ["corner_cornerpy", "subplot_parameters"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Emcee:\n  corner: true\n", "unknown plot 'corner'; the plots are corner_cornerpy, "),
        ("Emcee:\n  corner_cornerpy: yes please\n", "Emcee.corner_cornerpy must be true or false"),
        ("Emcee: [corner_cornerpy]\n", "the entry of Emcee must map plot names"),
    ],
)
def test_an_invalid_configuration_raises_naming_the_file(text, message, tmp_path):
    folder = tmp_path / "visualize"
    folder.mkdir()
    (folder / "plots_search.yaml").write_text(text, encoding="utf-8")
    af.conf.instance.push(new_path=tmp_path)
    with pytest.raises(af.exc.ConfigException, match=message) as error:
        aplt.plots_for_search("Emcee")
    assert str(folder / "plots_search.yaml") in str(error.value)


@pytest.mark.parametrize(
    ("search", "make", "files"),
    [
        ("Emcee", mcmc_samples, ["corner", "subplot_parameters", "log_likelihood_vs_iteration"]),
        ("DynestyStatic", nest_samples, ["corner", "log_likelihood_vs_iteration"]),
        ("LBFGS", optimizer_samples, ["subplot_parameters", "log_likelihood_vs_iteration"]),
    ],
)
def test_plot_search_writes_the_configured_pngs_into_image_search(search, make, files, tmp_path):
    image = tmp_path / "image"
    written = aplt.plot_search(make(), image, search)
    assert written == [image / "search" / f"{name}.png" for name in files]
    assert all(is_png(path) for path in written)
    assert sorted(path.name for path in (image / "search").iterdir()) == sorted(
        f"{name}.png" for name in files
    )


@pytest.mark.parametrize("value", ["1", "true"])
def test_plot_search_is_skipped_with_autofit_skip_visualization(value, tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", value)
    assert aplt.plot_search(optimizer_samples(), tmp_path / "image", "LBFGS") == []
    assert not (tmp_path / "image").exists()


def test_skip_visualization_set_to_0_still_plots(tmp_path, monkeypatch):
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "0")
    assert len(aplt.plot_search(optimizer_samples(), tmp_path / "image", "LBFGS")) == 2


def test_nothing_is_plotted_without_an_image_folder_or_samples(tmp_path):
    assert aplt.plot_search(optimizer_samples(), None, "LBFGS") == []
    empty = af.SamplesOptimizer(af.Model(af.ex.Gaussian), [], [], [])
    assert aplt.plot_search(empty, tmp_path / "image", "LBFGS") == []
    assert not (tmp_path / "image").exists()


def test_a_plot_that_fails_is_logged_and_the_others_still_written(tmp_path, monkeypatch, caplog):
    def broken(samples, **kwargs):
        raise RuntimeError("cannot draw")

    monkeypatch.setitem(search_plots.PLOTS, "subplot_parameters", (broken, "subplot_parameters"))
    with caplog.at_level(logging.WARNING, logger="autofit.plot"):
        written = aplt.plot_search(optimizer_samples(), tmp_path / "image", "LBFGS")
    assert written == [tmp_path / "image" / "search" / "log_likelihood_vs_iteration.png"]
    assert "LBFGS: could not draw subplot_parameters: cannot draw" in caplog.text
