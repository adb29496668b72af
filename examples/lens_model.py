"""A two-galaxy, lens-like model built from light and mass profile classes.

Shows multi-level models: a ``Galaxy`` takes any number of profiles as keyword arguments, each
profile has a tuple ``centre``, and default priors come from ``config/priors/profiles.yaml``.

Run from the repository root (so that ``./config`` is found):

    python examples/lens_model.py
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from profiles import Galaxy, LightDeVaucouleurs, LightExponential, MassIsothermal  # noqa: E402

import autofit as af  # noqa: E402

# Make the example's configuration visible wherever the script is run from.
af.conf.instance.push(new_path=Path(__file__).parent.parent / "config")

lens = af.Model(Galaxy, redshift=0.5, bulge=LightDeVaucouleurs, mass=MassIsothermal)
source = af.Model(Galaxy, redshift=1.0, bulge=LightExponential)

# The lens light and mass share a centre: link the tuple elements.
lens.mass.centre = lens.bulge.centre

# The source must be fainter than the lens in this toy problem.
model = af.Collection(galaxies=af.Collection(lens=lens, source=source))
model.add_assertion(lens.bulge.intensity > source.bulge.intensity)

print(model.info)
print()
print(f"{model.prior_count} free parameters:")
for path in model.paths:
    print("   ", ".".join(path))

# A random draw from the priors that satisfies the assertion.
instance = model.random_instance()
lens_galaxy = instance.galaxies.lens
print()
print("lens redshift:", lens_galaxy.redshift)
print("lens bulge centre:", lens_galaxy.bulge.centre, "mass centre:", lens_galaxy.mass.centre)
print("source profiles:", sorted(instance.galaxies.source.profiles))

# The model round-trips through JSON: links and assertions included.
restored = af.Collection.from_dict(json.loads(json.dumps(model.dict())))
assert restored.identifier == model.identifier
print()
print("identifier:", model.identifier)
