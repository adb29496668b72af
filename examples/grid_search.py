"""Grid search of searches: is there a narrow line on top of a broad Gaussian, and where?

The data are a broad Gaussian (centre 50, sigma 15) with a weak, narrow line (centre 30, sigma
2) on top. ``af.SearchGridSearch`` fits the broad Gaussian plus a line (of the known width 2)
once for each of five
ranges of the line's centre (0-20, 20-40, ..., 80-100), each fit a normal ``af.DynestyStatic``
fit with the line confined to its range, two at a time in worker processes. The evidence of each
cell, relative to the evidence of the broad Gaussian alone, says in which range the data want a
line: only the cell holding x = 30 gains evidence.

Run from the repository root (it takes about 30 seconds on 2 cores):

    python examples/grid_search.py

Nothing is written to disk unless the environment variable ``AUTOFIT_OUTPUT_PATH`` names an
output folder; then the grid writes ``<AUTOFIT_OUTPUT_PATH>/grid_search/line/<identifier>/``,
one folder per cell, ``grid_search.json``, ``results.csv`` and ``image/grid_search.png``, and a
second run of the script loads the finished grid.
"""

import os

import autofit as af

# -- The data --------------------------------------------------------------------------------------

broad = af.ex.Gaussian(centre=50.0, normalization=60.0, sigma=15.0)
line = af.ex.Gaussian(centre=30.0, normalization=4.0, sigma=2.0)
data, noise_map = af.ex.simulate_data([broad, line], pixels=100, noise=0.1, seed=2)
analysis = af.ex.Analysis(data=data, noise_map=noise_map)

# -- The models ------------------------------------------------------------------------------------


def broad_gaussian() -> af.Model:
    gaussian = af.Model(af.ex.Gaussian)
    gaussian.centre = af.UniformPrior(lower_limit=30.0, upper_limit=70.0)
    gaussian.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    gaussian.sigma = af.UniformPrior(lower_limit=5.0, upper_limit=30.0)
    return gaussian


without_line = af.Collection(broad=broad_gaussian())

with_line = af.Collection(broad=broad_gaussian(), line=af.Model(af.ex.Gaussian))
with_line.line.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
with_line.line.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=10.0)
with_line.line.sigma = 2.0  # the width of a line is known: fixed

# -- The fits --------------------------------------------------------------------------------------

# The examples test sets AUTOFIT_EXAMPLE_QUICK to run with fewer live points.
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
write = bool(os.environ.get(af.conf.OUTPUT_PATH_VARIABLE))
nlive = 20 if quick else 40


def search(name: str) -> af.DynestyStatic:
    return af.DynestyStatic(
        nlive=nlive,
        sample="rwalk",  # short random walks: quick in these few dimensions
        walks=10,
        seed=1,
        silence=True,
        name=name if write else None,
        path_prefix="grid_search" if write else None,
    )


reference = search("no_line").fit(model=without_line, analysis=analysis)
no_line_evidence = reference.samples.log_evidence

grid_search = af.SearchGridSearch(search=search("line"), number_of_steps=5, number_of_cores=2)
result = grid_search.fit(model=with_line, analysis=analysis, grid_priors=[with_line.line.centre])

# -- What the grid found ---------------------------------------------------------------------------

gains = result.log_evidences(relative_to_value=no_line_evidence)
centres = result.attribute_grid("line.centre")
print("line centre range   log evidence gain   fitted line centre")
for (lower,), (upper,), gain, centre in zip(
    result.physical_lower_limits_lists,
    result.physical_upper_limits_lists,
    gains,
    centres,
    strict=True,
):
    print(f"{lower:6.0f} to {upper:4.0f}   {gain:17.1f}   {centre:18.2f}")

best = result.best_samples.instance
(lower,), (upper,) = (
    result.physical_lower_limits_lists[result.best_index],
    result.physical_upper_limits_lists[result.best_index],
)
print()
print(
    f"Best cell: line centre {lower:.0f} to {upper:.0f}, fitted at {best.line.centre:.2f} "
    f"(truth {line.centre:.0f})"
)
print(f"Evidence gain of the best cell over no line: {max(gains):.1f}")
if write:
    folder = result.folders[0].rsplit("/", 2)[0]
    print(f"Output written to {folder}")
