"""The ``autofit db`` command line: scraping output folders into a database and listing its fits,
with clear errors for missing or foreign files."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from autofit.cli import main
from autofit.database import open_database
from autofit.database.schema import SCHEMA_VERSION
from test_autofit.database import fits


@pytest.fixture
def output(tmp_path: Path) -> Path:
    """Two complete fits and one that has just started."""
    root = tmp_path / "output"
    fits.write_folder(root, fits.make_content("id_a", seed=1, name="fit_a", unique_tag="tag_1"))
    fits.write_folder(
        root, fits.make_content("id_b", seed=2, name="longer_name_b", unique_tag="t2")
    )
    fits.write_folder(root, fits.make_content("id_c", count=0, complete=False, name="fit_c"))
    return root


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_scrape_prints_what_it_added_updated_and_skipped(capsys, output, tmp_path):
    database = str(tmp_path / "results.sqlite")
    status, out, _ = run(capsys, "db", "scrape", str(output), database)
    assert status == 0
    assert out.startswith(
        f"3 fit folders under {output}: 3 added, 0 updated, 0 unchanged, 0 skipped"
    )
    status, out, _ = run(capsys, "db", "scrape", str(output), database)
    assert status == 0
    assert "0 added, 0 updated, 3 unchanged, 0 skipped" in out
    (
        fits.fit_folder(output, fits.make_content("id_a", name="fit_a", unique_tag="tag_1"))
        / "files"
        / "model.json"
    ).write_text("{")
    status, out, _ = run(capsys, "db", "scrape", str(output), database)
    assert status == 0
    assert "0 added, 0 updated, 2 unchanged, 1 skipped" in out
    assert "fit_a" in out and "model.json" in out


def test_scrape_force_rewrites_every_fit(capsys, output, tmp_path):
    database = str(tmp_path / "results.sqlite")
    run(capsys, "db", "scrape", str(output), database)
    status, out, _ = run(capsys, "db", "scrape", "--force", str(output), database)
    assert status == 0 and "0 added, 3 updated, 0 unchanged" in out


def test_list_prints_an_aligned_table_of_the_fits(capsys, output, tmp_path):
    database = str(tmp_path / "results.sqlite")
    run(capsys, "db", "scrape", str(output), database)
    status, out, _ = run(capsys, "db", "list", database)
    assert status == 0
    lines = out.splitlines()
    header, rule, *rows, footer = lines
    assert header.split() == [
        "name",
        "unique",
        "tag",
        "complete",
        "max",
        "log",
        "likelihood",
        "log",
        "evidence",
    ]
    assert set(rule.replace(" ", "")) == {"-"}
    assert footer == "3 fits, 2 complete"
    best = {
        name: json.loads(fits.make_content("x", seed=seed).files["samples_summary.json"])[
            "max_log_likelihood"
        ]
        for name, seed in (("fit_a", 1), ("longer_name_b", 2))
    }
    expected = [
        ["fit_a", "tag_1", "yes", f"{best['fit_a']:.4f}", "-"],
        ["fit_c", "-", "no", "-", "-"],
        ["longer_name_b", "t2", "yes", f"{best['longer_name_b']:.4f}", "-"],
    ]
    assert [row.split() for row in rows] == expected
    # text columns start where their header does; number columns end where theirs does
    for title in ("unique tag", "complete"):
        start = header.index(title)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows)
    end = header.index("max log likelihood") + len("max log likelihood")
    assert all(row[end - 1] != " " and row[end : end + 2] == "  " for row in rows)
    assert all(line.rstrip() == line for line in lines)


def test_list_of_an_empty_database(capsys, tmp_path):
    database = str(tmp_path / "results.sqlite")
    open_database(database).get_bind().dispose()
    status, out, _ = run(capsys, "db", "list", database)
    assert (status, out) == (0, f"No fits in {database}\n")


def test_list_of_a_missing_file_names_it_and_creates_nothing(capsys, tmp_path):
    database = tmp_path / "typo.sqlite"
    status, out, err = run(capsys, "db", "list", str(database))
    assert status == 2 and out == ""
    assert err == f"autofit: error: No database file {database}\n"
    assert not database.exists()


def test_list_of_a_file_that_is_not_a_database(capsys, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("not a database " * 100)
    status, _, err = run(capsys, "db", "list", str(path))
    assert status == 2
    assert err.startswith(f"autofit: error: {path} is not an autofit results database ")
    assert "not a SQLite file" in err


def test_list_of_another_sqlite_database_leaves_it_untouched(capsys, tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE things (x INTEGER)")
    status, _, err = run(capsys, "db", "list", str(path))
    assert status == 2
    assert err.startswith(f"autofit: error: {path} is not an autofit results database ")
    assert "holds no fits" in err
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    assert tables == ["things"]


def test_list_of_a_database_from_a_newer_release(capsys, tmp_path):
    path = tmp_path / "results.sqlite"
    open_database(path).get_bind().dispose()
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    status, _, err = run(capsys, "db", "list", str(path))
    assert status == 2
    assert f"schema version {SCHEMA_VERSION + 1}" in err and "upgrade autofit" in err


def test_scrape_of_a_missing_folder(capsys, tmp_path):
    database = tmp_path / "results.sqlite"
    status, _, err = run(capsys, "db", "scrape", str(tmp_path / "nowhere"), str(database))
    assert status == 2
    assert err == f"autofit: error: No output folder {tmp_path / 'nowhere'}\n"
    assert not database.exists()


def test_a_folder_given_as_the_database(capsys, output, tmp_path):
    status, _, err = run(capsys, "db", "scrape", str(output), str(tmp_path))
    assert status == 2 and "is a folder, not a database file" in err


@pytest.mark.parametrize(
    "argv, status", [([], 2), (["db"], 2), (["db", "list"], 2), (["db", "drop", "x"], 2)]
)
def test_usage_errors(capsys, argv, status):
    assert main(argv) == status
    assert "usage: autofit" in capsys.readouterr().err


def test_help(capsys):
    assert main(["db", "scrape", "--help"]) == 0
    out = capsys.readouterr().out
    assert "OUTPUT_DIR" in out and "DATABASE" in out


def test_importing_autofit_does_not_import_the_command_line():
    code = "import autofit, sys; print('autofit.cli' in sys.modules)"
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert completed.stdout.strip() == "False", completed.stderr


def test_the_module_runs_as_a_program(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "autofit.cli", "db", "list", str(tmp_path / "missing.sqlite")],
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 2
    assert "No database file" in completed.stderr


def test_the_console_script(tmp_path, output):
    script = Path(sys.executable).parent / "autofit"
    if not script.exists():
        pytest.skip("the autofit console script is not installed here (pip install -e .)")
    database = tmp_path / "results.sqlite"
    completed = subprocess.run(
        [str(script), "db", "scrape", str(output), str(database)], capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert "3 added" in completed.stdout
