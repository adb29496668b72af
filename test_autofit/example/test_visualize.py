"""Tests of ``af.ex.plot_profile_1d``."""

from __future__ import annotations

import matplotlib.image
import numpy as np
import pytest

import autofit as af

XVALUES = np.arange(20.0)
PROFILE = af.ex.Gaussian(centre=10.0, normalization=5.0, sigma=2.0).model_data_from(XVALUES)


def test_writes_a_png_named_after_output_filename(tmp_path):
    folder = tmp_path / "made" / "here"
    written = af.ex.plot_profile_1d(
        xvalues=XVALUES,
        profile_1d=PROFILE,
        title="Gaussian",
        ylabel="Profile normalization",
        errors=np.full(20, 0.1),
        color="b",
        output_path=folder,
        output_filename="gaussian",
    )
    assert written == folder / "gaussian.png"
    assert written.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(written)
    assert image.shape[0] > 100 and image.shape[1] > 100


def test_string_output_path_and_default_file_name(tmp_path):
    written = af.ex.plot_profile_1d(XVALUES, PROFILE, output_path=str(tmp_path))
    assert written == tmp_path / "profile_1d.png" and written.is_file()


def test_without_output_path_the_figure_is_shown_and_closed(monkeypatch):
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(plt, "show", lambda *args, **kwargs: shown.append(plt.gcf().number))
    before = set(plt.get_fignums())
    assert af.ex.plot_profile_1d(XVALUES, PROFILE, title="shown") is None
    assert len(shown) == 1
    assert set(plt.get_fignums()) == before


def test_mismatched_lengths_are_an_error():
    with pytest.raises(ValueError, match="same shape"):
        af.ex.plot_profile_1d(XVALUES, PROFILE[:5])
    with pytest.raises(ValueError, match="same shape"):
        af.ex.plot_profile_1d(XVALUES, PROFILE, errors=np.ones(3))


def test_output_filename_without_output_path_is_an_error():
    with pytest.raises(ValueError, match="needs an output_path"):
        af.ex.plot_profile_1d(XVALUES, PROFILE, output_filename="lost")
