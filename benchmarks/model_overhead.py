"""Time the hot path of a fit: parameter vector -> model instance.

For each model this measures the per-call time of ``instance_from_vector`` and
``instance_from_unit_vector`` and compares it with the floor: the same objects built by hand in
Python, calling the constructors directly with values taken from a Python list (and, for
collections, building ``af.ModelInstance`` from a dict of those objects). It also times the
vectorised ``vector_from_unit_vector`` on a batch of 1000 unit vectors.

Targets: ``instance_from_vector`` within 3x of the floor, and
``instance_from_unit_vector`` within 1.5x of ``instance_from_vector``. The reference
implementation's published timings are included for scale.

Run from the repository root::

    python benchmarks/model_overhead.py            # about 30 s
    python benchmarks/model_overhead.py --quick    # a few seconds, noisier

The result is printed as JSON on standard output.
"""

from __future__ import annotations

import argparse
import json
import math
import time
import timeit
from collections.abc import Callable
from typing import Any, NamedTuple

import common  # first: puts this checkout on sys.path
import numpy as np

import autofit as af

VECTOR_OVER_FLOOR_TARGET = 3.0
UNIT_OVER_VECTOR_TARGET = 1.5
BATCH_SIZE = 1000

#: The reference implementation's published per-call times, in microseconds.
REFERENCE_US = {
    "gaussian": {"instance_from_vector": 122.0, "instance_from_unit_vector": 579.0},
    "gaussians_10": {"instance_from_vector": 1100.0, "instance_from_unit_vector": 5800.0},
    "lens": {"instance_from_vector": 800.0, "instance_from_unit_vector": 2600.0},
    "gaussians_200": {"instance_from_vector": 15600.0, "instance_from_unit_vector": 116000.0},
}


# -- a lens-like model: classes with tuple parameters and a class taking **kwargs -----------------


class LightDeVaucouleurs:
    """A light profile with tuple centre and elliptical components."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        ell_comps: tuple[float, float] = (0.0, 0.0),
        intensity: float = 0.1,
        effective_radius: float = 0.6,
    ) -> None:
        self.centre = centre
        self.ell_comps = ell_comps
        self.intensity = intensity
        self.effective_radius = effective_radius


class MassIsothermal:
    """A mass profile with tuple centre and elliptical components."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        ell_comps: tuple[float, float] = (0.0, 0.0),
        einstein_radius: float = 1.0,
    ) -> None:
        self.centre = centre
        self.ell_comps = ell_comps
        self.einstein_radius = einstein_radius


class Galaxy:
    """A galaxy at a redshift, holding any components passed as keywords."""

    def __init__(self, redshift: float, **kwargs: Any) -> None:
        self.redshift = redshift
        for name, component in kwargs.items():
            setattr(self, name, component)


def _centre() -> tuple[af.GaussianPrior, af.GaussianPrior]:
    return (af.GaussianPrior(mean=0.0, sigma=0.1), af.GaussianPrior(mean=0.0, sigma=0.1))


def _ell_comps() -> tuple[af.GaussianPrior, af.GaussianPrior]:
    return tuple(
        af.GaussianPrior(mean=0.0, sigma=0.3, lower_limit=-1.0, upper_limit=1.0) for _ in range(2)
    )


def _light() -> af.Model:
    return af.Model(
        LightDeVaucouleurs,
        centre=_centre(),
        ell_comps=_ell_comps(),
        intensity=af.LogUniformPrior(lower_limit=1e-6, upper_limit=1e6),
        effective_radius=af.UniformPrior(lower_limit=0.0, upper_limit=30.0),
    )


def _mass() -> af.Model:
    return af.Model(
        MassIsothermal,
        centre=_centre(),
        ell_comps=_ell_comps(),
        einstein_radius=af.UniformPrior(lower_limit=0.0, upper_limit=8.0),
    )


# -- the models and their hand-built floors -------------------------------------------------------

Gaussian = af.ex.Gaussian
ModelInstance = af.ModelInstance
Builder = Callable[[list[float]], Any]


