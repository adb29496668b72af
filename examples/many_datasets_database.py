"""Many datasets into a results database, then queried with the Aggregator.

A survey measures the same kind of object many times. Here ten datasets (``dataset_0`` to
``dataset_9``) each hold one Gaussian (``af.ex.Gaussian``) at a different centre, between 23
and 77. Each is fitted with the same model by the nested sampler ``af.DynestyStatic``, and every
fit is written into one SQLite database: the search is given ``session=`` (from
``af.db.open_database``), a ``unique_tag`` naming its dataset and an ``info`` dictionary with
what we know about the dataset.

Then, as one would in a notebook long after the fits ran on a cluster, the database is opened
with ``af.Aggregator.from_database`` and queried: one dataset by its tag, the fits whose
best-fit centre lies above 50, the fits whose true centre (kept in ``info``) lies in a
range. Results are read lazily, one fit at
a time, with ``agg.values(...)``. The same queries run on the output folders
(``af.Aggregator.from_directory``), and ``add_directory`` scrapes output folders into a second
database.

Run from the repository root (it takes about 15 seconds):

    python examples/many_datasets_database.py

Everything is written below the output path (``./output`` unless the environment variable
``AUTOFIT_OUTPUT_PATH`` names another folder): the database is
``many_datasets_database/results.sqlite``, and each fit also writes its output folder
``many_datasets_database/<unique_tag>/fit/<identifier>/``. Run the script again and every
completed fit is loaded instead of sampled again.
"""

import os

import numpy as np

import autofit as af

# -- The datasets ----------------------------------------------------------------------------------

# Gaussians centred between 23 and 77, each with its own normalisation and width, on 100 pixels
# with noise of standard deviation 0.2. Dataset i is named "dataset_<i>".
rng = np.random.default_rng(seed=7)
true_centres = np.linspace(23.0, 77.0, 10)
normalizations = rng.uniform(20.0, 40.0, size=10).round(2)
sigmas = rng.uniform(5.0, 10.0, size=10).round(2)

# (The test suite sets AUTOFIT_EXAMPLE_QUICK to fit every second dataset: five instead of ten.)
quick = os.environ.get("AUTOFIT_EXAMPLE_QUICK", "") not in ("", "0")
datasets = []
for index in range(0, 10, 2) if quick else range(10):
    truth = af.ex.Gaussian(
        centre=float(true_centres[index]),
        normalization=float(normalizations[index]),
        sigma=float(sigmas[index]),
    )
    data, noise_map = af.ex.simulate_data([truth], pixels=100, noise=0.2, seed=index)
    datasets.append((f"dataset_{index}", truth, data, noise_map))

# -- The fits, written into the database -----------------------------------------------------------

# The output path: AUTOFIT_OUTPUT_PATH if set, else output: path: of general.yaml (./output).
output_folder = af.conf.instance.output_path / "many_datasets_database"
database_path = output_folder / "results.sqlite"

# One session for every fit of this script. Batch jobs on a cluster would each open their own
# (SQLite on one machine; a PostgreSQL URL for jobs on many nodes).
session = af.db.open_database(database_path)

for dataset_name, truth, data, noise_map in datasets:
    model = af.Collection(gaussian=af.Model(af.ex.Gaussian))
    model.gaussian.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
    model.gaussian.normalization = af.LogUniformPrior(lower_limit=1.0, upper_limit=1000.0)
    model.gaussian.sigma = af.UniformPrior(lower_limit=0.5, upper_limit=30.0)

    # The same name for every fit; the unique tag tells the datasets apart (and is part of the
    # identifier: a fit's identifier depends on the model and the search, not on the data, so
    # each dataset needs its own tag to get its own fit). The posterior has one peak, so one
    # bounding ellipsoid (bound="single") is enough, and faster than dynesty's default of
    # several.
    search = af.DynestyStatic(
        nlive=100,
        bound="single",
        seed=1,
        silence=True,
        name="fit",
        path_prefix="many_datasets_database",
        unique_tag=dataset_name,
        session=session,
    )
    search.fit(
        model=model,
        analysis=af.ex.Analysis(data=data, noise_map=noise_map),
        info={"dataset": dataset_name, "true_centre": truth.centre, "noise": 0.2},
    )

# The fits are written: close the session and its database connections.
session.close()
session.get_bind().dispose()

print(f"Database: {database_path}")

# -- The Aggregator --------------------------------------------------------------------------------

agg = af.Aggregator.from_database(database_path)
print(f"The database holds {len(agg)} fits.")
print()

# agg.values(name) is a generator over the fits, in order (by path prefix, unique tag, name and
# identifier): it reads one fit's value at a time, so this loop needs the same memory for ten
# fits as for ten thousand.
print("dataset      true centre   fitted centre (median, 3-sigma errors)")
for info, summary in zip(agg.values("info"), agg.values("samples_summary"), strict=True):
    median = summary.median_pdf().gaussian.centre
    lower, upper = summary.errors_at_sigma(3.0).gaussian.centre
    print(
        f"{info['dataset']:<12} {info['true_centre']:11.2f}   "
        f"{median:8.2f} +{upper:.2f} -{lower:.2f}"
    )

# -- Queries ---------------------------------------------------------------------------------------

# A query compares an attribute of agg.search, agg.model or agg.info with a value; agg.query
# returns a new Aggregator of the matching fits. On a database every query runs as SQL, without
# loading any fit.
print()
one = agg.query(agg.search.unique_tag == "dataset_4")
(fit,) = one
print(f'unique_tag == "dataset_4": {[f.unique_tag for f in one]}')
print(f"    info: {fit.info}")
best = fit.instance.gaussian
print(
    f"    maximum likelihood: centre {best.centre:.2f}, normalization {best.normalization:.2f}, "
    f"sigma {best.sigma:.2f}"
)

# A parameter query compares the maximum-likelihood value of the parameter.
right = agg.query(agg.model.gaussian.centre > 50.0)
print(f"gaussian.centre > 50: {[fit.unique_tag for fit in right]}")

# Queries combine with & (and), | (or) and ~ (not), and chain.
middle = agg.query((agg.info["true_centre"] > 30.0) & (agg.info["true_centre"] < 70.0))
print(f"30 < true centre < 70: {[fit.unique_tag for fit in middle]}")
middle_right = middle.query(middle.model.gaussian.centre > 50.0)
print(f"    and gaussian.centre > 50: {[fit.unique_tag for fit in middle_right]}")

# -- The same from the output folders --------------------------------------------------------------

# Every fit also wrote its output folder. from_directory reads them with the same API and the
# same queries; add_directory scrapes them into another database (fits that ran without a
# database, on a machine that could not reach it, are added this way).
folders = af.Aggregator.from_directory(output_folder)
print()
print(f"Output folders: {len(folders)} fits, the same as the database: {folders.ids == agg.ids}")
right_folders = folders.query(folders.model.gaussian.centre > 50.0)
print(f"gaussian.centre > 50 in the folders: {[fit.unique_tag for fit in right_folders]}")

scraped = af.Aggregator.from_database(output_folder / "scraped.sqlite")
report = scraped.add_directory(output_folder)
print(
    f"Scraped into {output_folder / 'scraped.sqlite'}: {len(report.added)} added, "
    f"{len(report.unchanged)} unchanged; the same fits: {scraped.ids == agg.ids}"
)
