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
    for name in searches:
        assert name in document.data or search_plots.SEARCH_SECTIONS[name] in document.data


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
        (
            "Emcee:\n  corner_cornerpi: true\n",
            "unknown plot 'corner_cornerpi'; did you mean 'corner_cornerpy'\\? The plots are ",
        ),
        (
            "mle:\n  log_likelihood_vs_iterations: true\n",
            "did you mean 'log_likelihood_vs_iteration'",
        ),
        ("nest:\n  corner_anesthetic_component: true\n", "'corner_anesthetic_components'"),
        ("Emcee:\n  corner_cornerpy: yes please\n", "Emcee.corner_cornerpy must be true or false"),
        ("Emcee: [corner_cornerpy]\n", "the entry of Emcee must map plot names"),
        ("- mcmc\n", "must hold a mapping at its top level"),
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


# -- PyAutoFit's form of plots_search.yaml -------------------------------------------------------

#: A plots_search.yaml as PyAutoFit writes it: entries by search family, with its plot names.
PYAUTOFIT_FORM = """
nest:
  corner_anesthetic: true
  corner_anesthetic_components: true
  corner_anesthetic_latent: false
  corner_anesthetic_latent_components: true
mcmc:
  corner_cornerpy: false
mle:
  subplot_parameters: true
  log_likelihood_vs_iteration: false
  figure_of_merit_vs_iteration: true
"""


@pytest.fixture
def pyautofit_form(tmp_path, monkeypatch):
    """The PyAutoFit-form file in ./config (read before the shipped configuration), and no plot
    reported as ignored yet in this process."""
    folder = tmp_path / "working" / "config" / "visualize"
    folder.mkdir(parents=True)
    (folder / "plots_search.yaml").write_text(PYAUTOFIT_FORM, encoding="utf-8")
    monkeypatch.setattr(search_plots, "_reported", set())
    af.conf.instance.reset()
    return folder / "plots_search.yaml"


def test_a_pyautofit_form_file_in_the_working_directory_overrides_the_families(
    pyautofit_form, caplog
):
    with caplog.at_level(logging.INFO, logger="autofit.plot"):
        assert aplt.plots_for_search("DynestyStatic") == [
            "corner_cornerpy",
            "corner_anesthetic",
            "log_likelihood_vs_iteration",
        ]
        assert aplt.plots_for_search("Emcee") == [
            "subplot_parameters",
            "log_likelihood_vs_iteration",
        ]
        assert aplt.plots_for_search("LBFGS") == ["subplot_parameters"]
        assert aplt.plots_for_search("Drawer") == ["corner_cornerpy"]
    ignored = [record.getMessage() for record in caplog.records]
    # One line per plot autofit does not draw (switched on), however often the file is read.
    assert sorted(message.split(": ")[-1] for message in ignored) == [
        "autofit does not draw corner_anesthetic_components; the setting is ignored",
        "autofit does not draw corner_anesthetic_latent_components; the setting is ignored",
        "autofit does not draw figure_of_merit_vs_iteration; the setting is ignored",
    ]
    assert all(message.startswith(str(pyautofit_form)) for message in ignored)


def test_an_unknown_plot_far_from_every_known_one_is_ignored_with_one_log_line(
    tmp_path, monkeypatch, caplog
):
    folder = tmp_path / "visualize"
    folder.mkdir()
    (folder / "plots_search.yaml").write_text("nest:\n  residual_map: true\n", encoding="utf-8")
    monkeypatch.setattr(search_plots, "_reported", set())
    af.conf.instance.push(new_path=tmp_path)
    with caplog.at_level(logging.INFO, logger="autofit.plot"):
        assert aplt.plots_for_search("Nautilus") == [
            "corner_cornerpy",
            "log_likelihood_vs_iteration",
        ]
        aplt.plots_for_search("Nautilus")
    assert [record.getMessage() for record in caplog.records] == [
        f"{folder / 'plots_search.yaml'}: 'residual_map' is not a plot autofit knows; it is ignored"
    ]


def test_the_family_of_a_search_autofit_does_not_know_comes_from_its_samples():
    assert search_plots.section_for("Emcee") == "mcmc"
    assert search_plots.section_for("MySampler", mcmc_samples(walkers=4, steps=10)) == "mcmc"
    assert search_plots.section_for("MySampler", nest_samples(count=10)) == "nest"
    assert search_plots.section_for("MySampler", optimizer_samples(count=5)) == "mle"
    assert search_plots.section_for("MySampler") is None
    assert aplt.plots_for_search("MySampler", "mle") == aplt.plots_for_search("LBFGS")


def test_a_plot_whose_package_is_missing_is_skipped_with_one_warning(
    pyautofit_form, monkeypatch, tmp_path
):
    monkeypatch.setitem(
        search_plots.OPTIONAL_PACKAGES,
        "corner_anesthetic",
        (lambda: False, "pip install 'autofit[anesthetic]'"),
    )
    with pytest.warns(search_plots.PlotPackageWarning, match=r"autofit\[anesthetic\]") as caught:
        plots = search_plots.plots_to_draw("DynestyStatic")
        assert search_plots.plots_to_draw("DynestyDynamic") == plots
        written = aplt.plot_search(nest_samples(count=500), tmp_path / "image", "Nautilus")
    assert len(caught) == 1
    assert "corner_anesthetic plot" in str(caught[0].message)
    assert plots == ["corner_cornerpy", "log_likelihood_vs_iteration"]
    assert [path.name for path in written] == ["corner.png", "log_likelihood_vs_iteration.png"]


def test_plot_search_draws_corner_anesthetic_when_configured(pyautofit_form, tmp_path):
    pytest.importorskip(
        "anesthetic", reason='anesthetic is not installed: pip install -e ".[anesthetic]"'
    )
    written = aplt.plot_search(nest_samples(count=500), tmp_path / "image", "DynestyStatic")
    assert [path.name for path in written] == [
        "corner.png",
        "corner_anesthetic.png",
        "log_likelihood_vs_iteration.png",
    ]
    assert all(is_png(path) for path in written)