class Case(NamedTuple):
    """A model, the hand-written Python that builds the same instance, and a description."""

    model: af.AbstractModel
    floor: Builder
    description: str
    #: The same objects built with a loop, as a user would write it (collections only).
    floor_loop: Builder | None = None


def unrolled(source: str) -> Builder:
    """The function ``by_hand`` defined by ``source``.

    Hand-written code for a collection calls each constructor with literal indices, e.g.
    ``ModelInstance({"0": Gaussian(centre=v[0], ...), "1": Gaussian(centre=v[3], ...)})``; it
    is generated as text here rather than typed out 200 times.
    """
    namespace = {
        "Gaussian": Gaussian,
        "ModelInstance": ModelInstance,
        "FitException": af.exc.FitException,
    }
    exec(source, namespace)  # noqa: S102 - hand-written Python, generated for length
    return namespace["by_hand"]


def gaussian_case() -> Case:
    def by_hand(v: list[float]) -> Any:
        return Gaussian(centre=v[0], normalization=v[1], sigma=v[2])

    return Case(af.Model(Gaussian), by_hand, "af.Model(af.ex.Gaussian), default priors")


def gaussians_case(count: int) -> Case:
    model = af.Collection([af.Model(Gaussian) for _ in range(count)])
    items = ", ".join(
        f'"{i}": Gaussian(centre=v[{3 * i}], normalization=v[{3 * i + 1}], sigma=v[{3 * i + 2}])'
        for i in range(count)
    )
    names = [str(index) for index in range(count)]

    def loop(v: list[float]) -> Any:
        return ModelInstance(
            {
                name: Gaussian(centre=v[3 * i], normalization=v[3 * i + 1], sigma=v[3 * i + 2])
                for i, name in enumerate(names)
            }
        )

    return Case(
        model,
        unrolled(f"def by_hand(v):\n    return ModelInstance({{{items}}})\n"),
        f"af.Collection of {count} af.ex.Gaussian, default priors",
        loop,
    )


def lens_case() -> Case:
    lens = af.Model(Galaxy, redshift=0.5, bulge=_light(), mass=_mass())
    source = af.Model(Galaxy, redshift=1.0, bulge=_light())
    model = af.Collection(lens=lens, source=source)

    def by_hand(v: list[float]) -> Any:
        lens = Galaxy(
            redshift=0.5,
            bulge=LightDeVaucouleurs(
                centre=(v[0], v[1]),
                ell_comps=(v[2], v[3]),
                intensity=v[4],
                effective_radius=v[5],
            ),
            mass=MassIsothermal(centre=(v[6], v[7]), ell_comps=(v[8], v[9]), einstein_radius=v[10]),
        )
        source = Galaxy(
            redshift=1.0,
            bulge=LightDeVaucouleurs(
                centre=(v[11], v[12]),
                ell_comps=(v[13], v[14]),
                intensity=v[15],
                effective_radius=v[16],
            ),
        )
        return ModelInstance({"lens": lens, "source": source})

    description = (
        "lens Galaxy (fixed redshift, LightDeVaucouleurs bulge, MassIsothermal mass) and source "
        "Galaxy (fixed redshift, LightDeVaucouleurs bulge); tuple centre and ell_comps, "
        "Gaussian priors truncated to [-1, 1] on ell_comps"
    )
    return Case(model, by_hand, description)


