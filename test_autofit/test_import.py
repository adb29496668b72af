"""Importing ``autofit`` is light: heavy dependencies load where they are first used, and every
public name is still there (resolved on first access)."""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import autofit

#: Top-level packages that ``import autofit`` must not load: the core dependencies that take
#: tens to hundreds of milliseconds to import, and the optional extras.
HEAVY_PACKAGES = (
    "scipy",
    "matplotlib",
    "sqlalchemy",
    "dynesty",
    "emcee",
    "jax",
    "corner",
    "dill",
    "zeus",
    "nautilus",
    "ultranest",
    "anesthetic",
    "h5py",
    "psycopg",
    "dask",
    "distributed",
    "mpi4py",
    "blackjax",
    "optax",
)

#: Modules the first model loads: the configuration package, which reads the default priors
#: from YAML files (PyYAML), and the reader of constructor signatures.
FIRST_MODEL_MODULES = (
    "yaml",
    "dataclasses",
    "autofit.config",
    "autofit.config.yaml_files",
    "autofit.config.prior_lookup",
    "autofit.config.entries",
    "autofit.model.signature",
)
#: Modules loaded only to explain a mistake: close-name hints and missing-prior placeholders.
ERROR_MODULES = ("difflib", "autofit.model.missing")

IMPORT_LINE = re.compile(r"import time:\s+\d+ \|\s+\d+ \|( *)(\S+)")


