"""Pools with ``.map``: serial, and processes that receive the function once."""

from autofit.parallel.cached import CachedFunction, CachedFunctionPool, register_functions
from autofit.parallel.process import FunctionPool
from autofit.parallel.serial import SerialPool

__all__ = [
    "SerialPool",
    "FunctionPool",
    "CachedFunction",
    "CachedFunctionPool",
    "register_functions",
]
