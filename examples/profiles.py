"""Model components of a two-galaxy, lens-like model, used by ``examples/lens_model.py``.

Their default priors are in ``config/priors/profiles.yaml`` (the file is named after this
module), which autofit finds when scripts are run from the repository root.
"""

from __future__ import annotations

import numpy as np


class LightDeVaucouleurs:
    """A de Vaucouleurs light profile (a Sersic profile with index 4)."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        intensity: float = 0.1,
        effective_radius: float = 0.6,
    ) -> None:
        self.centre = centre
        self.intensity = intensity
        self.effective_radius = effective_radius

    def image_from(self, radii: np.ndarray) -> np.ndarray:
        """Surface brightness at the given radii from the centre."""
        return self.intensity * np.exp(-7.669 * ((radii / self.effective_radius) ** 0.25 - 1.0))


class LightExponential:
    """An exponential light profile (a Sersic profile with index 1)."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        intensity: float = 0.1,
        effective_radius: float = 0.6,
    ) -> None:
        self.centre = centre
        self.intensity = intensity
        self.effective_radius = effective_radius

    def image_from(self, radii: np.ndarray) -> np.ndarray:
        """Surface brightness at the given radii from the centre."""
        return self.intensity * np.exp(-1.678 * (radii / self.effective_radius - 1.0))


class MassIsothermal:
    """An isothermal mass distribution with an elliptical axis ratio."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        einstein_radius: float = 1.0,
        axis_ratio: float = 1.0,
    ) -> None:
        self.centre = centre
        self.einstein_radius = einstein_radius
        self.axis_ratio = axis_ratio


class Galaxy:
    """A galaxy at a redshift, made of any number of light and mass profiles.

    The profiles are passed as keyword arguments (``bulge=..., mass=...``).
    """

    def __init__(self, redshift: float, **kwargs: object) -> None:
        self.redshift = redshift
        for name, profile in kwargs.items():
            setattr(self, name, profile)

    @property
    def profiles(self) -> dict[str, object]:
        """The galaxy's profiles by name."""
        return {name: value for name, value in vars(self).items() if name != "redshift"}
