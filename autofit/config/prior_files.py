"""Which files in a ``priors/`` folder can hold the default priors of a class.

For a class ``Gaussian`` defined in module ``mypackage.profiles`` the files are, in order:

1. ``mypackage.profiles.yaml``, the full module path, with the class name as top-level key;
2. ``mypackage/profiles.yaml``, the module path as folders, with the class name as key;
3. ``profiles.yaml``, the last component of the module path, with the class name as key;
4. ``Gaussian.yaml``, named after the class, with the parameter names as top-level keys.

Each name is tried with the ``.yaml`` extension and then with ``.yml``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["PriorFile", "EXTENSIONS", "prior_files_for", "classes_to_search", "qualified_name"]

#: File extensions of configuration files, in the order they are tried.
EXTENSIONS: tuple[str, ...] = (".yaml", ".yml")


@dataclass(frozen=True)
class PriorFile:
    """A file that can hold the default priors of a class.

    Parameters
    ----------
    parts
        The file's path below the ``priors/`` folder, as components.
    class_key
        The top-level key under which the class's parameters are listed, or None if the
        parameters are the top-level keys (a file named after the class).
    """

    parts: tuple[str, ...]
    class_key: str | None

    @property
    def relative_path(self) -> str:
        """The path below ``priors/`` with ``/`` separators, as written in messages."""
        return "/".join(self.parts)


def prior_files_for(module: str, class_name: str) -> tuple[PriorFile, ...]:
    """The files that can hold the priors of one class, in the order they are searched.

    Parameters
    ----------
    module
        The class's ``__module__``, for example ``"mypackage.profiles"``.
    class_name
        The class's ``__name__``, for example ``"Gaussian"``.

    Returns
    -------
    tuple of PriorFile
        The candidates, without duplicates.
    """
    components = tuple(module.split(".")) if module else ()
    stems: list[tuple[tuple[str, ...], str | None]] = []
    if components:
        stems.append(((module,), class_name))
        if len(components) > 1:
            stems.append((components, class_name))
            stems.append(((components[-1],), class_name))
    stems.append(((class_name,), None))
    files: list[PriorFile] = []
    for parts, class_key in stems:
        for extension in EXTENSIONS:
            candidate = PriorFile((*parts[:-1], parts[-1] + extension), class_key)
            if candidate not in files:
                files.append(candidate)
    return tuple(files)


def classes_to_search(cls: type) -> Iterator[type]:
    """A class followed by its parents in method resolution order, without builtins.

    Parameters
    ----------
    cls
        The class (or any object with ``__module__`` and ``__name__``, such as a function).

    Yields
    ------
    type
        ``cls`` and then each parent class that is not defined in ``builtins``.
    """
    for klass in getattr(cls, "__mro__", (cls,)):
        if getattr(klass, "__module__", None) != "builtins":
            yield klass


def qualified_name(cls: type) -> str:
    """The name ``module.ClassName`` of a class, as written in messages.

    Parameters
    ----------
    cls
        The class.

    Returns
    -------
    str
        ``cls.__module__`` joined to ``cls.__qualname__`` with a dot.
    """
    module = getattr(cls, "__module__", None)
    name = getattr(cls, "__qualname__", None) or getattr(cls, "__name__", repr(cls))
    return f"{module}.{name}" if module else name