def run_python(code: str, *options: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter (with this test run's ``sys.path`` inherited)."""
    return subprocess.run(
        [sys.executable, *options, "-c", code], capture_output=True, text=True, timeout=120
    )


def import_chains(importtime_report: str, packages: set[str]) -> dict[str, list[str]]:
    """For each of ``packages``, the chain of modules (outermost first, ending at the package)
    through which it was first imported, read from a ``python -X importtime`` report."""
    # The report lists a module after the modules it imports, indented one level deeper.
    entries = [
        (len(match[1]) // 2, match[2])
        for match in map(IMPORT_LINE.match, importtime_report.splitlines())
        if match
    ]
    chains: dict[str, list[str]] = {}
    for index, (depth, name) in enumerate(entries):
        package = name.split(".")[0]
        if package not in packages or package in chains:
            continue
        chain, level = [name], depth
        for ancestor_depth, ancestor in entries[index + 1 :]:
            if ancestor_depth == level - 1:
                chain.insert(0, ancestor)
                level = ancestor_depth
        outermost = next(i for i, module in enumerate(chain) if module.split(".")[0] == package)
        chains[package] = chain[: outermost + 1]
    return chains


def test_import_loads_no_heavy_package():
    code = (
        "import sys, autofit\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY_PACKAGES!r}))\n"
        "print(','.join(loaded))"
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    loaded = set(filter(None, completed.stdout.strip().split(",")))
    if loaded:
        report = run_python("import autofit", "-X", "importtime").stderr
        chains = import_chains(report, loaded)
        described = "; ".join(" -> ".join(chains.get(name, [name])) for name in sorted(loaded))
        pytest.fail(
            f"import autofit loads {sorted(loaded)}; import them inside the functions that "
            f"use them. Import chains: {described}"
        )


def test_import_loads_no_third_party_package_but_numpy():
    """Beyond the standard library and what the interpreter loads at startup (site hooks),
    ``import autofit`` loads numpy only."""
    code = (
        "import sys\n"
        "startup = {name.split('.')[0] for name in sys.modules}\n"
        "import autofit\n"
        "loaded = {name.split('.')[0] for name in sys.modules} - startup\n"
        "print(sorted(loaded - set(sys.stdlib_module_names) - {'autofit'}))"
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "['numpy']"


def test_import_chains_name_the_importing_module():
    report = "\n".join(
        [
            "import time: self [us] | cumulative | imported package",
            "import time:        10 |         10 |       scipy._lib",
            "import time:        20 |         30 |     scipy",
            "import time:        30 |         60 |   autofit.searches.drawer",
            "import time:         5 |         65 | autofit",
        ]
    )
    assert import_chains(report, {"scipy"}) == {
        "scipy": ["autofit", "autofit.searches.drawer", "scipy"]
    }


def test_every_public_name_imports_from_a_fresh_interpreter():
    names = ", ".join(name for name in autofit.__all__ if name != "__version__")
    completed = run_python(f"from autofit import {names}\nprint('ok')")
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "ok"


def test_lazy_names_are_the_objects_of_their_modules():
    for name, (module_name, attribute) in autofit._LAZY.items():
        module = importlib.import_module(module_name)
        expected = module if attribute is None else getattr(module, attribute)
        assert getattr(autofit, name) is expected, name
        assert name in autofit.__all__, f"af.{name} loads lazily but is not in __all__"


def test_dir_lists_every_public_name_before_it_is_loaded():
    completed = run_python(
        "import autofit\nmissing = set(autofit.__all__) - set(dir(autofit))\nprint(sorted(missing))"
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"


def test_unknown_name_raises_attribute_error_naming_it():
    with pytest.raises(AttributeError, match="module 'autofit' has no attribute 'Emce'"):
        autofit.Emce  # noqa: B018
    assert not hasattr(autofit, "not_a_name")


def test_type_checking_imports_match_the_lazy_names():
    """The imports under ``if TYPE_CHECKING:`` (read by editors and type checkers) and the
    lazy-loading table name the same objects."""
    tree = ast.parse(Path(autofit.__file__).read_text(encoding="utf-8"))
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING"
    )
    static: dict[str, tuple[str, str | None]] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom)
        for alias in statement.names:
            public = alias.asname or alias.name
            if statement.module == "autofit":
                static[public] = (f"autofit.{alias.name}", None)
            else:
                static[public] = (statement.module, alias.name)
    assert static == autofit._LAZY


def test_first_truncated_gaussian_batch_loads_scipy_special():
    code = (
        "import sys\n"
        "import numpy as np\n"
        "import autofit as af\n"
        "prior = af.GaussianPrior(mean=0.0, sigma=1.0, lower_limit=0.0, upper_limit=np.inf)\n"
        "before = 'scipy.special' in sys.modules\n"
        "values = prior.batch_value_for(np.array([0.5]), 0.0, 1.0, 0.0, np.inf)\n"
        "print(before, 'scipy.special' in sys.modules, round(float(values[0]), 6))"
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    # the median of a half-normal is the 75th percentile of the normal, 0.674490
    assert completed.stdout.split() == ["False", "True", "0.67449"]


def test_configuration_and_constructor_reading_load_with_the_first_model():
    """``import autofit`` (after numpy) loads none of them; the first model reads its default
    priors from the shipped configuration as before."""
    deferred = FIRST_MODEL_MODULES + ERROR_MODULES
    code = (
        "import sys\n"
        "import numpy\n"
        "before = set(sys.modules)\n"
        "import autofit as af\n"
        f"deferred = {deferred!r}\n"
        "print(sorted(set(deferred) & (set(sys.modules) - before)))\n"
        "model = af.Model(af.ex.Gaussian)\n"
        "print(sorted(set(deferred) & set(sys.modules)))\n"
        "centre = model.centre\n"
        "print(type(centre).__name__, centre.lower_limit, centre.upper_limit, model.prior_count)"
    )
    completed = run_python(code)
    assert completed.returncode == 0, completed.stderr
    loaded_by_import, loaded_by_model, prior = completed.stdout.strip().splitlines()
    assert loaded_by_import == "[]"
    assert loaded_by_model == str(sorted(FIRST_MODEL_MODULES))
    # autofit/config/priors/autofit.example.model.yaml
    assert prior == "UniformPrior 0.0 100.0 3"


def test_config_package_is_an_attribute_of_autofit_once_asked_for():
    assert autofit.config is importlib.import_module("autofit.config")
    assert autofit.conf is autofit.config
    assert autofit.conf.instance is autofit.config.instance


def test_entry_parsers_load_from_the_config_package_on_first_access():
    import autofit.config
    from autofit.config import entries, yaml_numbers

    assert autofit.config.normalise_entry is entries.normalise_entry
    assert autofit.config.PRIOR_ENTRY_TYPES is entries.PRIOR_ENTRY_TYPES
    assert autofit.config.parse_number is yaml_numbers.parse_number
    assert set(autofit.config.__all__) <= set(dir(autofit.config))
    with pytest.raises(AttributeError, match="'autofit.config' has no attribute 'normalise'"):
        autofit.config.normalise  # noqa: B018


def test_version_is_a_non_empty_string():
    assert isinstance(autofit.__version__, str)
    assert autofit.__version__


def test_every_public_name_exists_and_is_documented():
    for name in autofit.__all__:
        assert hasattr(autofit, name), f"af.{name} is listed in __all__ but missing"
        value = getattr(autofit, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"af.{name} has no docstring"
