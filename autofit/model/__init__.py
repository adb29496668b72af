"""Models: parameter spaces built from Python classes, and the instances they make."""

from autofit.model.abstract import AbstractModel
from autofit.model.array import Array
from autofit.model.collection import Collection
from autofit.model.instance import ModelInstance
from autofit.model.model import Model
from autofit.model.tuple_prior import TuplePrior

#: PyAutoFit's name of the base of every model node (Model, Collection, Array).
AbstractPriorModel = AbstractModel

__all__ = [
    "AbstractModel",
    "AbstractPriorModel",
    "Model",
    "Collection",
    "Array",
    "ModelInstance",
    "TuplePrior",
]
