"""An example analysis: fit 1D profiles (``af.ex.Gaussian``, ``af.ex.Exponential``) to data."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from autofit.analysis.analysis import Analysis as BaseAnalysis
from autofit.analysis.latent import latent_samples_from_values
from autofit.example.model import Gaussian
from autofit.example.result import Result
from autofit.exc import FitException

__all__ = ["Analysis", "simulate_data", "profiles_of", "first_with_fwhm", "batch_method_of"]


def profiles_of(instance: Any) -> list[Any]:
    """The components of an instance that have ``model_data_from``, depth first.

    The instance itself when it has the method; otherwise the items of a collection, lists and
    dicts, searched recursively. Anything else (numbers such as a fixed ``time``, ``None``,
    strings) is skipped.
    """
    if hasattr(instance, "model_data_from"):
        return [instance]
    if isinstance(instance, dict):
        items = list(instance.values())
    elif isinstance(instance, (str, bytes)) or not hasattr(instance, "__iter__"):
        return []
    else:
        try:
            items = list(instance)
        except TypeError:
            return []
    return [profile for item in items for profile in profiles_of(item)]


def _read_only_copy(values: Any) -> np.ndarray:
    """A float copy of ``values`` that cannot be changed in place."""
    array = np.array(values, dtype=float)
    array.flags.writeable = False
    return array


#: The batch method of each profile class (or None), found once per class.
_BATCH_METHODS: dict[type, str | None] = {}


def batch_method_of(profile: Any) -> Any:
    """The profile's ``model_data_batch_from`` if the class that defines its
    ``model_data_from`` defines it too (a subclass overriding only ``model_data_from`` has
    none), else None."""
    cls = type(profile)
    try:
        name = _BATCH_METHODS[cls]
    except KeyError:
        name = None
        for base in cls.__mro__:
            if "model_data_from" in vars(base):
                if "model_data_batch_from" in vars(base):
                    name = "model_data_batch_from"
                break
        _BATCH_METHODS[cls] = name
    return None if name is None else getattr(profile, name)


def first_with_fwhm(instance: Any) -> Any:
    """The first component of an instance (itself included) with a ``fwhm``, or None."""
    for profile in profiles_of(instance):
        if hasattr(profile, "fwhm"):
            return profile
    return None


class Analysis(BaseAnalysis):
    """Chi-squared fit of the summed profiles of an instance to 1D data at x = 0, 1, 2, ...

    The model may be one profile (``af.Model(af.ex.Gaussian)``) or a collection of them; items
    of a collection without ``model_data_from`` (a fixed number, ``None``) are skipped. The
    full width at half maximum of the first Gaussian is computed as the latent variable
    ``gaussian.fwhm`` for every posterior sample (``result.latent_samples``), when the model
    has a component with a ``fwhm``.

    Parameters
    ----------
    data
        The data values (kept as a read-only copy: replace ``analysis.data`` rather than
        changing it in place).
    noise_map
        The standard deviation of the noise of each value (a read-only copy too).
    use_jax
        Trace, jit and vmap the likelihood with JAX (see :class:`autofit.Analysis`).
    """

    Result: ClassVar[type] = Result
    LATENT_KEYS: ClassVar[list[str]] = ["gaussian.fwhm"]

    def __init__(self, data: np.ndarray, noise_map: np.ndarray, use_jax: bool = False) -> None:
        super().__init__(use_jax=use_jax)
        self.data = _read_only_copy(data)
        self.noise_map = _read_only_copy(noise_map)
        if self.data.ndim != 1 or self.noise_map.shape != self.data.shape:
            raise ValueError(
                f"af.ex.Analysis needs 1D data and a noise_map of the same shape, got "
                f"data of shape {self.data.shape} and noise_map of shape {self.noise_map.shape}"
            )
        self.xvalues = np.arange(self.data.shape[0], dtype=float)
        #: The data repeated on the rows of the last batch size, and the weights of the
        #: squared residuals (see _rows_of).
        self._rows: tuple[Any, ...] | None = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_rows"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        # A pickled array comes back writeable: read-only again, as made by __init__.
        for name in ("data", "noise_map"):
            value = state.get(name)
            if isinstance(value, np.ndarray) and value.flags.owndata:
                value.flags.writeable = False
        self.__dict__.update(state)

    def _rows_of(self, rows: int) -> tuple[np.ndarray, np.ndarray]:
        """The data, as an array of shape ``(rows, pixels)`` when both it and the noise map are
        read-only arrays (an operation on arrays of one shape costs less than one broadcasting
        a row), and the weights ``-0.5 / noise_map**2`` of the squared residuals. Both are
        kept for the last batch size and made again when ``data`` or ``noise_map`` is
        replaced; for other data (a list, a writeable array) they are made at every call."""
        data, noise_map = self.data, self.noise_map
        if (
            not isinstance(data, np.ndarray)
            or not isinstance(noise_map, np.ndarray)
            or data.flags.writeable
            or noise_map.flags.writeable
        ):
            noise_map = np.asarray(noise_map, dtype=float)
            return np.asarray(data, dtype=float), -0.5 / (noise_map * noise_map)
        # A subclass whose __init__ does not call this one's has no cache yet.
        cached = getattr(self, "_rows", None)
        if (
            cached is None
            or cached[0] != rows
            or cached[1] is not data
            or cached[2] is not noise_map
        ):
            repeated = np.tile(data, (rows, 1)) if rows else data
            weights = -0.5 / (noise_map * noise_map)
            cached = self._rows = (rows, data, noise_map, repeated, weights)
        return cached[3], cached[4]

    def model_data_from(self, instance: Any) -> np.ndarray:
        """The sum of the instance's profiles at the data's x values (zero without any)."""
        if self._use_jax:
            xp = self._xp
            total = xp.zeros(self.xvalues.shape)
            for profile in profiles_of(instance):
                total = total + profile.model_data_from(self.xvalues, xp=xp)
            return total
        total = np.zeros(self.xvalues.shape)
        for profile in profiles_of(instance):
            total = total + profile.model_data_from(self.xvalues)
        return total

    def model_data_1d_from(self, instance: Any) -> np.ndarray:
        """PyAutoFit's name of :meth:`model_data_from`."""
        return self.model_data_from(instance)

    def log_likelihood_function(self, instance: Any) -> float:
        """``-0.5 * chi-squared`` of the data given the instance's profiles."""
        residuals = (self.data - self.model_data_from(instance)) / self.noise_map
        if self._use_jax:
            return -0.5 * self._xp.dot(residuals, residuals)
        return -0.5 * float(np.dot(residuals, residuals))

    def log_likelihood_function_batch(self, instances: Any) -> np.ndarray:
        """``-0.5 * chi-squared`` of every point of a batch instance, vectorised with numpy.

        ``instances`` is built by one constructor call per component with arrays of shape
        ``(n,)`` as parameters; each profile's ``model_data_batch_from`` gives its values at
        every point as an array of shape ``(n, pixels)``, and the chi-squared of each row is
        summed in one call.

        Raises
        ------
        FitException
            To have the points evaluated one by one with :meth:`log_likelihood_function`:
            when a subclass overrides that method or :meth:`model_data_from`, when the instance
            has no profile, or a profile has no batch method of its own.
        """
        cls = type(self)
        if (
            cls.log_likelihood_function is not Analysis.log_likelihood_function
            or cls.model_data_from is not Analysis.model_data_from
        ):
            raise FitException(f"{cls.__name__} evaluates points one by one")
        profiles = profiles_of(instances)
        if not profiles:
            raise FitException("the instance has no profile: evaluated one by one")
        total = None
        for profile in profiles:
            method = batch_method_of(profile)
            if method is None:
                raise FitException(f"{type(profile).__name__} has no model_data_batch_from")
            values = method(self.xvalues)
            total = values if total is None else total + values
        data, weights = self._rows_of(total.shape[0] if total.ndim == 2 else 0)
        residuals = data - total
        # Each row's sum of weighted squares in one matrix-vector product.
        np.square(residuals, out=residuals)
        return residuals.dot(weights)

    def compute_latent_variables(self, parameters: Any, model: Any) -> tuple[float]:
        """``(fwhm,)`` of the first component with a ``fwhm`` in the sample's instance."""
        instance = model.instance_from_vector(
            list(parameters), ignore_assertions=True, ignore_prior_limits=True
        )
        profile = first_with_fwhm(instance)
        if profile is None:
            raise ValueError(
                "af.ex.Analysis computes the latent gaussian.fwhm, but the model has no "
                "component with a fwhm (such as af.ex.Gaussian)"
            )
        return (float(profile.fwhm),)

    def compute_latent_samples(self, samples: Any, batch_size: int | None = None) -> Any:
        """The ``gaussian.fwhm`` samples, or None when the model has no component with a
        ``fwhm`` (for example a fit of exponentials only). A subclass with its own
        ``compute_latent_variables`` gets its latent samples whatever the model."""
        if type(self).compute_latent_variables is not Analysis.compute_latent_variables:
            return super().compute_latent_samples(samples, batch_size)
        if samples.total_samples == 0:
            return None
        instance = samples.model.instance_from_vector(
            samples.parameters[0].tolist(), ignore_assertions=True, ignore_prior_limits=True
        )
        if first_with_fwhm(instance) is None:
            return None
        parameters, weights = samples.pdf()
        fwhm = self._batch_fwhm(samples.model, parameters)
        if fwhm is None:
            return super().compute_latent_samples(samples, batch_size)
        return latent_samples_from_values(self.LATENT_KEYS, fwhm, weights)

    @staticmethod
    def _batch_fwhm(model: Any, parameters: np.ndarray) -> np.ndarray | None:
        """The ``fwhm`` of every sample at once, from the batch instance of the samples (its
        ``fwhm`` an array), or None if the component's ``fwhm`` does not work on arrays."""
        parameters = np.asarray(parameters, dtype=float)
        if parameters.shape[0] == 0:
            return None
        try:
            profile = first_with_fwhm(model.compiled.batch_instance(parameters))
            return np.broadcast_to(np.asarray(profile.fwhm, dtype=float), parameters.shape[:1])
        except Exception:  # noqa: BLE001 - any failure: computed sample by sample instead
            return None

    def save_attributes(self, paths: Any) -> None:
        """Save the data and noise map with the fit."""
        paths.save_array("data", self.data)
        paths.save_array("noise_map", self.noise_map)


def simulate_data(
    profiles: list[Any] | None = None,
    pixels: int = 100,
    noise: float = 0.01,
    seed: int = 1,
) -> tuple[np.ndarray, np.ndarray]:
    """Noisy 1D data from summed profiles (one Gaussian at 50 by default).

    Returns
    -------
    (data, noise_map)
    """
    profiles = profiles or [Gaussian(centre=50.0, normalization=25.0, sigma=10.0)]
    xvalues = np.arange(pixels, dtype=float)
    signal = sum((profile.model_data_from(xvalues) for profile in profiles), np.zeros(pixels))
    rng = np.random.default_rng(seed)
    return signal + rng.normal(0.0, noise, pixels), np.full(pixels, noise)
