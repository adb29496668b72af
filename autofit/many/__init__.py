"""Many independent fits: ``af.fit_many``."""

from autofit.many.fit_many import fit_many

__all__ = ["fit_many"]
