"""The Aggregator as PyAutoFit scripts use it: a fit written into a SQLite database, read back
with Aggregator.from_database(filename=...); from_directory of a folder that does not exist
(empty, with one warning); paths.for_sub_analysis in an analysis's save_attributes."""

import json
import warnings
from pathlib import Path

import autofit as af


class Analysis(af.ex.Analysis):
    def save_attributes(self, paths):
        super().save_attributes(paths)
        paths.for_sub_analysis(analysis_name="analyses/analysis_0").save_json(
            "dataset", {"points": int(self.data.shape[0])}
        )


data, noise_map = af.ex.simulate_data(noise=0.1)

model = af.Model(af.ex.Gaussian)
model.centre = af.UniformPrior(lower_limit=0.0, upper_limit=100.0)
model.normalization = af.UniformPrior(lower_limit=0.0, upper_limit=50.0)
model.sigma = af.UniformPrior(lower_limit=0.0, upper_limit=25.0)

session = af.db.open_database("database.sqlite")
search = af.LBFGS(name="database_fit", unique_tag="dataset_0", session=session, seed=1)
result = search.fit(model=model, analysis=Analysis(data=data, noise_map=noise_map))

agg = af.Aggregator.from_database(filename="database.sqlite", completed_only=True)
print("fits in database", len(agg))
print("unique tag", agg[0].unique_tag)
print("centre", round(agg[0].instance.centre))

sub_folder = result.paths.output_path / "analyses" / "analysis_0"
print("sub analysis", json.loads((sub_folder / "files" / "dataset.json").read_text()))

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    missing = af.Aggregator.from_directory(directory=Path("output") / "no_such_study")
print("missing folder fits", len(missing))
print("warnings", [w.category.__name__ for w in caught])
print(
    "absolute path in warning",
    str(Path("output", "no_such_study").resolve()) in str(caught[0].message),
)

with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    report = agg.add_directory(directory="no_such_output")
print("scraped from missing folder", report.folders, len(caught))
