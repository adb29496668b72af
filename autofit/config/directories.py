"""Where configuration directories are, in the order they are searched.

1. directories pushed in code, most recently pushed first;
2. the directories in the ``AUTOFIT_CONFIG_PATH`` environment variable (``os.pathsep``-separated);
3. ``./config`` in the current working directory, if it exists;
4. the defaults shipped with autofit, in the folder of this module.

The environment and the working directory are read at every call, so changing either takes
effect at once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "CONFIG_PATH_VARIABLE",
    "OUTPUT_PATH_VARIABLE",
    "PACKAGE_CONFIG_PATH",
    "absolute_path",
    "search_directories",
]

#: Environment variable listing configuration directories.
CONFIG_PATH_VARIABLE = "AUTOFIT_CONFIG_PATH"
#: Environment variable naming the output directory.
OUTPUT_PATH_VARIABLE = "AUTOFIT_OUTPUT_PATH"
#: The directory of the defaults shipped with autofit.
PACKAGE_CONFIG_PATH = Path(__file__).parent


def absolute_path(path: str | os.PathLike[str]) -> str:
    """A path with ``~`` expanded, made absolute against the current working directory.

    Parameters
    ----------
    path
        The path.

    Returns
    -------
    str
        The absolute path, normalised but with symbolic links kept.
    """
    return os.path.abspath(os.path.expanduser(os.fspath(path)))


def search_directories(pushed: Sequence[str], package_path: str) -> list[str]:
    """The configuration directories in the order they are searched, each once.

    Parameters
    ----------
    pushed
        Absolute paths of the directories pushed in code, most recently pushed first.
    package_path
        Absolute path of the shipped defaults, searched last.

    Returns
    -------
    list of str
        ``pushed``, then the entries of ``AUTOFIT_CONFIG_PATH`` that are directories, then
        ``./config`` if it is a directory, then ``package_path``; duplicates removed keeping
        the first occurrence.
    """
    directories = list(pushed)
    for entry in os.environ.get(CONFIG_PATH_VARIABLE, "").split(os.pathsep):
        entry = entry.strip()
        if entry and os.path.isdir(path := absolute_path(entry)):
            directories.append(path)
    try:
        working_config = os.path.join(os.getcwd(), "config")
    except OSError:  # the working directory was deleted
        working_config = None
    if working_config is not None and os.path.isdir(working_config):
        directories.append(working_config)
    directories.append(package_path)
    return list(dict.fromkeys(directories))
