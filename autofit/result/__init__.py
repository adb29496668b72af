"""Results of fits and prior passing between chained fits."""

from autofit.result.result import Result
from autofit.result.stored import StoredResult

__all__ = ["Result", "StoredResult"]
