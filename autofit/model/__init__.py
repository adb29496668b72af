"""Models: parameter spaces built from Python classes, and the instances they make."""

from autofit.model.abstract import AbstractModel
from autofit.model.array import Array
from autofit.model.collection import Collection
from autofit.model.instance import ModelInstance
from autofit.model.model import Model
from autofit.model.tuple_prior import TuplePrior

__all__ = ["AbstractModel", "Model", "Collection", "Array", "ModelInstance", "TuplePrior"]
