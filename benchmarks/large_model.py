"""Time models of many parameters: 1,000, 10,000 and 100,000 bounded priors.

The model is ``af.Array(shape=..., prior=af.GaussianPrior(mean=0, sigma=1, lower_limit=0.0))``
(a half-normal prior on every element), the shape of a pixelised source or a large set of
per-element amplitudes. For each size the script reports, in seconds:

- ``build``: constructing the ``af.Array`` (one prior copied per element);
- ``prior_count``: the first ``prior_count``, which compiles the model;
- ``instance_from_vector``, ``vector_from_unit_vector``, ``instance_from_unit_vector``,
  ``log_prior_list_from_vector`` and ``fitness_evaluate`` (the compiled ``evaluate`` a search's
  fitness calls: limits, log prior and instance in one), each the minimum over ``--repeat``
  calls;
- ``json_round_trip``: ``dict()`` -> ``json.dumps`` -> ``json.loads`` -> ``from_dict`` ->
  ``prior_count`` (the restored model compiled), and ``json_megabytes``, the size of the text.

Run from the repository root::

    python benchmarks/large_model.py                 # 1e3, 1e4 and 1e5 parameters, about 30 s
    python benchmarks/large_model.py --sizes 1000    # one size

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import common  # first: puts this checkout on sys.path
import numpy as np

import autofit as af

SIZES = (1_000, 10_000, 100_000)


def shape_for(size: int) -> tuple[int, int]:
    """A two-dimensional shape of ``size`` elements (``size`` a power of ten from 100)."""
    rows = 10 ** math.ceil(math.log10(size) / 2)
    return rows, size // rows


def measure(size: int, repeat: int) -> dict[str, Any]:
    """The timings of one model size (see the module docstring)."""
    shape = shape_for(size)
    prior = af.GaussianPrior(mean=0.0, sigma=1.0, lower_limit=0.0)
    build, model = common.timed(lambda: af.Array(shape=shape, prior=prior))
    count_time, count = common.timed(lambda: model.prior_count)
    rng = np.random.default_rng(1)
    units = rng.uniform(0.01, 0.99, count)
    vector = np.asarray(model.vector_from_unit_vector(units))
    evaluate = model.compiled.evaluate
    calls = {
        "instance_from_vector": lambda: model.instance_from_vector(vector),
        "vector_from_unit_vector": lambda: model.vector_from_unit_vector(units),
        "instance_from_unit_vector": lambda: model.instance_from_unit_vector(units),
        "log_prior_list_from_vector": lambda: model.log_prior_list_from_vector(vector),
        "fitness_evaluate": lambda: evaluate(vector),
    }
    timings = {name: min(common.repeated(call, repeat)[0]) for name, call in calls.items()}

    def round_trip() -> tuple[int, int]:
        text = json.dumps(model.dict())
        restored = af.AbstractModel.from_dict(json.loads(text))
        return restored.prior_count, len(text)

    json_time, (restored_count, length) = common.timed(round_trip)
    if restored_count != count:
        raise RuntimeError(f"the JSON round trip gave {restored_count} parameters, not {count}")
    return {
        "parameters": count,
        "shape": list(shape),
        "vectorised": model.compiled.vectorised,
        "seconds": {
            "build": build,
            "prior_count": count_time,
            **timings,
            "json_round_trip": json_time,
        },
        "json_megabytes": round(length / 1e6, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--repeat", type=int, default=5, help="calls per timed function")
    arguments = parser.parse_args()
    report = {
        "benchmark": "large_model",
        "environment": common.environment(
            {"autofit": getattr(af, "__version__", "unknown"), "numpy": np.__version__}
        ),
        "model": "af.Array(shape, prior=af.GaussianPrior(mean=0, sigma=1, lower_limit=0.0))",
        "sizes": [measure(size, arguments.repeat) for size in arguments.sizes],
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
