"""Interpolating fits over time: a Gaussian that drifts and fades, fitted at four epochs.

A source is observed at times 0, 1, 2 and 3; between the epochs its centre moves to the right
(centre = 30 + 10 t) and it fades (normalization = 40 - 5 t). We fit each epoch on its own,
with the epoch's time as a fixed value of the model, and hand the four best fits to
``af.LinearInterpolator`` and ``af.SplineInterpolator``: they give the Gaussian at any time, in
between the epochs or (extrapolated) after the last one.

Run from the repository root (about 15 seconds):

    python examples/interpolation.py

Nothing is written to disk unless the environment variable ``AUTOFIT_OUTPUT_PATH`` names an
output folder; then each epoch's fit writes ``<AUTOFIT_OUTPUT_PATH>/interpolation/epoch_<t>/``.
"""

import os

import autofit as af

quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
write = bool(os.environ.get(af.conf.OUTPUT_PATH_VARIABLE))


def truth_at(time: float) -> af.ex.Gaussian:
    """The source at ``time``."""
    return af.ex.Gaussian(centre=30.0 + 10.0 * time, normalization=40.0 - 5.0 * time, sigma=6.0)


# -- One fit per epoch -----------------------------------------------------------------------------

instances = []
for epoch, time in enumerate((0.0, 1.0, 2.0, 3.0)):
    data, noise_map = af.ex.simulate_data([truth_at(time)], pixels=100, noise=0.2, seed=epoch)
    # The epoch's time is a fixed value of the model, so it is part of every fitted instance.
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian), time=time)
    model.gaussian.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.gaussian.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.gaussian.sigma = af.UniformPrior(lower_limit=1.0, upper_limit=20.0)
    search = af.DynestyStatic(
        nlive=30 if quick else 50,
        seed=1,
        silence=True,
        name=f"epoch_{time:g}" if write else None,
        path_prefix="interpolation" if write else None,
    )
    result = search.fit(model=model, analysis=af.ex.Analysis(data, noise_map))
    instances.append(result.instance)
    gaussian = result.instance.gaussian
    print(
        f"epoch t = {time:g}: centre {gaussian.centre:6.2f}, normalization "
        f"{gaussian.normalization:6.2f}, sigma {gaussian.sigma:5.2f}"
    )

# -- Interpolating ---------------------------------------------------------------------------------

linear = af.LinearInterpolator(instances=instances)
spline = af.SplineInterpolator(instances=instances)

print()
print("time  interpolator  centre (truth)   normalization (truth)")
for time in (1.5, 2.5, 4.0):
    truth = truth_at(time)
    for name, interpolator in (("linear", linear), ("spline", spline)):
        gaussian = interpolator[interpolator.time == time].gaussian
        print(
            f"{time:4.1f}  {name:12}  {gaussian.centre:6.2f} ({truth.centre:5.1f})   "
            f"{gaussian.normalization:6.2f} ({truth.normalization:5.1f})"
        )

# The source changes linearly, so the least-squares line is the better model of it: within
# half a pixel of the true centre at t = 1.5 and, extrapolated, at t = 4.
errors = [
    abs(linear[linear.time == time].gaussian.centre - truth_at(time).centre) for time in (1.5, 4.0)
]
print()
print(f"Linear interpolation within 0.5 of the true centre at t = 1.5 and 4: {max(errors) < 0.5}")

# With extrapolate=False, asking for a time outside the epochs raises instead.
strict = af.LinearInterpolator(instances=instances, extrapolate=False)
try:
    strict[strict.time == 4.0]
except ValueError as error:
    print(f"extrapolate=False: {error}")
