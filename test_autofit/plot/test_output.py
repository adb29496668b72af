"""Plot formats, new figures and atomic figure files (autofit/plot/output.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pytest
from matplotlib.figure import Figure

import autofit.plot as aplt
from autofit.plot.output import check_formats, new_figure, output_figure

from .conftest import PDF_MAGIC, is_png


def simple_figure() -> Figure:
    figure = Figure(figsize=(2.0, 1.5), dpi=50)
    figure.subplots().plot([0, 1, 2], [2, 0, 1])
    return figure


def test_formats_are_show_png_and_pdf():
    assert aplt.FORMATS == ("show", "png", "pdf")


def test_check_formats_accepts_one_or_a_list_and_drops_repeats(tmp_path):
    assert check_formats("show", None) == ["show"]
    assert check_formats(["pdf", "png", "pdf"], tmp_path) == ["pdf", "png"]


@pytest.mark.parametrize("bad", ["jpg", ["png", "svg"], "PNG"])
def test_an_invalid_format_raises_naming_the_valid_ones(bad, tmp_path):
    with pytest.raises(ValueError, match="'show', 'png', 'pdf'") as error:
        check_formats(bad, tmp_path)
    assert repr(bad if isinstance(bad, str) else bad[1]) in str(error.value)


def test_no_format_raises(tmp_path):
    with pytest.raises(ValueError, match="No plot format"):
        check_formats([], tmp_path)


def test_a_file_format_without_a_path_raises():
    with pytest.raises(ValueError, match="path="):
        check_formats(["show", "png"], None)


def test_output_figure_writes_each_format_into_a_new_folder(tmp_path):
    folder = tmp_path / "a" / "b"
    written = output_figure(simple_figure(), folder, "plot", ["png", "pdf"])
    assert written == [folder / "plot.png", folder / "plot.pdf"]
    assert is_png(folder / "plot.png")
    assert (folder / "plot.pdf").read_bytes()[:4] == PDF_MAGIC
    assert sorted(path.name for path in folder.iterdir()) == ["plot.pdf", "plot.png"]


def test_output_figure_replaces_an_existing_file(tmp_path):
    (tmp_path / "plot.png").write_bytes(b"old")
    output_figure(simple_figure(), tmp_path, "plot", "png")
    assert is_png(tmp_path / "plot.png")


def test_a_failed_write_keeps_the_previous_file_and_leaves_no_temporary(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "plot.png").write_bytes(b"old")
    figure = simple_figure()

    def failing_savefig(target, **kwargs):
        with open(target, "wb") as file:
            file.write(b"\x89PNG half")
        raise RuntimeError("disk full")

    figure.savefig = failing_savefig
    with pytest.raises(RuntimeError, match="disk full"):
        output_figure(figure, folder, "plot", "png")
    assert (folder / "plot.png").read_bytes() == b"old"
    assert [path.name for path in folder.iterdir()] == ["plot.png"]


def test_a_saved_pyplot_figure_is_closed_and_a_shown_one_kept(tmp_path):
    saved = plt.figure()
    output_figure(saved, tmp_path, "saved", "png")
    assert not plt.fignum_exists(saved.number)
    shown = plt.figure()
    assert output_figure(shown, tmp_path, "shown", ["show", "png"]) == [tmp_path / "shown.png"]
    assert plt.fignum_exists(shown.number)
    assert output_figure(shown, None, "shown", "show") == []
    assert plt.fignum_exists(shown.number)


def test_a_figure_to_show_is_a_pyplot_figure_and_one_to_save_is_not():
    shown = new_figure(["show"], (3.0, 2.0))
    assert plt.fignum_exists(shown.number)
    saved = new_figure(["png"], (3.0, 2.0), dpi=80)
    assert saved.canvas.manager is None
    assert tuple(saved.get_size_inches()) == (3.0, 2.0)
    assert saved.dpi == 80
