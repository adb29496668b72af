"""The record of an expectation-propagation run: per factor, per sweep."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["EPHistory", "FactorSummary", "SweepRecord"]

#: Status of a factor that was updated in its last sweep and changed less than ``kl_tol``.
CONVERGED = "converged"
#: Updated in its last sweep, still changing.
UPDATED = "updated"
#: Its last update failed (an earlier one succeeded; its previous messages are kept).
FAILED = "failed"
#: Never successfully updated: its messages are still flat.
STALE = "stale"


@dataclass
class FactorSummary:
    """How one factor fared in an expectation-propagation run.

    Attributes
    ----------
    name
        The factor's name (``factor_<i>``, the analysis factor's own name, or
        ``<hierarchical name>[<i>]`` for the term of the i-th drawn variable).
    updates
        Successful updates.
    failures
        Failed update attempts (a failed attempt is retried once in the same sweep).
    last_kl
        KL divergence between the approximation of the factor's variables before and after
        its last successful update (``inf`` before the first).
    status
        ``"converged"``, ``"updated"``, ``"failed"`` or ``"stale"``.
    last_error
        The message of the last failure, if any.
    """

    name: str
    updates: int = 0
    failures: int = 0
    last_kl: float = math.inf
    status: str = STALE
    last_error: str | None = None

    def dict(self) -> dict[str, Any]:
        """The summary as a JSON-ready dictionary."""
        return {
            "name": self.name,
            "updates": self.updates,
            "failures": self.failures,
            "last_kl": self.last_kl if math.isfinite(self.last_kl) else None,
            "status": self.status,
            "last_error": self.last_error,
        }


@dataclass
class SweepRecord:
    """One sweep: its number, the largest KL change of any factor, and failed factors."""

    sweep: int
    max_kl: float
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


class EPHistory:
    """Convergence settings and the record of an expectation-propagation run.

    The run has converged when, in one whole sweep, every factor was updated and changed the
    approximation of its variables by less than ``kl_tol`` (KL divergence). One factor
    changing little is not enough: all must.

    Parameters
    ----------
    kl_tol
        Largest KL divergence of a factor update in a converged sweep.
    damping
        Fraction of the step from a factor's old message to its new one taken at each update
        (natural parameters; 1 is plain EP). A failed update is retried with half of it.

    Attributes
    ----------
    sweeps
        A :class:`SweepRecord` per completed sweep.
    """

    def __init__(self, kl_tol: float = 0.1, damping: float = 1.0) -> None:
        if not kl_tol > 0.0:
            raise ValueError(f"EPHistory: kl_tol must be positive, got {kl_tol!r}")
        if not 0.0 < damping <= 1.0:
            raise ValueError(f"EPHistory: damping must be in (0, 1], got {damping!r}")
        self.kl_tol = float(kl_tol)
        self.damping = float(damping)
        self.sweeps: list[SweepRecord] = []

    def record(self, record: SweepRecord) -> None:
        """Add a completed sweep."""
        self.sweeps.append(record)

    @property
    def is_converged(self) -> bool:
        """Whether the last sweep updated every factor by less than ``kl_tol``."""
        if not self.sweeps:
            return False
        last = self.sweeps[-1]
        return not last.failed and last.max_kl < self.kl_tol

    @property
    def kl_divergences(self) -> list[float]:
        """The largest factor KL change of each sweep."""
        return [record.max_kl for record in self.sweeps]

    def __repr__(self) -> str:
        return f"EPHistory(kl_tol={self.kl_tol}, damping={self.damping}, sweeps={len(self.sweeps)})"
