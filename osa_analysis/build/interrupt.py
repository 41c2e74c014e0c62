"""Stop a build on SIGINT or SIGTERM without publishing anything half-built.

:func:`osa_analysis.build.runner.run_all` holds a :class:`StopSwitch` while its briefs run and
:func:`stop_on_signals` turns the first SIGINT (Ctrl-C) or SIGTERM into a pull of it:

* no brief starts after it (a brief waiting for its execution slot returns at once);
* every running notebook child is ended with its process group (its kernel notices its
  parent is gone and exits), so no process goes on working for a build that has stopped;
* a brief that had finished its notebook is not rendered or published; one already being
  published finishes (a brief is never left half-swapped);
* the build then raises :class:`BuildInterrupted`; the command line rebuilds the index,
  prints one line and exits with ``128 + signal`` (130 for SIGINT, 143 for SIGTERM).

A second signal exits at once (the children are already being ended).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class BuildInterrupted(Exception):
    """A build stopped by a signal; ``results`` holds what each brief came to."""

    def __init__(self, signum: int, results: Sequence[Any]) -> None:
        self.signum = int(signum)
        self.results = list(results)
        self.signal_name = signal.Signals(self.signum).name
        super().__init__(f"build interrupted by {self.signal_name}")

    @property
    def exit_code(self) -> int:
        """``128 + signal``, as a shell reports a process ended by it."""
        return 128 + self.signum


class StopSwitch:
    """Whether a build has been told to stop, and the child processes to end when it is.

    Parameters
    ----------
    kill : callable
        Ends one child process (with its process group); called in a thread of its own.
    """

    def __init__(self, kill: Callable[[subprocess.Popen], None]) -> None:
        self._kill = kill
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._children: set[subprocess.Popen] = set()
        self.signum: int | None = None

    @property
    def stopped(self) -> bool:
        """``True`` once :meth:`pull` was called."""
        return self._event.is_set()

    def pull(self, signum: int) -> None:
        """Stop: remember the signal and end every registered child (once)."""
        with self._lock:
            if self._event.is_set():
                return
            self.signum = int(signum)
            self._event.set()
            children = list(self._children)
        for proc in children:
            threading.Thread(target=self._kill, args=(proc,), daemon=True).start()

    @contextlib.contextmanager
    def watching(self, proc: subprocess.Popen) -> Iterator[None]:
        """Register ``proc`` while the block runs; one started after the stop is ended."""
        with self._lock:
            self._children.add(proc)
            late = self._event.is_set()
        if late:
            self._kill(proc)
        try:
            yield
        finally:
            with self._lock:
                self._children.discard(proc)


def _say(text: str) -> None:
    """Write one line to stderr from a signal handler (no locks, unlike print or rich)."""
    with contextlib.suppress(OSError):
        os.write(2, (text + "\n").encode())


@contextlib.contextmanager
def stop_on_signals(switch: StopSwitch) -> Iterator[StopSwitch]:
    """Pull ``switch`` on the first SIGINT/SIGTERM while the block runs; exit on a second.

    Handlers can only be set in the main thread; elsewhere (a build started from a worker
    thread) the block runs with the signals' usual behaviour. The previous handlers are
    restored at the end.
    """
    if threading.current_thread() is not threading.main_thread():
        yield switch
        return

    def handler(signum: int, _frame: object) -> None:
        name = signal.Signals(signum).name
        if switch.stopped:
            _say(f"osa-briefs: {name} again: exiting now")
            os._exit(128 + signum)
        switch.pull(signum)
        _say(
            f"osa-briefs: {name}: stopping (no new brief starts; running ones end "
            "unpublished; published briefs stay as they were). Press Ctrl-C again to exit now."
        )

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield switch
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
