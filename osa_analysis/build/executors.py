"""Where a build's briefs run: threads of this process, or the workers of a Dask cluster.

:func:`osa_analysis.build.runner.run_all` takes any :class:`concurrent.futures.Executor`;
these are the two the command line offers, and the test of whether warm kernels can be
forked here.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
import sys
from collections.abc import Iterator

from osa_analysis.build.records import RunnerError


def warm_kernels_supported() -> bool:
    """Return whether this system can fork warm kernels (:mod:`osa_analysis.build.warmkernel`)."""
    import signal
    import socket

    if not (
        sys.platform.startswith("linux")
        and hasattr(socket, "send_fds")
        and hasattr(signal, "pidfd_send_signal")
    ):
        return False
    try:  # pidfds need Linux 5.3
        os.close(os.pidfd_open(os.getpid()))
    except OSError:
        return False
    return True


def default_executor(threads: int) -> cf.Executor:
    """Return the default executor: ``threads`` threads of the calling process.

    A brief's notebook always runs in processes of its own (the papermill child and its
    kernel, :func:`run_brief`); the thread only waits for them, then renders and publishes.
    Threads spare each build the start-up of worker processes that would import the same
    libraries again (about 1.3 s of a four-brief build on two cores). :func:`run_all` starts
    one thread per brief and lets ``jobs`` notebooks run at once (``slot``).
    """
    return cf.ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="brief")


@contextlib.contextmanager
def dask_executor(address: str) -> Iterator[cf.Executor]:
    """Yield a :class:`concurrent.futures.Executor` running on an existing Dask cluster.

    The client is closed on exit; the cluster keeps running.

    Parameters
    ----------
    address : str
        The scheduler address, e.g. ``tcp://10.0.0.5:8786``. Workers must see the same
        project folder, notebook and reports folder (a shared file system) and have
        ``osa_analysis`` installed.

    Raises
    ------
    RunnerError
        When ``distributed`` is not installed (``pip install "osa_analysis[dask]"``).
    """
    try:
        from distributed import Client
    except ImportError as exc:
        raise RunnerError(
            "running on a Dask cluster needs dask.distributed, which is not installed: "
            'pip install "osa_analysis[dask]"'
        ) from exc
    client = Client(address)
    try:
        yield client.get_executor()
    finally:
        client.close()
