"""DatabasePaths: a fit written into a results database as well as its output folder.

Checkpoints for resuming stay on disk in the output folder; the database receives the fit's
identifier, names, search, model, info, samples and summaries, and the files the analysis saves,
at the start, at every update and at the end, in the row of the fit's key (one per output folder:
see :func:`~autofit.output.paths.fit_key`). A fit the database holds as complete is loaded from
the database, even where its output folder no longer exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from autofit.database.content import content_from_folder
from autofit.database.lock import fit_row_lock
from autofit.database.writer import fit_is_complete, read_file, write_fit
from autofit.output.paths import DirectoryPaths, _check_analysis_name, fit_folder_text

__all__ = ["DatabasePaths", "SubAnalysisDatabasePaths"]


class DatabasePaths(DirectoryPaths):
    """Output folder + results database.

    Parameters
    ----------
    session
        A session from ``af.db.open_database``.
    name, path_prefix, unique_tag, output_root
        As for :class:`~autofit.output.paths.DirectoryPaths`.
    """

    def __init__(
        self,
        session: Session,
        name: str = "",
        path_prefix: str | Path = "",
        unique_tag: str | None = None,
        output_root: str | Path | None = None,
    ) -> None:
        super().__init__(name, path_prefix, unique_tag, output_root)
        self.session = session

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """The output folder's lock and the lock on the fit's database row, held while the fit
        runs (see :mod:`autofit.database.lock`).

        Raises
        ------
        FitLockedException
            On entering, if another process runs the fit, in this folder or into this row.
        """
        fit = fit_folder_text(self.path_prefix, self.unique_tag, self.name, self.identifier)
        with super().lock(), fit_row_lock(self.session.get_bind(), self.key, fit):
            yield

    def _write(self, complete: bool) -> None:
        content = content_from_folder(self.output_path)
        content.is_complete = complete
        write_fit(self.session, content)

    def on_start(self) -> None:
        self._write(complete=False)

    def record_samples(self, samples: Any) -> None:
        self._write(complete=False)

    def mark_complete(self) -> None:
        super().mark_complete()
        self._write(complete=True)

    @property
    def is_complete(self) -> bool:
        return fit_is_complete(self.session, self.key)

    def has(self, name: str) -> bool:
        return super().has(name) or read_file(self.session, self.key, name) is not None

    def read_samples(self, model: Any, folder: str = "") -> Any:
        from autofit.samples.io import samples_from_files

        fit = fit_folder_text(self.path_prefix, self.unique_tag, self.name, self.identifier)
        where = f"database fit {fit}" + (f"/{folder}" if folder else "")
        samples = samples_from_files(
            model, lambda name: read_file(self.session, self.key, name), where, folder
        )
        return super().read_samples(model, folder) if samples is None else samples

    def for_sub_analysis(self, analysis_name: str) -> SubAnalysisDatabasePaths:
        """Paths writing into ``<output_path>/<analysis_name>/`` with the same database (see
        :meth:`~autofit.output.paths.AbstractPaths.for_sub_analysis`)."""
        return SubAnalysisDatabasePaths(self, analysis_name)


class SubAnalysisDatabasePaths(DatabasePaths):
    """The output of one analysis of a fit written into a database: the sub-folder
    ``<parent output_path>/<analysis_name>/`` on disk, and the parent's session (a fit run with
    these paths is stored in the database like any other).

    Parameters
    ----------
    parent
        The fit's database paths.
    analysis_name
        The sub-folder (a relative path inside the parent's folder).
    """

    def __init__(self, parent: DatabasePaths, analysis_name: str) -> None:
        super().__init__(
            parent.session, parent.name, parent.path_prefix, parent.unique_tag, parent.output_root
        )
        self.analysis_name = _check_analysis_name(analysis_name)
        self.parent = parent
        self.identifier = parent.identifier

    @property
    def output_path(self) -> Path:
        """``<parent output_path>/<analysis_name>``."""
        return self.parent.output_path / self.analysis_name
