"""An emcee backend persisted to an ``.npz`` file (no pickle), written atomically."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from autofit.output.atomic import atomic_save_npz
from autofit.searches.context import CheckpointError

__all__ = ["NpzBackend"]


def _backend_class() -> type:
    from emcee.backends import Backend

    class NpzBackend(Backend):
        """emcee's in-memory backend that can save itself to, and load from, an ``.npz`` file.

        The chain, log probabilities, acceptance counts, iteration and the random state are
        saved, so a resumed sampler continues the same chain with the same random numbers.
        """

        def save(self, path: Path, extra: dict[str, np.ndarray] | None = None) -> None:
            """Write the backend to ``path`` atomically."""
            kind, keys, position, has_gauss, cached = self.random_state
            iteration = self.iteration
            atomic_save_npz(
                path,
                chain=self.chain[:iteration],
                log_prob=self.log_prob[:iteration],
                accepted=self.accepted,
                iteration=np.array(iteration),
                shape=np.array([self.nwalkers, self.ndim]),
                random_kind=np.array(kind),
                random_keys=np.asarray(keys),
                random_numbers=np.array([position, has_gauss, cached], dtype=float),
                **(extra or {}),
            )

        @classmethod
        def load(cls, path: Path, nwalkers: int, ndim: int) -> tuple[Any, dict[str, np.ndarray]]:
            """Read a backend saved by :meth:`save`.

            Raises
            ------
            CheckpointError
                If the file is unreadable or was written for another ensemble shape.
            """
            try:
                with open(path, "rb") as file, np.load(file, allow_pickle=False) as data:
                    arrays = {name: data[name] for name in data.files}
                shape = tuple(int(value) for value in arrays["shape"])
                iteration = int(arrays["iteration"])
                chain, log_prob = arrays["chain"], arrays["log_prob"]
            except Exception as error:  # noqa: BLE001 - any unreadable file is a bad checkpoint
                raise CheckpointError(f"{path.name}: {error}") from error
            if shape != (nwalkers, ndim) or chain.shape != (iteration, nwalkers, ndim):
                raise CheckpointError(
                    f"{path.name} holds a chain of shape {chain.shape} for {shape}, "
                    f"expected {nwalkers} walkers and {ndim} parameters"
                )
            backend = cls()
            backend.reset(nwalkers, ndim)
            backend.chain = chain.astype(float)
            backend.log_prob = log_prob.astype(float)
            backend.accepted = arrays["accepted"].astype(float)
            backend.iteration = iteration
            position, has_gauss, cached = arrays["random_numbers"]
            backend.random_state = (
                str(arrays["random_kind"]),
                arrays["random_keys"].astype(np.uint32),
                int(position),
                int(has_gauss),
                float(cached),
            )
            return backend, arrays

    return NpzBackend


_CLASS: list[type] = []


def NpzBackend() -> Any:  # noqa: N802 - a factory that behaves like the class
    """A new :class:`NpzBackend` (the class is built when emcee is first needed)."""
    return npz_backend_class()()


def npz_backend_class() -> type:
    """The NpzBackend class (imports emcee)."""
    if not _CLASS:
        _CLASS.append(_backend_class())
    return _CLASS[0]
