"""Results of fits and prior passing between chained fits."""

from autofit.result.result import Result

__all__ = ["Result"]
