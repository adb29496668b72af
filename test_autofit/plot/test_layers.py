"""The plot package sits on top of the core: its modules import nothing from the layers that use
it (autofit/plot/*.py, the layer rules of the design)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import autofit.plot

PLOT_FOLDER = Path(autofit.plot.__file__).parent
#: Packages that call into the plot package (directly or through a search), so it must not
#: import them: that would be an import cycle.
ABOVE = ("autofit.searches", "autofit.database", "autofit.aggregator", "autofit.grid")


def imported_modules(path: Path) -> list[str]:
    """Every module named by an import statement of ``path``, at any depth (function-level
    imports included), relative imports resolved against the plot package."""
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = "autofit.plot".rsplit(".", node.level - 1)[0]
                names.append(f"{base}.{node.module}" if node.module else base)
            else:
                names.append(node.module or "")
    return names


def test_imported_modules_sees_imports_inside_functions(tmp_path):
    module = tmp_path / "module.py"
    module.write_text(
        "import os\nfrom autofit.exc import ConfigException\n"
        "def f():\n    from autofit.searches.base import NonLinearSearch\n"
        "    from . import output\n",
        encoding="utf-8",
    )
    assert imported_modules(module) == [
        "os",
        "autofit.exc",
        "autofit.searches.base",
        "autofit.plot",
    ]


@pytest.mark.parametrize("path", sorted(PLOT_FOLDER.glob("*.py")), ids=lambda path: path.name)
def test_plot_modules_import_nothing_from_the_layers_above(path):
    offending = [
        name
        for name in imported_modules(path)
        if any(name == package or name.startswith(package + ".") for package in ABOVE)
    ]
    assert offending == [], f"{path.name} imports {offending}"
