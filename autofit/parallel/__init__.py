"""Pools with ``.map``: serial, processes and MPI ranks that receive the function once."""

from autofit.parallel.cached import CachedFunction, CachedFunctionPool, register_functions
from autofit.parallel.mpi import MPIPool, MPIPoolRun
from autofit.parallel.process import FunctionPool
from autofit.parallel.serial import SerialPool, uses_workers

__all__ = [
    "SerialPool",
    "FunctionPool",
    "MPIPool",
    "MPIPoolRun",
    "uses_workers",
    "CachedFunction",
    "CachedFunctionPool",
    "register_functions",
]
