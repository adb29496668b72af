"""Sphinx configuration of the autofit documentation.

Build the site from the repository root with

    python -m sphinx -W --keep-going -b html docs docs/_build/html

and open ``docs/_build/html/index.html``. The pages are Markdown (rendered by MyST); the API
reference under ``api/`` is generated from the numpydoc docstrings by autodoc.
"""

from __future__ import annotations

import os
import sys

# Document the autofit of this checkout, even when it is not installed.
DOCS_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(DOCS_DIR))

import autofit  # noqa: E402

project = "autofit"
author = "The autofit developers"
copyright = "The autofit developers"
version = autofit.__version__
release = autofit.__version__

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "numpydoc",
]

source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"

# README.md describes how to work on these pages and is not a page of the site; the notebooks
# are opened in Jupyter and executed by the test suite, not rendered here.
exclude_patterns = ["_build", "README.md", "notebooks", "Thumbs.db", ".DS_Store"]

# MyST: headings up to level 4 get anchors, so that links such as
# ``[Searches](searches.md#the-output-folder)`` resolve. Directives are written in ``:::``
# fences (the toctrees of index.md), which the test of the pages' code blocks skips. A link to
# an existing file outside the pages (``../examples/quickstart.py``) becomes a download.
myst_heading_anchors = 4
myst_enable_extensions = ["colon_fence"]

# autodoc and numpydoc.
autodoc_member_order = "bysource"
autodoc_typehints = "signature"  # the types, next to the descriptions of the docstrings
autodoc_default_options = {"show-inheritance": True}
autodoc_inherit_docstrings = True
numpydoc_show_class_members = False  # members are listed by autodoc's :members: instead
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# HTML output.
html_theme = "furo"
html_title = f"autofit {release}"
