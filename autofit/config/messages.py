"""The message shown when a parameter has no default prior in any configuration directory."""

from __future__ import annotations

import re
from collections.abc import Sequence

from autofit.config.prior_files import EXTENSIONS, PriorFile

__all__ = ["missing_prior_message", "EXAMPLE_ENTRY"]

#: The entry suggested to users who need to add a prior, in YAML flow style.
EXAMPLE_ENTRY = (
    "{type: Uniform, lower_limit: 0.0, upper_limit: 1.0, "
    "width_modifier: {type: Relative, value: 0.5}, limits: {lower: -inf, upper: inf}}"
)

_TUPLE_ELEMENT = re.compile(r"^(?P<base>.+)_(?P<index>\d+)$")


def _file_names(files: Sequence[PriorFile]) -> str:
    """``profiles.yaml, Gaussian.yaml`` from candidates, leaving out the ``.yml`` spellings."""
    names = [file.relative_path for file in files if file.parts[-1].endswith(EXTENSIONS[0])]
    return ", ".join(names)


def missing_prior_message(
    qualified_name: str,
    class_name: str,
    module: str,
    parameter: str,
    priors_directories: Sequence[str],
    files: Sequence[PriorFile],
    parent_names: Sequence[str] = (),
) -> str:
    """Explain that a parameter has no default prior, and how to give it one.

    Parameters
    ----------
    qualified_name
        The class as ``module.ClassName``.
    class_name
        The class's ``__name__``.
    module
        The class's ``__module__``.
    parameter
        The parameter without a prior.
    priors_directories
        The ``priors/`` folders searched, first hit wins.
    files
        The file names tried in each folder for the class itself.
    parent_names
        The names of the parent classes that were searched as well.

    Returns
    -------
    str
        A message naming the class, the parameter and the folders searched, with an example
        entry to add.
    """
    script = module == "__main__"
    lines = [
        f"No prior configured for parameter {parameter!r} of class {qualified_name}.",
        f"Searched (first hit wins): {', '.join(priors_directories)}",
        f"Files tried in each: {_file_names(files)} (also with .yml)"
        + (
            f", then the same for parent classes {', '.join(parent_names)}."
            if parent_names
            else "."
        ),
    ]
    if script:
        lines.append(
            f"The class is defined in a script, so every file below priors/ of your own folders "
            f"(not the shipped defaults) with the top-level key {class_name!r} was read too."
        )
    if module and not script:
        file_name = f"priors/{module.rsplit('.', 1)[-1]}.yaml"
        example = f"{class_name}:\n  {parameter}: {EXAMPLE_ENTRY}"
    elif script:
        file_name = f"priors/{class_name.lower()}.yaml (in ./config)"
        example = f"{class_name}:\n  {parameter}: {EXAMPLE_ENTRY}"
    else:
        file_name = f"priors/{class_name}.yaml"
        example = f"{parameter}: {EXAMPLE_ENTRY}"
    element = _TUPLE_ELEMENT.match(parameter)
    prior = "af.UniformPrior(lower_limit=0.0, upper_limit=1.0)"
    in_code = f"{parameter}={prior}"
    if element:
        in_code = f"{element['base']}=({prior}, ...)"
    lines += [
        f"Add an entry to one of these, for example in {file_name}:",
        "",
        example,
        "",
        f"or give the prior in code: af.Model({class_name}, {in_code})",
    ]
    if element:
        lines.append(
            f"If {parameter!r} is an element of the tuple parameter {element['base']!r}, an entry "
            f"named {element['base']!r} gives the prior of every element."
        )
    return "\n".join(lines)
