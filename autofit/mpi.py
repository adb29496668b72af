"""Run a script on the ranks of an MPI job, rank 0 running it and the others serving
:class:`af.MPIPool <autofit.parallel.mpi.MPIPool>` as likelihood workers::

    mpiexec -n 4 python -m autofit.mpi script.py [arguments of the script]

the same as ``mpiexec -n 4 python -m mpi4py.futures script.py``, with an error naming the extra
to install when mpi4py is missing.
"""

from __future__ import annotations

import logging
import sys

__all__ = ["main"]

logger = logging.getLogger("autofit.mpi")


def main() -> None:
    """Run the script named on the command line (``sys.argv[1:]``) under ``mpi4py.futures``.

    Raises
    ------
    ImportError
        If mpi4py is not installed (``pip install "autofit[mpi]"``).
    """
    from autofit.parallel.mpi import require_mpi4py

    mpi = require_mpi4py()
    if mpi.COMM_WORLD.Get_size() == 1 and len(sys.argv) > 1:
        logger.warning(
            "python -m autofit.mpi runs with one MPI process, so likelihoods run in this "
            "process; start it as mpiexec -n N python -m autofit.mpi %s for N - 1 workers",
            sys.argv[1],
        )
    from mpi4py.futures.__main__ import main as run

    run()


if __name__ == "__main__":
    main()
