"""The results database: every fit stored in one row per output folder (its key, a digest of
path_prefix, unique_tag, name and identifier), queried later (``af.db``)."""

from autofit.database.content import FitContent, content_from_folder
from autofit.database.paths import DatabasePaths
from autofit.database.session import open_database
from autofit.database.writer import write_fit

__all__ = ["open_database", "DatabasePaths", "FitContent", "content_from_folder", "write_fit"]
