"""Analysis: the user's likelihood, and the hooks a fit calls around it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

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
