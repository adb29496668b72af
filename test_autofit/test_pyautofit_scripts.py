"""Scripts written in PyAutoFit's style run unchanged.

Each case is a folder of ``test_autofit/pyautofit_scripts/``:

- ``script.py``: a short script as a PyAutoFit user writes it (``import autofit as af``);
- ``config/`` (optional): the user's configuration folder, found as ``./config``;
- ``expected.txt`` (optional): lines the script must print, one per line, each matched as a
  regular expression against some line of its standard output (``re.search``).

The case folder is copied into a scratch folder, the script runs there in a subprocess (its
output goes to the scratch folder's ``output/``) and must exit with status 0 and print every
expected line. Warnings from ``autofit`` itself are shown (``PYTHONWARNINGS=default``) but do
not fail a case: the reference is silent where we warn on purpose.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES_FOLDER = Path(__file__).resolve().parent / "pyautofit_scripts"
CASES = sorted(path.name for path in CASES_FOLDER.iterdir() if (path / "script.py").is_file())


def run_case(name: str, scratch: Path) -> subprocess.CompletedProcess:
    """Copy case ``name`` into ``scratch`` and run its script there."""
    folder = scratch / name
    shutil.copytree(CASES_FOLDER / name, folder)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AUTOFIT_CONFIG_PATH", "AUTOFIT_OUTPUT_PATH")
    }
    environment["PYTHONWARNINGS"] = "default"
    environment["AUTOFIT_SKIP_VISUALIZATION"] = "1"
    # The package of this checkout, whatever the working directory.
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, "script.py"],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=240,
    )


def expected_lines(name: str) -> list[str]:
    """The patterns of a case's ``expected.txt`` (blank lines and ``#`` comments skipped)."""
    path = CASES_FOLDER / name / "expected.txt"
    if not path.exists():
        return []
    return [
        line
        for line in path.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def test_there_are_cases():
    assert CASES, f"no cases in {CASES_FOLDER}"


@pytest.mark.parametrize("name", CASES)
def test_script_runs_unchanged(name, tmp_path):
    completed = run_case(name, tmp_path)
    report = f"stdout:\n{completed.stdout}\nstderr:\n{completed.stderr}"
    assert completed.returncode == 0, report
    lines = completed.stdout.splitlines()
    for pattern in expected_lines(name):
        assert any(re.search(pattern, line) for line in lines), (
            f"{name}: no printed line matches {pattern!r}\n{report}"
        )
