"""Two processes writing one database fit from different output folders: the second fails at
once naming the first; the lock of a killed holder is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

import autofit as af
from autofit.database import open_database
from autofit.database.lock import advisory_key
from test_autofit.database import fits
from test_autofit.isolation import PACKAGE_CONFIG

pytestmark = pytest.mark.skipif(os.name != "posix", reason="flock locks are POSIX only")

SLOW_FIT = """
import sys, time
import autofit as af


class Slow(af.ex.Analysis):
    def log_likelihood_function(self, instance):
        time.sleep(0.002)
        return super().log_likelihood_function(instance)


af.conf.instance.push(new_path=sys.argv[2], output_path=sys.argv[1])
session = af.db.open_database(sys.argv[3])
search = af.Emcee(name="shared", nwalkers=10, nsteps=600, iterations_per_update=5, seed=1,
                  silence=True, session=session)
search.fit(model=af.Model(af.ex.Gaussian), analysis=Slow(*af.ex.simulate_data(noise=0.1)))
"""


def emcee(session) -> af.Emcee:
    return af.Emcee(
        name="shared",
        nwalkers=10,
        nsteps=600,
        iterations_per_update=500,
        seed=1,
        silence=True,
        session=session,
    )


def test_a_second_process_writing_the_same_database_fit_fails_naming_the_first(
    tmp_path, output_path, database_url
):
    other_output = tmp_path / "other_output"
    environment = {**os.environ, "AUTOFIT_SKIP_VISUALIZATION": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_FIT, str(other_output), str(PACKAGE_CONFIG), database_url],
        env=environment,
        cwd=tmp_path,
    )
    model = af.Model(af.ex.Gaussian)
    analysis = af.ex.Analysis(*af.ex.simulate_data(noise=0.1))
    session = open_database(database_url)
    try:
        deadline = time.monotonic() + 60
        while not list(other_output.glob("shared/*/files/search_internal/emcee.npz")):
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        # Another output folder, so only the database lock can see the running fit.
        with pytest.raises(
            af.exc.FitLockedException,
            match=rf"database fit shared/\w+ in .+ is being run by (autofit )?process "
            rf"{process.pid} on ",
        ):
            emcee(session).fit(model=model, analysis=analysis)
        assert not list(output_path.glob("shared/*/files/samples.csv"))
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    result = emcee(session).fit(model=model, analysis=analysis)
    assert abs(result.instance.centre - 50.0) < 1.0
    assert list(output_path.glob("shared/*/.completed"))
    if "://" not in database_url:  # the SQLite lock file is removed on release
        assert not any((tmp_path / "database.sqlite.locks").iterdir())
    fits.close(session)


def test_advisory_keys_are_signed_64_bit_integers():
    assert advisory_key("f" * 32) == -1
    assert advisory_key("7" + "f" * 31) == (1 << 63) - 1
    assert advisory_key("0" * 32) == 0
