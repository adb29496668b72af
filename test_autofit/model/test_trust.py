"""Stored models only name trusted classes: never functions, never the standard library, and
never a module the reading process has not imported (unless the reader trusts it)."""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest

import autofit as af
from autofit.exc import SerialisationException, UntrustedClassException
from autofit.model.trust import is_trusted_module, trusted_class


def write_package(root: Path, name: str) -> Path:
    """A package whose import leaves a marker file, holding a class ``Thing(value)``."""
    marker = root / f"{name}.imported"
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('imported')\n\n"
        "class Thing:\n    def __init__(self, value=1.0):\n        self.value = value\n"
    )
    return marker


@pytest.mark.parametrize(
    "path, match",
    [
        ("os.system", "not a class"),
        ("builtins.eval", "not a class"),
        ("subprocess.Popen", "standard library"),
        ("collections.OrderedDict", "standard library"),
        ("builtins.type", "standard library"),
        ("numpy.memmap", "never built"),
        ("numpy.lib.npyio.DataSource", "infrastructure packages"),
        ("numpy.load", "not a class"),
    ],
)
def test_functions_standard_library_and_file_classes_are_refused(path, match):
    with pytest.raises(UntrustedClassException, match=match):
        trusted_class(path)


def test_standard_library_is_refused_even_when_listed():
    with pytest.raises(UntrustedClassException, match="standard library"):
        trusted_class("subprocess.Popen", trusted_modules=["subprocess"])
    assert not is_trusted_module("subprocess", ["subprocess"])


def test_a_standard_library_class_reached_through_a_trusted_module_is_refused(monkeypatch):
    friendly = types.ModuleType("friendly_reexport")
    friendly.Popen = subprocess.Popen
    monkeypatch.setitem(sys.modules, "friendly_reexport", friendly)
    with pytest.raises(UntrustedClassException, match="'subprocess'"):
        trusted_class("friendly_reexport.Popen")


def test_imported_model_classes_resolve():
    assert trusted_class("autofit.example.model.Gaussian") is af.ex.Gaussian
    assert trusted_class("numpy.ndarray") is np.ndarray


def test_a_module_that_is_not_imported_is_not_imported_by_reading(tmp_path, monkeypatch):
    marker = write_package(tmp_path, "stored_model_package")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "stored_model_package", raising=False)
    with pytest.raises(
        UntrustedClassException,
        match=r"'stored_model_package.Thing'.*trusted_modules=\['stored_model_package'\]",
    ):
        trusted_class("stored_model_package.Thing")
    assert not marker.exists()
    assert "stored_model_package" not in sys.modules


def test_a_listed_module_is_imported_and_its_classes_trusted(tmp_path, monkeypatch):
    marker = write_package(tmp_path, "listed_model_package")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "listed_model_package", raising=False)
    cls = trusted_class("listed_model_package.Thing", trusted_modules=["listed_model_package"])
    assert marker.exists()
    assert cls.__name__ == "Thing"
    monkeypatch.delitem(sys.modules, "listed_model_package")


def test_a_listed_module_that_does_not_exist_names_the_class():
    with pytest.raises(SerialisationException, match="Cannot import class 'no_such_pkg.Thing'"):
        trusted_class("no_such_pkg.Thing", trusted_modules=["no_such_pkg"])


def hostile_model(path: str, **arguments) -> dict:
    return {"type": "model", "class_path": path, "arguments": arguments}


def test_model_from_dict_never_runs_a_stored_command(tmp_path):
    marker = tmp_path / "ran"
    entry = hostile_model("subprocess.Popen", args=["touch", str(marker)])
    with pytest.raises(UntrustedClassException, match="subprocess.Popen"):
        af.AbstractModel.from_dict(entry)
    entry = hostile_model("os.system", command=f"touch {marker}")
    with pytest.raises(UntrustedClassException, match="os.system"):
        af.AbstractModel.from_dict(entry)
    assert not marker.exists()


def test_fixed_objects_and_classes_in_a_model_are_checked_too():
    entry = hostile_model(
        "autofit.example.model.Gaussian",
        centre={"type": "object", "class_path": "subprocess.Popen", "state": {}},
        normalization=1.0,
        sigma=1.0,
    )
    with pytest.raises(UntrustedClassException, match="subprocess.Popen"):
        af.AbstractModel.from_dict(entry)
    entry["arguments"]["centre"] = {"type": "class", "class_path": "os.system"}
    with pytest.raises(UntrustedClassException, match="not a class"):
        af.AbstractModel.from_dict(entry)


def test_a_model_of_imported_classes_round_trips():
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian))
    model.gaussian.sigma = 2.0
    read = af.AbstractModel.from_dict(model.dict())
    assert read.prior_count == 2
    assert read.instance_from_vector([1.0, 3.0]).gaussian.sigma == 2.0


def test_from_json_takes_trusted_modules(tmp_path, monkeypatch):
    write_package(tmp_path, "json_model_package")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "json_model_package", raising=False)
    file = tmp_path / "model.json"
    file.write_text(
        '{"type": "model", "class_path": "json_model_package.Thing", "arguments": '
        '{"value": {"type": "Uniform", "lower_limit": 0.0, "upper_limit": 1.0}}}'
    )
    with pytest.raises(UntrustedClassException):
        af.AbstractModel.from_json(file)
    model = af.AbstractModel.from_json(file, trusted_modules=["json_model_package"])
    assert model.instance_from_vector([0.5]).value == 0.5
    monkeypatch.delitem(sys.modules, "json_model_package")