def linked_case() -> Case:
    """10 Gaussians sharing one sigma, one derived normalization and one assertion."""
    model = af.Collection([af.Model(Gaussian) for _ in range(10)])
    for gaussian in model[1:]:
        gaussian.sigma = model[0].sigma
    model[9].normalization = model[0].normalization * 2.0
    model.add_assertion(model[0].centre < model[9].centre)
    # Vector layout: g0 (centre, normalization, sigma), g1..g8 (centre, normalization), g9 centre.
    items = ['"0": Gaussian(centre=v[0], normalization=v[1], sigma=v[2])']
    items += [
        f'"{i}": Gaussian(centre=v[{2 * i + 1}], normalization=v[{2 * i + 2}], sigma=v[2])'
        for i in range(1, 9)
    ]
    items.append('"9": Gaussian(centre=v[19], normalization=v[1] * 2.0, sigma=v[2])')
    source = (
        "def by_hand(v):\n"
        "    if not v[0] < v[19]:\n"
        "        raise FitException('assertion violated')\n"
        f"    return ModelInstance({{{', '.join(items)}}})\n"
    )

    def loop(v: list[float]) -> Any:
        if not v[0] < v[19]:
            raise af.exc.FitException("assertion violated")
        sigma = v[2]
        items = {"0": Gaussian(centre=v[0], normalization=v[1], sigma=sigma)}
        for i in range(1, 9):
            items[str(i)] = Gaussian(centre=v[2 * i + 1], normalization=v[2 * i + 2], sigma=sigma)
        items["9"] = Gaussian(centre=v[19], normalization=v[1] * 2.0, sigma=sigma)
        return ModelInstance(items)

    description = (
        "extra model (no reference figure): 10 af.ex.Gaussian sharing one sigma (links), one "
        "derived normalization and one assertion"
    )
    return Case(model, unrolled(source), description, loop)


CASES: dict[str, Callable[[], Case]] = {
    "gaussian": gaussian_case,
    "gaussians_10": lambda: gaussians_case(10),
    "lens": lens_case,
    "gaussians_200": lambda: gaussians_case(200),
    "gaussians_10_linked": linked_case,
}


# -- timing ---------------------------------------------------------------------------------------


def per_call_microseconds(
    functions: dict[str, Callable[[], Any]], repeat: int, seconds: float
) -> dict[str, float]:
    """Minimum per-call time of each function, in microseconds.

    Each function gets a ``timeit.Timer`` whose ``number`` of calls takes about ``seconds``.
    The ``repeat`` repeats of the functions are interleaved (one repeat of each in turn), so a
    burst of load on the machine slows every function alike instead of one of them.
    """
    timers, numbers = {}, {}
    for name, function in functions.items():
        timer = timeit.Timer(function)
        number = 1
        while (elapsed := timer.timeit(number)) < 0.02:
            number *= 4
        timers[name], numbers[name] = timer, max(1, math.ceil(number * seconds / elapsed))
    best = dict.fromkeys(functions, math.inf)
    for _ in range(repeat):
        for name, timer in timers.items():
            (elapsed,) = timer.repeat(repeat=1, number=numbers[name])
            best[name] = min(best[name], elapsed / numbers[name])
    return {name: value * 1e6 for name, value in best.items()}


