"""Corner plots drawn by anesthetic (autofit/plot/anesthetic_plot.py)."""

from __future__ import annotations

import sys

import pytest

import autofit.plot as aplt

from .conftest import PNG_MAGIC, is_png, mcmc_samples, nest_samples


def test_without_anesthetic_the_error_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "anesthetic", None)
    with pytest.raises(ImportError, match=r"pip install 'autofit\[anesthetic\]'"):
        aplt.corner_anesthetic(nest_samples(count=100), path=tmp_path / "plots", format="png")
    assert not (tmp_path / "plots").exists()


def test_a_bad_format_is_reported_before_anesthetic_is_needed(monkeypatch):
    monkeypatch.setitem(sys.modules, "anesthetic", None)
    with pytest.raises(ValueError, match="Invalid plot format 'jpg'"):
        aplt.corner_anesthetic(nest_samples(count=100), format="jpg")


@pytest.fixture
def anesthetic():
    return pytest.importorskip(
        "anesthetic", reason='anesthetic is not installed: pip install -e ".[anesthetic]"'
    )


def test_writes_png_and_pdf_of_weighted_samples(anesthetic, tmp_path):
    assert aplt.corner_anesthetic(nest_samples(), path=tmp_path, format=["png", "pdf"]) is None
    assert is_png(tmp_path / "corner_anesthetic.png")
    assert (tmp_path / "corner_anesthetic.pdf").read_bytes()[:4] == b"%PDF"
    assert PNG_MAGIC not in (tmp_path / "corner_anesthetic.pdf").read_bytes()[:8]


def test_show_returns_a_grid_of_the_chosen_parameters_labelled_in_latex(anesthetic):
    figure = aplt.corner_anesthetic(
        mcmc_samples(walkers=10, steps=200), format="show", parameter_indices=[0, 2]
    )
    try:
        # Four panels (diagonal ones carry a twin axis for the 1D density).
        panels = [axis for axis in figure.axes if axis.get_xlabel()]
        assert len(panels) == 4
        labels = {axis.get_xlabel() for axis in panels}
        assert labels == {"$x^{\\rm g}$", "$\\sigma^{\\rm g}$"}
    finally:
        import matplotlib.pyplot as plt

        plt.close(figure)


def test_a_parameter_index_out_of_range_raises(anesthetic):
    with pytest.raises(ValueError, match="indices of the 3 parameters of the model, got \\[5\\]"):
        aplt.corner_anesthetic(nest_samples(count=100), format="show", parameter_indices=[5])
