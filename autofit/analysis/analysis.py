"""Analysis: the user's likelihood, and the hooks a fit calls around it."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from autofit.analysis.visualize import Visualizer

if TYPE_CHECKING:
    from autofit.output.paths import AbstractPaths

__all__ = ["Analysis"]


class Analysis:
    """Subclass and implement :meth:`log_likelihood_function` to fit a model to data.

    Optional hooks, all with working defaults:

    - ``Visualizer``: an :class:`~autofit.Visualizer` subclass whose static methods draw plots;
    - ``Result``: the result class :meth:`make_result` returns (``af.Result`` by default);
    - :meth:`modify_before_fit`, :meth:`save_attributes`, :meth:`save_results`;
    - ``LATENT_KEYS`` and :meth:`compute_latent_variables`: derived quantities computed for
      every sample and summarised in the result.

    Raising :class:`~autofit.exc.FitException` (or returning NaN or an infinity) from
    :meth:`log_likelihood_function` rejects the point and the search resamples.

    Optionally, ``log_likelihood_function_batch(self, instances) -> np.ndarray`` evaluates many
    points in one call. ``instances`` is a *batch instance* of ``n`` points: the model's
    instance tree built with ONE constructor call per component whose parameters are numpy
    arrays of shape ``(n,)`` (a collection gives an ``af.ModelInstance`` of such components, an
    ``af.Array`` an array of shape ``(n, *shape)``, fixed floats are broadcast to shape
    ``(n,)``, other fixed values are unchanged); it returns the ``n`` log likelihoods, NaN or
    an infinity rejecting a point. Only points within the priors' limits that satisfy the
    model's assertions are passed. Raising ``FitException`` from it makes the fit evaluate
    those points one by one with :meth:`log_likelihood_function`, which is still needed (for
    optimisers and single points). Searches that propose several points at once use it (see
    :meth:`Fitness.call_batch <autofit.analysis.fitness.Fitness.call_batch>`); without it,
    points are evaluated one by one.

    Calling ``super().__init__()`` is optional; it accepts PyAutoFit's keywords.

    Parameters
    ----------
    use_jax
        Evaluate the likelihood with JAX: the path from a parameter vector through the
        instance to :meth:`log_likelihood_function` is traced once, jitted and vmapped over
        batches of points, and its gradient is given to the gradient-based searches (LBFGS,
        BFGS, BlackJAXNUTS, MultiStartAdam). The likelihood must then be written with
        ``jax.numpy`` (``self._xp``); see the "JAX and gradients" page. JAX is switched to
        64-bit floats.
    **kwargs
        Any further settings of the analysis, kept in ``self.kwargs`` (for example for
        :meth:`compute_latent_variables`).

    Raises
    ------
    ImportError
        If ``use_jax=True`` and JAX is not installed (naming ``pip install "autofit[jax]"``).

    Examples
    --------
    >>> class Analysis(af.Analysis):
    ...     def __init__(self, data, noise_map):
    ...         self.data, self.noise_map = data, noise_map
    ...
    ...     def log_likelihood_function(self, instance):
    ...         model_data = instance.model_data_from(xvalues=np.arange(self.data.size))
    ...         residuals = (self.data - model_data) / self.noise_map
    ...         return -0.5 * float(np.sum(residuals**2))
    """

    Visualizer: ClassVar[type[Visualizer]] = Visualizer
    Result: ClassVar[type | None] = None
    LATENT_KEYS: ClassVar[list[str]] = []
    _use_jax: bool = False
    kwargs: Mapping[str, Any] = MappingProxyType({})

    def __init__(self, use_jax: bool = False, **kwargs: Any) -> None:
        if use_jax:
            from autofit.model.compile_jax import require_jax

            require_jax()
        self._use_jax = bool(use_jax)
        self.kwargs = dict(kwargs)

    @property
    def is_jax(self) -> bool:
        """Whether the likelihood is evaluated with JAX (``use_jax=True``)."""
        return bool(self._use_jax)

    @property
    def _xp(self) -> ModuleType:
        """The array module of the likelihood: ``jax.numpy`` when :attr:`is_jax`, else numpy
        (as PyAutoFit's examples use it)."""
        if self.is_jax:
            import jax.numpy as jnp

            return jnp
        return np

    def log_likelihood_function(self, instance: Any) -> float:
        """The log likelihood of the data given ``instance`` (an instance of the model).

        Raises
        ------
        FitException
            To reject the point.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement log_likelihood_function(self, instance)"
        )

    def modify_before_fit(self, paths: AbstractPaths, model: Any) -> Analysis:
        """Called before the search starts; return the analysis to use (``self`` by default)."""
        return self

    def save_attributes(self, paths: AbstractPaths) -> None:
        """Save anything the analysis needs to be reloaded later, e.g.
        ``paths.save_json("data", data.tolist())`` or ``paths.save_array("data", data)``."""

    def save_results(self, paths: AbstractPaths, result: Any) -> None:
        """Save anything derived from the finished fit's ``result``."""

    def compute_latent_variables(self, parameters: Any, model: Any) -> Any:
        """Latent values for one sample: a tuple (or dict) with one entry per ``LATENT_KEYS``.

        Parameters
        ----------
        parameters
            The sample's parameter vector.
        model
            The model; ``model.instance_from_vector(parameters)`` gives the instance.
        """
        raise NotImplementedError(
            f"{type(self).__name__} sets LATENT_KEYS, so it must implement "
            "compute_latent_variables(self, parameters, model)"
        )

    def compute_latent_samples(self, samples: Any, batch_size: int | None = None) -> Any:
        """Samples of the ``LATENT_KEYS`` computed from the posterior samples.

        The fit calls this when it finishes; each PDF sample's values come from
        :meth:`compute_latent_variables` (samples that raise ``FitException`` or give a value
        that is not finite are left out) and keep the sample's weight.

        Parameters
        ----------
        samples
            The samples of a fit of this analysis (``result.samples``).
        batch_size
            Accepted for PyAutoFit scripts; the samples are evaluated one at a time.

        Returns
        -------
        Samples or None
            One parameter per latent key (dotted keys become nested collections), or None when
            the analysis defines no ``LATENT_KEYS`` or the samples are empty.
        """
        from autofit.analysis.latent import compute_latent_samples

        return compute_latent_samples(self, samples)

    def make_result(
        self,
        samples_summary: Any = None,
        paths: Any = None,
        samples: Any = None,
        search_internal: Any = None,
        analysis: Any = None,
    ) -> Any:
        """The result of a fit: an instance of ``self.Result`` (``af.Result`` by default).

        Parameters
        ----------
        samples_summary
            The fit's :class:`~autofit.SamplesSummary`.
        paths
            Where the fit was written.
        samples
            The fit's samples.
        search_internal
            The sampler's own object, when available.
        analysis
            The analysis (None by default, to keep results small).
        """
        from autofit.result.result import Result

        result_class = self.Result or Result
        return result_class(
            samples_summary=samples_summary,
            paths=paths,
            samples=samples,
            search_internal=search_internal,
            analysis=analysis,
        )

    def with_model(self, model: Any) -> Analysis:
        """The analysis used for ``model`` (combined analyses pick their part)."""
        return self