def describe(value: Any) -> Any:
    """A comparable description of an instance: classes, attribute names and values."""
    if isinstance(value, ModelInstance):
        return ("ModelInstance", [(key, describe(item)) for key, item in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [describe(item) for item in value])
    if hasattr(value, "__dict__"):
        return (type(value).__name__, [(k, describe(v)) for k, v in vars(value).items()])
    return value


def unit_vector_for(model: af.AbstractModel, rng: np.random.Generator) -> list[float]:
    """A unit vector whose instance satisfies every assertion."""
    for _ in range(1000):
        units = rng.uniform(0.1, 0.9, model.prior_count).tolist()
        try:
            model.instance_from_unit_vector(units)
        except af.exc.FitException:
            continue
        return units
    raise RuntimeError("no unit vector satisfying the assertions was found")


def measure(name: str, repeat: int, seconds: float, rng: np.random.Generator) -> dict[str, Any]:
    case = CASES[name]()
    model = case.model
    started = time.perf_counter()
    model.compiled  # noqa: B018 - compile once, outside the timings
    compile_ms = (time.perf_counter() - started) * 1e3

    units = unit_vector_for(model, rng)
    vector = model.vector_from_unit_vector(units)
    units_array, vector_array = np.array(units), np.array(vector)
    batch = rng.uniform(0.0, 1.0, (BATCH_SIZE, model.prior_count))
    expected = describe(model.instance_from_vector(vector))
    for floor_builder in filter(None, (case.floor, case.floor_loop)):
        if describe(floor_builder(vector)) != expected:
            raise RuntimeError(f"{name}: instance_from_vector and the hand-built floor differ")

    functions = {
        "floor": lambda: case.floor(vector),
        "vector": lambda: model.instance_from_vector(vector),
        "unit": lambda: model.instance_from_unit_vector(units),
        "vector_array": lambda: model.instance_from_vector(vector_array),
        "unit_array": lambda: model.instance_from_unit_vector(units_array),
        "batch": lambda: model.vector_from_unit_vector(batch),
    }
    if case.floor_loop is not None:
        functions["floor_loop"] = lambda: case.floor_loop(vector)
    times = per_call_microseconds(functions, repeat, seconds)
    floor, floor_loop = times["floor"], times.get("floor_loop")
    from_vector, from_unit = times["vector"], times["unit"]
    from_vector_array, from_unit_array = times["vector_array"], times["unit_array"]
    batch_us = times["batch"]

    vector_over_floor = from_vector / floor
    unit_over_vector = from_unit / from_vector
    result: dict[str, Any] = {
        "description": case.description,
        "free_parameters": model.prior_count,
        "compile_ms": round(compile_ms, 3),
        "floor_us": round(floor, 4),
        "floor_loop_us": None if floor_loop is None else round(floor_loop, 4),
        "instance_from_vector_us": round(from_vector, 4),
        "instance_from_unit_vector_us": round(from_unit, 4),
        "instance_from_vector_ndarray_us": round(from_vector_array, 4),
        "instance_from_unit_vector_ndarray_us": round(from_unit_array, 4),
        f"vector_from_unit_vector_batch_{BATCH_SIZE}_us": round(batch_us, 3),
        f"vector_from_unit_vector_batch_{BATCH_SIZE}_per_vector_us": round(
            batch_us / BATCH_SIZE, 5
        ),
        "vector_over_floor": round(vector_over_floor, 3),
        "unit_over_vector": round(unit_over_vector, 3),
        "meets_targets": bool(
            vector_over_floor <= VECTOR_OVER_FLOOR_TARGET
            and unit_over_vector <= UNIT_OVER_VECTOR_TARGET
        ),
    }
    reference = REFERENCE_US.get(name)
    result["reference_us"] = reference
    result["speed_up_over_reference"] = (
        None
        if reference is None
        else {
            "instance_from_vector": round(reference["instance_from_vector"] / from_vector, 1),
            "instance_from_unit_vector": round(
                reference["instance_from_unit_vector"] / from_unit, 1
            ),
        }
    )
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timeit repeats (default 7)")
    parser.add_argument(
        "--seconds", type=float, default=0.12, help="seconds per repeat (default 0.12)"
    )
    parser.add_argument("--quick", action="store_true", help="3 repeats of 0.02 s each")
    parser.add_argument("--models", nargs="*", choices=list(CASES), default=list(CASES))
    arguments = parser.parse_args(argv)
    repeat, seconds = (3, 0.02) if arguments.quick else (arguments.repeat, arguments.seconds)

    started = time.perf_counter()
    environment = common.environment({"numpy": np.__version__, "autofit": af.__version__})
    rng = np.random.default_rng(1)
    models = {name: measure(name, repeat, seconds, rng) for name in arguments.models}
    report = {
        "benchmark": "model_overhead",
        "environment": environment,
        "settings": {
            "repeat": repeat,
            "seconds_per_repeat": seconds,
            "statistic": "minimum over repeats of the mean per-call time, in microseconds",
            "interleaved": True,
            "vector_input": "Python list (the *_ndarray_us entries take a 1D numpy array)",
            "batch_size": BATCH_SIZE,
        },
        "targets": {
            "vector_over_floor": VECTOR_OVER_FLOOR_TARGET,
            "unit_over_vector": UNIT_OVER_VECTOR_TARGET,
            "speed_up_over_reference": "25-100x",
        },
        "models": models,
        "all_meet_targets": all(entry["meets_targets"] for entry in models.values()),
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report, indent=2))
    return report


if __name__ == "__main__":
    main()
