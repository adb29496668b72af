"""Axis labels of parameters as mathtext (autofit/plot/labels.py)."""

from __future__ import annotations

import autofit as af
from autofit.plot.labels import parameter_labels


class Thing:
    def __init__(self, log_scale_radius: float = 1.0, x: float = 2.0, bad: float = 3.0):
        self.log_scale_radius = log_scale_radius
        self.x = x
        self.bad = bad


def test_labels_come_from_notation_with_class_superscripts():
    model = af.Collection(gaussian=af.ex.Gaussian, exponential=af.ex.Exponential)
    assert parameter_labels(model) == [
        r"$x^{\rm g}$",
        r"$N^{\rm g}$",
        r"$\sigma^{\rm g}$",
        r"$x^{\rm e}$",
        r"$N^{\rm e}$",
        r"$\lambda^{\rm e}$",
    ]


def test_names_mathtext_cannot_typeset_have_underscores_escaped_or_are_plain(tmp_path):
    (tmp_path / "notation.yaml").write_text("label:\n  bad: \\notacommand\n", encoding="utf-8")
    af.conf.instance.push(new_path=tmp_path)
    model = af.Model(
        Thing,
        log_scale_radius=af.UniformPrior(lower_limit=0.0, upper_limit=1.0),
        x=af.UniformPrior(lower_limit=0.0, upper_limit=1.0),
        bad=af.UniformPrior(lower_limit=0.0, upper_limit=1.0),
    )
    assert parameter_labels(model) == [r"$log\_scale\_radius$", "$x$", r"\notacommand"]
