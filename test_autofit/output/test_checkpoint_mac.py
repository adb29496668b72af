"""Pickled checkpoints are loaded only with a valid keyed hash written by this user's runs."""

from __future__ import annotations

import os
import pickle
import stat

import pytest

import autofit as af
from autofit.output import checkpoint_mac
from autofit.output.checkpoint_mac import (
    KEY_PATH_VARIABLE,
    checkpoint_is_signed,
    mac_path,
    set_aside,
    sign_checkpoint,
)


@pytest.fixture
def key_file(tmp_path, monkeypatch):
    path = tmp_path / "keys" / "checkpoint.key"
    monkeypatch.setenv(KEY_PATH_VARIABLE, str(path))
    return path


def test_the_key_is_created_on_first_use_readable_by_the_user_only(key_file):
    assert not key_file.exists()
    key = checkpoint_mac.checkpoint_key()
    assert len(key) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert checkpoint_mac.checkpoint_key() == key


def test_the_default_key_lives_in_the_home_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(KEY_PATH_VARIABLE, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert checkpoint_mac.key_path() == tmp_path / ".autofit" / "checkpoint.key"


def test_a_signed_checkpoint_verifies_and_a_changed_one_does_not(key_file, tmp_path):
    checkpoint = tmp_path / "sampler.save"
    checkpoint.write_bytes(b"state")
    assert not checkpoint_is_signed(checkpoint)
    sign_checkpoint(checkpoint)
    assert mac_path(checkpoint).exists()
    assert checkpoint_is_signed(checkpoint)
    checkpoint.write_bytes(b"State")
    assert not checkpoint_is_signed(checkpoint)


def test_a_checkpoint_signed_with_another_key_does_not_verify(key_file, tmp_path, monkeypatch):
    checkpoint = tmp_path / "sampler.save"
    checkpoint.write_bytes(b"state")
    sign_checkpoint(checkpoint)
    monkeypatch.setenv(KEY_PATH_VARIABLE, str(tmp_path / "colleague.key"))
    assert not checkpoint_is_signed(checkpoint)


def test_set_aside_keeps_the_file_renamed(key_file, tmp_path):
    checkpoint = tmp_path / "sampler.save"
    checkpoint.write_bytes(b"state")
    sign_checkpoint(checkpoint)
    kept = set_aside(checkpoint)
    assert kept.name == "sampler.save.unverified"
    assert kept.read_bytes() == b"state"
    assert not checkpoint.exists() and not mac_path(checkpoint).exists()


class _RunsCommand:
    """Unpickling this runs a shell command."""

    def __init__(self, command: str) -> None:
        self.command = command

    def __reduce__(self):
        return (os.system, (self.command,))


@pytest.mark.parametrize("with_mac", [False, True])
def test_dynesty_never_loads_a_checkpoint_it_did_not_sign(tmp_path, monkeypatch, with_mac):
    """A fit folder from someone else, whose dynesty.save is a hostile pickle (with or without
    a MAC file), is resumed from scratch: the pickle is not loaded, but kept renamed."""
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    monkeypatch.setenv(KEY_PATH_VARIABLE, str(tmp_path / "key"))
    data = af.ex.simulate_data(noise=0.1)
    model = af.Model(af.ex.Gaussian)
    model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
    model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=25.0)

    def search() -> af.DynestyStatic:
        paths = af.DirectoryPaths(name="dynesty", output_root=tmp_path / "output")
        return af.DynestyStatic(nlive=30, maxiter=200, seed=1, silence=True, paths=paths)

    result = search().fit(model=model, analysis=af.ex.Analysis(*data))
    folder = result.paths.output_path
    checkpoint = folder / "files" / "search_internal" / "dynesty.save"
    assert checkpoint_is_signed(checkpoint)

    marker = tmp_path / "command_ran"
    checkpoint.write_bytes(pickle.dumps(_RunsCommand(f"touch {marker}")))
    if with_mac:
        mac_path(checkpoint).write_text("0" * 64 + "\n")
    (folder / ".completed").unlink()
    with pytest.warns(af.searches.CheckpointWarning, match="no valid MAC.*afresh"):
        again = search().fit(model=model, analysis=af.ex.Analysis(*data))
    assert not marker.exists()
    kept = checkpoint.with_name("dynesty.save.unverified")
    assert kept.read_bytes().find(b"touch") >= 0
    assert checkpoint_is_signed(checkpoint)
    assert again.samples.total_samples > 0


def test_a_fit_without_a_usable_key_runs_and_says_its_checkpoint_is_unsigned(tmp_path, monkeypatch):
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("")
    monkeypatch.setenv(KEY_PATH_VARIABLE, str(blocker / "checkpoint.key"))
    monkeypatch.setenv("AUTOFIT_SKIP_VISUALIZATION", "1")
    model = af.Model(af.ex.Gaussian)
    paths = af.DirectoryPaths(name="unsigned", output_root=tmp_path / "output")
    search = af.DynestyStatic(nlive=20, maxiter=60, seed=1, silence=True, paths=paths)
    with pytest.warns(af.searches.CheckpointWarning, match="Cannot sign the checkpoint"):
        result = search.fit(model=model, analysis=af.ex.Analysis(*af.ex.simulate_data(noise=0.1)))
    assert result.samples.total_samples > 0
    assert not checkpoint_is_signed(paths.search_internal_path / "dynesty.save")
