"""Grid searches of searches: one fit per cell of a grid over some of a model's priors."""

from autofit.grid.cells import GridCell, GridGeometry
from autofit.grid.grid_list import GridList
from autofit.grid.result import GridSearchResult
from autofit.grid.search import SearchGridSearch

__all__ = ["SearchGridSearch", "GridSearchResult", "GridList", "GridCell", "GridGeometry"]
