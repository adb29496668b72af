"""Opening a colleague's database or output folders never runs code they stored: listing,
queries and summary vectors work without building a model, and models are built only from
trusted classes."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

import autofit as af
from autofit.database import open_database, write_fit
from autofit.exc import UntrustedClassException
from test_autofit.database.fits import make_content, write_folder
from test_autofit.model.test_trust import write_package


def stored_fit(root: Path, model: dict, identifier: str = "hostile") -> tuple[Path, Path]:
    """A complete fit whose model is ``model`` (no free parameters), in a database and in an
    output folder."""
    content = make_content(identifier, count=0, name="hostile", complete=True)
    content.model = model
    content.files["model.json"] = json.dumps(model).encode()
    summary = {
        "paths": [],
        "total_samples": 1,
        "log_evidence": None,
        "max_log_likelihood": 1.0,
        "max_log_likelihood_vector": [],
        "median_pdf_vector": [],
    }
    content.files["samples_summary.json"] = json.dumps(summary).encode()
    database = root / "hostile.sqlite"
    session = open_database(database)
    write_fit(session, content)
    session.close()
    session.get_bind().dispose()
    output = root / "output"
    write_folder(output, content)
    return database, output


def aggregators(database: Path, output: Path, **kwargs) -> list[af.Aggregator]:
    return [
        af.Aggregator.from_database(database, **kwargs),
        af.Aggregator.from_directory(output, **kwargs),
    ]


def test_a_stored_shell_command_never_runs(tmp_path):
    marker = tmp_path / "command_ran"
    model = {
        "type": "model",
        "class_path": "os.system",
        "arguments": {"command": f"touch {marker}"},
    }
    database, output = stored_fit(tmp_path, model)
    for agg in aggregators(database, output):
        assert len(agg) == 1
        assert [fit.name for fit in agg] == ["hostile"]
        assert len(agg.query(agg.search.name == "hostile")) == 1
        summary = agg[0].samples_summary
        assert summary.max_log_likelihood(as_instance=False) == []
        with pytest.raises(UntrustedClassException, match="os.system"):
            agg[0].value("instance")
        with pytest.raises(UntrustedClassException, match="os.system"):
            list(agg.values("instance"))
        with pytest.raises(UntrustedClassException, match="os.system"):
            list(agg.values("model"))
    popen = {
        "type": "model",
        "class_path": "subprocess.Popen",
        "arguments": {"args": {"type": "list", "values": ["touch", str(marker)]}},
    }
    database, output = stored_fit(tmp_path / "popen", popen)
    for agg in aggregators(database, output):
        with pytest.raises(UntrustedClassException, match="standard library"):
            agg[0].value("instance")
    assert not marker.exists()


@pytest.fixture
def package(tmp_path, monkeypatch) -> Path:
    """A package on sys.path, not imported, whose import leaves a marker file."""
    marker = write_package(tmp_path, "colleague_models")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "colleague_models", raising=False)
    yield marker
    sys.modules.pop("colleague_models", None)


MODEL = {
    "type": "model",
    "class_path": "colleague_models.Thing",
    "arguments": {"value": 3.0},
}


def test_a_module_that_is_not_imported_is_untrusted(tmp_path, package):
    database, output = stored_fit(tmp_path, MODEL)
    for agg in aggregators(database, output):
        with pytest.raises(UntrustedClassException, match="trusted_modules=.*general.yaml"):
            agg[0].value("instance")
    assert not package.exists()


def test_trusted_modules_argument(tmp_path, package):
    database, output = stored_fit(tmp_path, MODEL)
    for agg in aggregators(database, output, trusted_modules=["colleague_models"]):
        assert agg[0].instance.value == 3.0
        queried = agg.query(agg.search.name == "hostile")
        assert [instance.value for instance in queried.values("instance")] == [3.0]
    assert package.exists()


def test_trusted_modules_setting(tmp_path, package):
    config = tmp_path / "config"
    config.mkdir()
    (config / "general.yaml").write_text("security:\n  trusted_modules: [colleague_models]\n")
    database, output = stored_fit(tmp_path, MODEL)
    af.conf.instance.push(new_path=config)
    try:
        for agg in aggregators(database, output):
            assert agg[0].instance.value == 3.0
    finally:
        af.conf.instance.reset()


def test_a_malformed_setting_is_named(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "general.yaml").write_text("security:\n  trusted_modules: {a: 1}\n")
    database, output = stored_fit(tmp_path, MODEL)
    af.conf.instance.push(new_path=config)
    try:
        with pytest.raises(af.exc.ConfigException, match="trusted_modules in general.yaml"):
            af.Aggregator.from_directory(output)
    finally:
        af.conf.instance.reset()
