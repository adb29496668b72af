"""A workspace whose config/visualize/plots_search.yaml has PyAutoFit's form (entries by search
family, with plots autofit does not draw): fits with visualisation on write the plots it asks
for, and corner_anesthetic is drawn when anesthetic is installed (skipped with one warning
otherwise)."""

import importlib.util
import os
import warnings
from pathlib import Path

os.environ.pop("AUTOFIT_SKIP_VISUALIZATION", None)

import autofit as af  # noqa: E402
import autofit.plot as aplt  # noqa: E402

data, noise_map = af.ex.simulate_data(noise=0.1)
analysis = af.ex.Analysis(data=data, noise_map=noise_map)

model = af.Model(af.ex.Gaussian)
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=25.0)


def plots_of(result):
    return sorted(path.name for path in Path(result.paths.image_path, "search").glob("*.png"))


emcee = af.Emcee(name="emcee", nwalkers=20, nsteps=200, seed=1)
lbfgs = af.LBFGS(name="lbfgs", seed=1)
dynesty = af.DynestyStatic(name="dynesty", nlive=50, seed=1)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    results = [search.fit(model=model, analysis=analysis) for search in (emcee, lbfgs, dynesty)]
    aplt.wait_for_plots()

print("emcee", plots_of(results[0]))
print("lbfgs", plots_of(results[1]))

nested = plots_of(results[2])
has_anesthetic = importlib.util.find_spec("anesthetic") is not None
package_warnings = [w for w in caught if issubclass(w.category, aplt.PlotPackageWarning)]
print("dynesty corner", "corner.png" in nested)
print(
    "corner_anesthetic as expected",
    ("corner_anesthetic.png" in nested) == has_anesthetic
    and len(package_warnings) == (0 if has_anesthetic else 1),
)
