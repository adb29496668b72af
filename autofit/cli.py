"""The ``autofit`` command line: quick looks at results databases.

::

    autofit db scrape OUTPUT_DIR DATABASE   # write the fits of an output folder into a database
    autofit db list DATABASE                # a table of the fits a database holds

``DATABASE`` is a SQLite file or a SQLAlchemy URL (``postgresql+psycopg://...``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = ["main", "CommandError"]

#: Exit status of a command that cannot run as asked (missing file, unreadable database).
USAGE_ERROR = 2


class CommandError(Exception):
    """A command that cannot run as asked; its message is printed for the user."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="autofit", description="Command line tools of autofit.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    database = commands.add_parser(
        "db",
        help="results databases",
        description="Scrape output folders into a results database and list the fits it holds.",
    )
    actions = database.add_subparsers(dest="action", required=True, metavar="ACTION")
    scrape = actions.add_parser(
        "scrape",
        help="write the fits of an output folder into a database",
        description="Write every fit folder under OUTPUT_DIR into DATABASE (created if "
        "needed). Fits already there unchanged are skipped; fits that progressed are updated; "
        "unreadable folders are reported and skipped.",
    )
    scrape.add_argument("output_dir", metavar="OUTPUT_DIR", help="a folder of fit output")
    scrape.add_argument("database", metavar="DATABASE", help="a SQLite file or SQLAlchemy URL")
    scrape.add_argument(
        "--force", action="store_true", help="rewrite every fit, also unchanged ones"
    )
    scrape.set_defaults(run=_scrape)
    listing = actions.add_parser(
        "list",
        help="list the fits of a database",
        description="Print a table of the fits in DATABASE: name, unique tag, whether it is "
        "complete, maximum log likelihood and log evidence.",
    )
    listing.add_argument("database", metavar="DATABASE", help="a SQLite file or SQLAlchemy URL")
    listing.set_defaults(run=_list)
    return parser


def _is_url(location: str) -> bool:
    return "://" in location


def _open(location: str, must_exist: bool) -> Any:
    """A session on the database at ``location``.

    Raises
    ------
    CommandError
        If the file is missing (when ``must_exist``), is not an autofit database, or was
        written by a newer autofit.
    """
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import sessionmaker

    from autofit.database.session import open_database, reading_engine
    from autofit.exc import AutofitError, DatabaseException

    if not _is_url(location):
        path = Path(location)
        if path.is_dir():
            raise CommandError(f"{location} is a folder, not a database file")
        if must_exist and not path.exists():
            raise CommandError(f"No database file {location}")
    try:
        if must_exist:
            # Read without changing anything (read-only where the file cannot be written).
            return sessionmaker(bind=reading_engine(location))()
        return open_database(location)
    except DatabaseException as error:
        raise CommandError(str(error)) from error
    except (SQLAlchemyError, AutofitError, ImportError) as error:
        reason = getattr(error, "orig", None) or error  # the driver's message, without SQL
        raise CommandError(f"Cannot open the database {location}: {reason}") from error


def _scrape(arguments: argparse.Namespace) -> int:
    from autofit.database.scrape import add_directory

    output = Path(arguments.output_dir)
    if not output.is_dir():
        raise CommandError(f"No output folder {arguments.output_dir}")
    session = _open(arguments.database, must_exist=False)
    try:
        report = add_directory(session, output, force=arguments.force)
    finally:
        session.close()
    print(report)
    return 0


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _table(header: Sequence[str], rows: list[Sequence[str]], right: Sequence[bool]) -> str:
    """Columns padded to their widest cell, numbers aligned right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        padded = (
            cell.rjust(width) if align else cell.ljust(width)
            for cell, width, align in zip(cells, widths, right, strict=True)
        )
        return "  ".join(padded).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])


def _list(arguments: argparse.Namespace) -> int:
    from sqlalchemy import select

    from autofit.database.schema import Fit

    session = _open(arguments.database, must_exist=True)
    try:
        fits = session.execute(
            select(
                Fit.name, Fit.unique_tag, Fit.is_complete, Fit.max_log_likelihood, Fit.log_evidence
            ).order_by(Fit.path_prefix, Fit.name, Fit.unique_tag, Fit.id)
        ).all()
    finally:
        session.close()
    if not fits:
        print(f"No fits in {arguments.database}")
        return 0
    rows = [
        (name or "-", tag or "-", "yes" if complete else "no", _number(best), _number(evidence))
        for name, tag, complete, best, evidence in fits
    ]
    header = ("name", "unique tag", "complete", "max log likelihood", "log evidence")
    print(_table(header, rows, right=(False, False, False, True, True)))
    completed = sum(1 for fit in fits if fit.is_complete)
    print(f"{len(fits)} fits, {completed} complete")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); returns the exit status.

    Errors the user can fix (a missing file, a database that cannot be opened) are printed as
    ``autofit: error: ...`` with exit status 2.
    """
    parser = _parser()
    try:
        arguments = parser.parse_args(argv)
    except SystemExit as exit:  # --help, or a usage error already printed by argparse
        return int(exit.code or 0)
    try:
        return arguments.run(arguments)
    except CommandError as error:
        print(f"autofit: error: {error}", file=sys.stderr)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
