"""The API reference in ``docs/api/`` documents every public name, and only names that exist.

The pages are reStructuredText read by Sphinx's autodoc. This test reads their directives
(``.. autoclass:: autofit.Model``, ``.. automodule:: autofit.exc``, ``.. py:data:: ...``) without
building the site, so a name added to ``autofit.__all__`` without a reference entry, or an entry
left behind by a renamed name, fails the test suite at once.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import autofit

API = Path(__file__).resolve().parent.parent / "docs" / "api"
DIRECTIVE = re.compile(
    r"^\.\. (?:auto(?P<auto>class|function|module|data|exception)|py:(?P<py>\w+))::\s*(?P<target>\S+)\s*$",
    re.MULTILINE,
)


def documented_targets(text: str) -> set[str]:
    """The dotted names that the autodoc and ``py:`` directives of a page document."""
    return {match["target"] for match in DIRECTIVE.finditer(text)}


def all_targets() -> set[str]:
    targets = set()
    for page in sorted(API.glob("*.rst")):
        targets |= documented_targets(page.read_text(encoding="utf-8"))
    return targets


def reference_name(name: str) -> str:
    """Where the reference documents ``af.<name>``: a module under its own name, others as
    ``autofit.<name>``."""
    value = getattr(autofit, name)
    if inspect.ismodule(value):
        return value.__name__
    return f"autofit.{name}"


def resolve(target: str):
    """The object a dotted name refers to: the longest importable module, then attributes."""
    parts = target.split(".")
    for split in range(len(parts), 0, -1):
        try:
            value = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            value = getattr(value, attribute)
        return value
    raise ImportError(target)


def test_directives_are_read_from_a_page():
    text = (
        "Title\n=====\n\n.. autoclass:: autofit.Model\n   :members:\n\n"
        ".. automodule:: autofit.exc\n\n.. py:data:: autofit.PriorModel\n\n"
        "   .. autoclass:: not.at.line.start\n"
    )
    assert documented_targets(text) == {"autofit.Model", "autofit.exc", "autofit.PriorModel"}


def test_reference_names_of_modules_and_classes():
    assert reference_name("Model") == "autofit.Model"
    assert reference_name("conf") == "autofit.config"
    assert reference_name("ex") == "autofit.example"
    assert reference_name("db") == "autofit.database"


def test_every_public_name_is_in_the_api_reference():
    targets = all_targets()
    missing = [name for name in autofit.__all__ if reference_name(name) not in targets]
    assert not missing, f"af.* names missing from docs/api/*.rst: {missing}"


def test_the_plot_package_is_in_the_api_reference():
    assert "autofit.plot" in all_targets()


@pytest.mark.parametrize("target", sorted(all_targets()))
def test_every_documented_name_exists(target):
    resolve(target)


def test_every_api_page_is_in_the_api_index():
    index = (API / "index.rst").read_text(encoding="utf-8")
    listed = set(re.findall(r"^   (\w+)\s*$", index, re.MULTILINE))
    pages = {page.stem for page in API.glob("*.rst")} - {"index"}
    assert pages == listed
