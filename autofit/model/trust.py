"""Which classes a stored model may name: reading JSON never imports or calls anything else.

A model read from a results database or an output folder names its classes by dotted path, and
building an instance calls them with the stored fixed arguments. Reading one from someone else's
files must not run their code, so a path resolves only to a class (never a function) that

- is defined in a module the reading process has already imported (``sys.modules``; the JSON
  never triggers an import), or in a module the reader trusts explicitly (``trusted_modules``,
  which may be imported), and
- is not defined in the standard library (``sys.stdlib_module_names``) or ``builtins``, nor in
  one of the modules of :data:`NEVER_TRUSTED_PACKAGES` (or their submodules), whatever the
  reader trusts.

Anything else raises :class:`~autofit.exc.UntrustedClassException`, naming the class and how
to allow it.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Any

from autofit.exc import SerialisationException, UntrustedClassException

__all__ = ["NEVER_TRUSTED_PACKAGES", "NEVER_TRUSTED_CLASSES", "trusted_class", "is_trusted_module"]

#: Modules (with their submodules) that hold no model classes and whose classes act on files,
#: processes, connections or serialised code; their classes are never built from stored JSON.
NEVER_TRUSTED_PACKAGES = frozenset(
    {
        "builtins",
        "dill",
        "cloudpickle",
        "joblib",
        "pandas",
        "tables",
        "matplotlib",
        "PIL",
        "scipy.io",
        "numpy.lib.npyio",
        "numpy.lib.format",
        "sqlalchemy",
        "psycopg",
        "psycopg2",
        "h5py",
        "IPython",
        "ipykernel",
        "jupyter_client",
        "pytest",
        "_pytest",
        "setuptools",
        "pip",
        "pkg_resources",
        "_distutils_hack",
    }
)

#: Classes of otherwise trusted packages that map files into memory.
NEVER_TRUSTED_CLASSES = frozenset({"numpy.memmap"})

_HOW_TO_ALLOW = (
    "import its module before reading, or trust the module: "
    "trusted_modules=[{package!r}] in af.Aggregator.from_database / from_directory "
    "(or AbstractModel.from_dict), or 'trusted_modules: [{package}]' under 'security:' "
    "in general.yaml"
)


def _package(module_name: str) -> str:
    return module_name.split(".", 1)[0]


def _is_standard_library(module_name: str) -> bool:
    return _package(module_name) in sys.stdlib_module_names or module_name == "builtins"


def _is_never_trusted(module_name: str) -> bool:
    return _is_standard_library(module_name) or _is_listed(module_name, NEVER_TRUSTED_PACKAGES)


def _is_listed(module_name: str, trusted_modules: Iterable[str]) -> bool:
    return any(
        module_name == listed or module_name.startswith(f"{listed}.") for listed in trusted_modules
    )


def is_trusted_module(module_name: str, trusted_modules: Iterable[str] = ()) -> bool:
    """Whether classes defined in ``module_name`` may be built from stored JSON.

    Parameters
    ----------
    module_name
        A module's dotted name (a class's ``__module__``).
    trusted_modules
        Modules (and their submodules) the reader trusts beyond those already imported.

    Returns
    -------
    bool
        False for the standard library, ``builtins`` and :data:`NEVER_TRUSTED_PACKAGES`; else
        True when the module is imported or listed.
    """
    if _is_never_trusted(module_name):
        return False
    return module_name in sys.modules or _is_listed(module_name, tuple(trusted_modules))


def _resolve(path: str, trusted_modules: tuple[str, ...]) -> Any:
    """The object at ``path`` reached from an imported (or listed, then imported) module."""
    parts = path.split(".")
    for split in range(len(parts) - 1, 0, -1):
        module_name, names = ".".join(parts[:split]), parts[split:]
        module = sys.modules.get(module_name)
        if module is None and _is_listed(module_name, trusted_modules):
            if not is_trusted_module(module_name, trusted_modules):
                continue
            try:
                module = importlib.import_module(module_name)
            except ImportError:
                continue
        if module is None:
            continue
        value: Any = module
        try:
            for name in names:
                value = getattr(value, name)
        except AttributeError:
            continue
        return value
    package = _package(path)
    if _is_listed(path, trusted_modules):
        raise SerialisationException(
            f"Cannot import class {path!r}: make sure its module is importable (on sys.path)"
        )
    raise UntrustedClassException(
        f"The stored model names the class {path!r}, whose module is not imported: "
        + _HOW_TO_ALLOW.format(package=package)
    )


def trusted_class(path: str, trusted_modules: Iterable[str] = ()) -> type:
    """The class at the dotted ``path``, if the reader trusts it (see the module docstring).

    Parameters
    ----------
    path
        ``module.QualifiedName`` as written by :func:`autofit.model.serialise.class_path`.
    trusted_modules
        Modules (and their submodules) trusted beyond those already imported; these may be
        imported to find the class. Standard-library modules are never trusted.

    Returns
    -------
    type
        The class.

    Raises
    ------
    UntrustedClassException
        If ``path`` names no class, a class of the standard library, ``builtins`` or a never
        trusted package, or a class of a module that is neither imported nor trusted.
    SerialisationException
        If a trusted module does not hold the class.
    """
    if not isinstance(path, str) or not path:
        raise SerialisationException(f"A stored class path must be a dotted name, not {path!r}")
    trusted = tuple(str(name) for name in trusted_modules)
    value = _resolve(path, trusted)
    if not isinstance(value, type):
        raise UntrustedClassException(
            f"The stored model names {path!r}, which is a {type(value).__name__}, not a class: "
            "stored models only ever name classes"
        )
    module_name = getattr(value, "__module__", None) or ""
    defined_at = f"{module_name}.{value.__qualname__}"
    if _is_never_trusted(module_name):
        raise UntrustedClassException(
            f"The stored model names the class {path!r} (defined in {module_name!r}): classes "
            "of the standard library, builtins and infrastructure packages are never built "
            "from stored models"
        )
    if defined_at in NEVER_TRUSTED_CLASSES or path in NEVER_TRUSTED_CLASSES:
        raise UntrustedClassException(
            f"The stored model names the class {path!r}, which is never built from stored models"
        )
    if not is_trusted_module(module_name, trusted):
        raise UntrustedClassException(
            f"The stored model names the class {path!r}, defined in the module {module_name!r} "
            "that is not imported: " + _HOW_TO_ALLOW.format(package=_package(module_name))
        )
    return value
