"""One progress display per fit: a single bar on a terminal, log lines otherwise, nothing when
silenced (autofit/searches/progress.py and its use in emcee.py, dynesty.py, zeus.py)."""

from __future__ import annotations

import io
import logging

import pytest

import autofit as af
from autofit.searches import progress as progress_module
from autofit.searches.progress import FitProgress, is_interactive, progress_mode

from .analyses import CountingAnalysis

pytest.importorskip("tqdm")


class Interrupted(BaseException):
    """Stands in for a kill: not an ``Exception``, so nothing on the way catches it."""


class InterruptAfter(CountingAnalysis):
    """The example analysis, interrupting the fit at its ``limit``-th likelihood call."""

    def __init__(self, data, noise_map, limit: int) -> None:
        super().__init__(data, noise_map)
        self.limit = limit

    def log_likelihood_function(self, instance) -> float:
        if self.calls >= self.limit:
            raise Interrupted
        return super().log_likelihood_function(instance)


class Terminal(io.StringIO):
    """A text stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def bars(text: str) -> list[str]:
    """The final state of each progress bar written to ``text``: tqdm redraws a bar in place
    (carriage returns) and ends it with a newline, so each bar leaves one line."""
    lines = [line.split("\r")[-1] for line in text.split("\n")]
    return [line for line in lines if "|" in line or "it [" in line]


@pytest.fixture
def terminal(monkeypatch, capsys):
    """Standard error (captured) claims to be a terminal. pytest installs the capturing stream
    only while the test runs, so its class is patched rather than the stream of the moment."""
    from _pytest.capture import CaptureIO

    monkeypatch.setattr(CaptureIO, "isatty", lambda self: True)
    return capsys


# -- the display on its own ----------------------------------------------------------------------


def test_progress_mode_follows_silence_terminal_and_tqdm(monkeypatch):
    assert progress_mode(silence=True, stream=Terminal()) == "quiet"
    assert progress_mode(stream=Terminal()) == "bar"
    assert progress_mode(stream=io.StringIO()) == "log"
    monkeypatch.setattr(progress_module, "_tqdm_available", lambda: False)
    assert progress_mode(stream=Terminal()) == "log"


def test_a_closed_or_odd_stream_is_not_interactive():
    closed = io.StringIO()
    closed.close()
    assert not is_interactive(closed)
    assert not is_interactive(object())


def test_one_bar_starts_where_a_resumed_run_was_and_shows_the_best_value():
    stream = Terminal()
    progress = FitProgress("Emcee", "bar", stream=stream)
    progress.start(300, done=100, unit="step", best_name="max log posterior")
    for value in (-5.0, -2.0, -3.0):
        progress.advance(50, best=value)
    progress.start(10)  # ignored: the display is started once per fit
    progress.close()
    written = stream.getvalue()
    assert written.split("\r")[1].startswith("Emcee:  33%|")  # first drawn at 100 / 300
    assert bars(written) == [bars(written)[0]]
    assert "250/300" in bars(written)[0]
    assert "max_logpost=-2" in bars(written)[0]
    assert progress.done == 250 and progress.best == -2.0


def test_log_mode_writes_one_line_per_block_and_no_bar(caplog):
    stream = io.StringIO()
    progress = FitProgress("DynestyStatic", "log", stream=stream)
    progress.block_done()  # not started: nothing to say
    progress.start(None, done=10)
    progress.move_to(110, best=-4.25)
    with caplog.at_level(logging.INFO, logger="autofit.search"):
        progress.block_done()
        progress.move_to(90, best=float("nan"))  # never goes back; NaN is not a best value
        progress.block_done()
    progress.close()
    assert [record.getMessage() for record in caplog.records] == [
        "DynestyStatic: 110 iterations, max log likelihood -4.25"
    ] * 2
    assert stream.getvalue() == ""


def test_quiet_mode_says_nothing(caplog):
    stream = Terminal()
    progress = FitProgress("Emcee", "quiet", stream=stream)
    progress.start(10)
    progress.advance(5, best=1.0)
    with caplog.at_level(logging.INFO, logger="autofit.search"):
        progress.block_done()
    assert stream.getvalue() == "" and caplog.records == []


def test_an_unknown_mode_raises():
    with pytest.raises(ValueError, match="progress mode must be one of bar, log, quiet"):
        FitProgress("Emcee", "fancy")


# -- fits ----------------------------------------------------------------------------------------


def emcee(**kwargs):
    return af.Emcee(
        nwalkers=20,
        nsteps=300,
        iterations_per_update=100,
        seed=1,
        auto_correlation_settings=af.AutoCorrelationsSettings(check_for_convergence=False),
        **kwargs,
    )


def test_emcee_on_a_terminal_draws_one_bar_for_the_whole_run(terminal, model, analysis):
    emcee(name="bar").fit(model=model, analysis=analysis)
    drawn = bars(terminal.readouterr().err)
    assert len(drawn) == 1, drawn
    assert drawn[0].startswith("Emcee: 100%|") and "300/300" in drawn[0]


def test_a_resumed_emcee_fit_starts_its_bar_at_the_checkpoint(terminal, model, data):
    # 20 initial points, then 20 calls per step: interrupted between steps 100 and 200.
    with pytest.raises(Interrupted):
        emcee(name="resume").fit(model=model, analysis=InterruptAfter(*data, limit=20 * 160))
    # (emcee prints the traceback of the interrupting call into the bar.)
    assert "/300 [" in terminal.readouterr().err
    emcee(name="resume").fit(model=model, analysis=CountingAnalysis(*data))
    resumed = terminal.readouterr().err
    assert resumed.split("\r")[1].startswith("Emcee:  33%|")
    assert "100/300" in resumed.split("\r")[1]
    assert len(bars(resumed)) == 1 and "300/300" in bars(resumed)[0]


@pytest.mark.parametrize(
    "search",
    [
        lambda: af.DynestyStatic(nlive=40, iterations_per_update=100, seed=2, name="static"),
        lambda: af.DynestyDynamic(
            nlive_init=40, maxiter=1200, iterations_per_update=200, seed=2, name="dynamic"
        ),
    ],
    ids=["static", "dynamic"],
)
def test_dynesty_on_a_terminal_draws_one_bar(search, terminal, model, analysis):
    search().fit(model=model, analysis=analysis)
    drawn = bars(terminal.readouterr().err)
    assert len(drawn) == 1, drawn
    assert "logz=" in drawn[0] and "max_logl=" in drawn[0]


def test_zeus_on_a_terminal_draws_one_bar(terminal, model, analysis):
    pytest.importorskip("zeus")
    af.Zeus(nwalkers=10, nsteps=200, iterations_per_update=50, seed=3, name="zeus").fit(
        model=model, analysis=analysis
    )
    drawn = bars(terminal.readouterr().err)
    assert len(drawn) == 1, drawn
    assert drawn[0].startswith("Zeus: 100%|") and "200/200" in drawn[0]


def test_without_a_terminal_a_fit_logs_a_line_per_update_and_draws_no_bar(
    capsys, caplog, model, analysis
):
    with caplog.at_level(logging.INFO, logger="autofit.search"):
        emcee(name="batch").fit(model=model, analysis=analysis)
    lines = [record.getMessage() for record in caplog.records]
    blocks = [line for line in lines if " / 300 steps" in line]
    assert [line.split(",")[0] for line in blocks] == ["Emcee: 100 / 300 steps"] + [
        "Emcee: 200 / 300 steps"
    ]
    assert all(", max log posterior -" in line for line in blocks)
    assert bars(capsys.readouterr().err) == []


def test_silence_shows_neither_bar_nor_lines(terminal, caplog, model, analysis):
    with caplog.at_level(logging.INFO, logger="autofit.search"):
        emcee(name="silent", silence=True).fit(model=model, analysis=analysis)
        af.DynestyStatic(nlive=40, iterations_per_update=100, silence=True, name="s").fit(
            model=model, analysis=analysis
        )
    assert caplog.records == []
    assert terminal.readouterr().err == ""
