"""Dask for many jobs: a local cluster started for one run (``executor="dask"``), and the
ImportError naming the extra when Dask is missing.

A user who passes their own ``dask.distributed.Client`` (of a ``LocalCluster``, a
``dask_jobqueue.SLURMCluster``, ...) needs none of this: the client is used as it is.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

__all__ = ["require_distributed", "local_dask_client"]

logger = logging.getLogger("autofit.parallel")


def require_distributed() -> Any:
    """The ``distributed`` module.

    Raises
    ------
    ImportError
        Naming the extra to install, when Dask's distributed scheduler is missing.
    """
    try:
        import distributed
    except ImportError as error:
        raise ImportError(
            'Running jobs on Dask needs dask and distributed: pip install "autofit[dask]" '
            f"({error})"
        ) from error
    return distributed


@contextlib.contextmanager
def local_dask_client(workers: int) -> Iterator[Any]:
    """A Dask client of a ``LocalCluster`` of ``workers`` single-threaded worker processes,
    closed (with its cluster) on leaving.

    Raises
    ------
    ImportError
        Naming the ``[dask]`` extra when Dask is not installed.
    """
    distributed = require_distributed()
    cluster = distributed.LocalCluster(
        n_workers=max(1, int(workers)),
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
    )
    client = distributed.Client(cluster)
    logger.info("Dask LocalCluster of %d workers, dashboard at %s", workers, client.dashboard_link)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
