"""Model component classes used by the tests of ``autofit.model``."""

from __future__ import annotations

from typing import Tuple  # noqa: UP035 - the typing spelling is part of what is tested


class LightDeVaucouleurs:
    """A light profile with a tuple centre annotated as ``tuple[float, float]``."""

    def __init__(
        self,
        centre: tuple[float, float] = (0.0, 0.0),
        intensity=0.1,
        effective_radius=0.6,
    ):
        self.centre = centre
        self.intensity = intensity
        self.effective_radius = effective_radius


class LightExponential:
    """A light profile whose tuple centre is recognised from its default only."""

    def __init__(self, centre=(0.0, 0.0), intensity=0.1, effective_radius=0.6):
        self.centre = centre
        self.intensity = intensity
        self.effective_radius = effective_radius


class MassIsothermal:
    """A mass profile with a tuple centre annotated as ``typing.Tuple[float, float]``."""

    def __init__(
        self,
        centre: Tuple[float, float] = (0.0, 0.0),  # noqa: UP006
        einstein_radius=1.0,
        axis_ratio=1.0,
    ):
        self.centre = centre
        self.einstein_radius = einstein_radius
        self.axis_ratio = axis_ratio


class Galaxy:
    """A galaxy taking any components as keywords; it keeps them only in ``profiles``."""

    def __init__(self, redshift, **kwargs):
        self.redshift = redshift
        self.profiles = kwargs


class WithDefaults:
    """Arguments whose defaults are a float, a string, a boolean, None and an int."""

    def __init__(self, value=1.0, name: str = "x", flag=True, option=None, count: int = 3):
        self.value = value
        self.name = name
        self.flag = flag
        self.option = option
        self.count = count


class Parent:
    """A class whose priors its subclass reuses."""

    def __init__(self, a, b):
        self.a = a
        self.b = b


class Child(Parent):
    """A subclass configured only for its own argument ``c``."""

    def __init__(self, a, b, c):
        super().__init__(a, b)
        self.c = c


class WithList:
    """A component holding a list of other components."""

    def __init__(self, gaussian_list):
        self.gaussian_list = gaussian_list


class Point:
    """A tuple argument known from its annotation only, configured by one entry for all
    elements."""

    def __init__(self, position: Tuple[float, float], weight=1.0):  # noqa: UP006
        self.position = position
        self.weight = weight


class AllPriorTypes:
    """One argument per prior type of the configuration."""

    def __init__(
        self,
        uniform=0.5,
        log_uniform=1.0,
        gaussian=0.0,
        log_gaussian=1.0,
        truncated_gaussian=0.5,
        bounded_gaussian=0.0,
    ):
        self.uniform = uniform
        self.log_uniform = log_uniform
        self.gaussian = gaussian
        self.log_gaussian = log_gaussian
        self.truncated_gaussian = truncated_gaussian
        self.bounded_gaussian = bounded_gaussian


class Unconfigured:
    """A class with a free parameter that no configuration file gives a prior."""

    def __init__(self, quantity_without_prior=1.0):
        self.quantity_without_prior = quantity_without_prior
