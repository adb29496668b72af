"""LaTeX labels of parameters and superscripts of classes."""

from __future__ import annotations

from autofit.config.notation import notation_section


class Gaussian:
    pass


class Wide(Gaussian):
    pass


class Unlabelled:
    pass


def test_packaged_labels_and_superscripts(config):
    assert config.label_for("sigma") == r"\sigma"
    assert config.label_for("centre") == "x"
    assert config.label_for("rate") == r"\lambda"
    assert config.superscript_for(Gaussian) == "g"
    assert config.superscript_for("Exponential") == "e"


def test_labels_fall_back_to_the_name_and_superscripts_to_nothing(config):
    assert config.label_for("brightness") == "brightness"
    assert config.superscript_for(Unlabelled) == ""
    assert config.superscript_for("Unlabelled") == ""


def test_superscripts_fall_back_to_parent_classes(config):
    assert config.superscript_for(Wide) == "g"


def test_first_directory_with_the_key_wins(tmp_path, write_yaml, config):
    write_yaml("working/config/notation.yaml", "label:\n  sigma: s\n  height: h\n")
    write_yaml("pushed/notation.yaml", "label:\n  height: H\nsuperscript:\n  Wide: w\n")
    config.push(tmp_path / "pushed")
    assert config.label_for("height") == "H"
    assert config.label_for("sigma") == "s"
    assert config.label_for("centre") == "x"
    assert config.superscript_for(Wide) == "w"
    assert config.superscript_for(Gaussian) == "g"


def test_values_are_strings(tmp_path, write_yaml, config):
    write_yaml("pushed/notation.yaml", "label:\n  order: 2\nsuperscript:\n  Unlabelled: 1\n")
    config.push(tmp_path / "pushed")
    assert config.label_for("order") == "2"
    assert config.superscript_for(Unlabelled) == "1"


def test_pyautofit_layout_is_read(tmp_path, write_yaml, config):
    write_yaml(
        "pushed/notation.yaml",
        "label:\n  label:\n    height: h\n  superscript:\n    Unlabelled: u\n",
    )
    config.push(tmp_path / "pushed")
    assert config.label_for("height") == "h"
    assert config.superscript_for(Unlabelled) == "u"


def test_notation_section_of_each_layout():
    assert notation_section({"label": {"a": "x"}}, "label") == {"a": "x"}
    assert notation_section({"label": {"a": "x"}}, "superscript") == {}
    nested = {"label": {"superscript": {"G": "g"}}}
    assert notation_section(nested, "label") == {}
    assert notation_section(nested, "superscript") == {"G": "g"}
    assert notation_section({}, "label") == {}
