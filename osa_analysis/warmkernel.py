"""Warm kernels for a build: a fork server that has already imported the brief's libraries.

A brief's kernel spends over a second importing pandas, matplotlib, scipy, pandera and this
package before its first line of work, and every brief of a build imports the same modules.
:func:`osa_analysis.runner.run_all` therefore starts one **kernel server** per build
(:class:`KernelServer`, ``python -m osa_analysis.warmkernel SOCKET``). The server imports
:data:`PRELOAD` once and then, for each brief, forks a new process that becomes that brief's
ipykernel (the same ``ipykernel_launcher`` command jupyter_client would run).

Each kernel is still a fresh process holding no state of any other brief: the server never
runs notebook code; the fork shares only the imported modules (copy-on-write). The forked
kernel starts a session of its own, takes the brief's environment, working directory and
standard streams, and exits when the papermill process that asked for it exits (as a normal
kernel exits when its parent dies), so the runner's whole-run timeout still ends it.

The papermill child asks for a kernel through :class:`WarmKernelProvisioner`, a
jupyter_client kernel provisioner (:func:`use_kernel_server`). Whenever the server cannot
serve a request (not running, a different interpreter set-up, any error), the provisioner
starts the kernel the usual way, so a warm kernel is only ever an optimisation.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "matplotlib_inline.backend_inline",
    "osa_analysis.brief.assemble",
    "osa_analysis.brief.changes",
    "osa_analysis.brief.composite_section",
    "osa_analysis.brief.context",
    "osa_analysis.brief.cover",
    "osa_analysis.brief.display",
    "osa_analysis.brief.diversion_section",
    "osa_analysis.brief.exposure",
    "osa_analysis.brief.governance",
    "osa_analysis.brief.maritime",
    "osa_analysis.brief.peers",
    "osa_analysis.brief.tiles",
    "osa_analysis.incidents",
    "osa_analysis.runner",
    "contourpy",
    "pyarrow.dataset",
    "pyarrow.parquet",
    "pyogrio",
)
"""Modules the server imports before forking kernels (the brief notebook's imports)."""

PROVISIONER_NAME = "osa-warm-kernel"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_LAUNCHER = "ipykernel_launcher"
_MAX_MESSAGE = 1 << 20
_EXITED_RC = 0  # the server reaps its kernels, so their exit status is not known here


def startup_env_differences(server_env: Mapping[str, str], env: Mapping[str, str]) -> list[str]:
    """Return the variables, read at interpreter or library start-up, that differ.

    A forked kernel inherits what the server's interpreter and libraries read when they
    started (hash seed, thread-pool sizes, module search path, ...), so it may only serve a
    kernel whose environment agrees on them: every ``PYTHON*`` variable and the
    thread-pool sizes of :data:`osa_analysis.runner.THREAD_ENV_VARS`.
    """
    from osa_analysis.runner import THREAD_ENV_VARS

    names = {n for n in (*server_env, *env) if n.startswith("PYTHON")} | set(THREAD_ENV_VARS)
    names.discard("PYTHONUNBUFFERED")  # stdio buffering: ipykernel replaces the streams
    return sorted(n for n in names if server_env.get(n) != env.get(n))


# ---------------------------------------------------------------------------------------------
# The server process


def serve(address: str, preload: Sequence[str] = PRELOAD) -> None:
    """Listen on ``address`` (a Unix socket path) and fork a kernel for each request.

    The socket listens before the (slow) imports, so early requests wait for them instead
    of failing. Runs until killed.
    """
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as ipykernel sets it at start-up
    import importlib

    for name in preload:
        importlib.import_module(name)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    server_env = dict(os.environ)
    while True:
        conn, _ = listener.accept()
        conn.settimeout(30)  # a client that never finishes its request is dropped
        with conn:
            try:
                _serve_one(conn, listener, server_env)
            except Exception as exc:  # one bad request never stops the server
                with contextlib.suppress(OSError):
                    conn.sendall(json.dumps({"error": f"{type(exc).__name__}: {exc}"}).encode())


def _serve_one(conn: socket.socket, listener: socket.socket, server_env: dict) -> None:
    message, fds, _, _ = socket.recv_fds(conn, _MAX_MESSAGE, 3)
    try:
        while chunk := conn.recv(_MAX_MESSAGE):  # the client shuts its side after sending
            message += chunk
        request = json.loads(message)
        refused = _refusal(request, server_env)
        if refused:
            conn.sendall(json.dumps({"error": refused}).encode())
            return
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the kernel
            try:
                listener.close()
                conn.close()
                _become_kernel(request, fds)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(1)
        conn.sendall(json.dumps({"pid": pid}).encode())
    finally:
        for fd in fds:
            os.close(fd)


def _refusal(request: dict, server_env: dict) -> str | None:
    argv = request.get("argv") or []
    if len(argv) < 3 or argv[1:3] != ["-m", _LAUNCHER]:
        return f"not an ipykernel command: {argv[:3]}"
    if os.path.realpath(argv[0]) != os.path.realpath(sys.executable):
        return f"another interpreter: {argv[0]}"
    if threading.active_count() != 1:
        return "the server has started threads; forking is not safe"
    differences = startup_env_differences(server_env, request["env"])
    if differences:
        return f"start-up environment differs: {', '.join(differences)}"
    return None


def _become_kernel(request: dict, fds: Sequence[int]) -> None:
    """In the forked process: take the brief's session, streams, environment; run ipykernel."""
    os.setsid()
    for target, fd in zip((0, 1, 2), fds, strict=True):
        os.dup2(fd, target)
    for fd in fds:
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server ignores it; Python does not
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(request["env"])
    # ipykernel watches the process named here and exits when it is gone (as it watches the
    # process that launched it); the papermill process is watched by _exit_with.
    os.environ["JPY_PARENT_PID"] = str(os.getppid())
    os.chdir(request["cwd"])
    _exit_with(request["watch_pid"])
    sys.argv = [_LAUNCHER, *request["argv"][3:]]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    os._exit(0)


def _exit_with(pid: int) -> None:
    """Exit this process as soon as process ``pid`` (the papermill child) has exited."""

    def watch() -> None:
        try:
            handle = os.pidfd_open(pid)
        except (AttributeError, OSError):
            handle = None
        while True:
            if handle is not None:
                ready, _, _ = select.select([handle], [], [], 1.0)
                if ready:
                    os._exit(0)
            else:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    os._exit(0)
                time.sleep(0.5)

    threading.Thread(target=watch, name="osa-parent-watch", daemon=True).start()


# ---------------------------------------------------------------------------------------------
# The build side: start and stop the server


class KernelServer:
    """A running kernel server of one build (context manager).

    Parameters
    ----------
    env : Mapping
        Its environment: the one the brief kernels will have at start-up (the runner's
        ``_child_env`` of any brief of the build).
    cwd : Path
        Its working directory (the project root, as for the briefs).
    """

    def __init__(self, env: Mapping[str, str], cwd: Path) -> None:
        self._dir = tempfile.mkdtemp(prefix="osa-kernels-")
        self.address = str(Path(self._dir) / "server")
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "osa_analysis.warmkernel", self.address],
            cwd=cwd,
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )

    @property
    def pid(self) -> int:
        """The server's process id (the parent of the kernels it forks)."""
        return self._proc.pid

    def __enter__(self) -> KernelServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the server (its kernels end with their briefs) and remove its socket."""
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        import shutil

        shutil.rmtree(self._dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The papermill child: ask the server for a kernel


class ForkedKernel:
    """The handle of a kernel forked by the server (the part of ``Popen`` the provisioner uses).

    The kernel is not a child of this process: liveness comes from a pidfd where the system
    has them (else signal 0), and its exit status is not known (reported as 0).
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        try:
            self._handle: int | None = os.pidfd_open(pid)
        except (AttributeError, OSError):
            self._handle = None

    def poll(self) -> int | None:
        """Return 0 once the kernel has exited, else ``None``."""
        if self.returncode is None:
            if self._handle is not None:
                ready, _, _ = select.select([self._handle], [], [], 0)
                gone = bool(ready)
            else:
                try:
                    os.kill(self.pid, 0)
                    gone = False
                except ProcessLookupError:
                    gone = True
            if gone:
                self.returncode = _EXITED_RC
                if self._handle is not None:
                    os.close(self._handle)
                    self._handle = None
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Wait for the kernel to exit (``subprocess.TimeoutExpired`` after ``timeout``)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        """Send ``signum`` to the kernel if it is still running."""
        if self.poll() is None:
            os.kill(self.pid, signum)

    def kill(self) -> None:
        """Send SIGKILL."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Send SIGTERM."""
        self.send_signal(signal.SIGTERM)


def request_kernel(
    address: str, argv: Sequence[str], env: Mapping[str, str], cwd: str, timeout: float = 60
) -> ForkedKernel:
    """Ask the server at ``address`` for a kernel running ``argv``; return its handle.

    The kernel gets this process's standard output and error, no standard input, ``env``
    and ``cwd``, and exits when this process exits.

    Raises
    ------
    OSError
        When the server cannot be reached.
    RuntimeError
        When the server refuses (naming why).
    """
    request = {
        "argv": list(argv),
        "env": dict(env),
        "cwd": str(cwd),
        "watch_pid": os.getpid(),
    }
    with (
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn,
        open(os.devnull, "rb") as devnull,
    ):
        conn.settimeout(timeout)
        conn.connect(address)
        sys.stdout.flush()
        sys.stderr.flush()
        fds = [devnull.fileno(), sys.stdout.fileno(), sys.stderr.fileno()]
        socket.send_fds(conn, [json.dumps(request).encode()], fds)
        conn.shutdown(socket.SHUT_WR)
        reply = b""
        while chunk := conn.recv(_MAX_MESSAGE):
            reply += chunk
        reply = json.loads(reply or b"{}")
    if "pid" not in reply:
        raise RuntimeError(reply.get("error", "no reply from the kernel server"))
    return ForkedKernel(int(reply["pid"]))


def _warm_provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class WarmKernelProvisioner(LocalProvisioner):
        """Launch the kernel from the build's kernel server; fall back to a normal launch."""

        server_address: str | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            global LAST_LAUNCH
            address = type(self).server_address
            if address:
                try:
                    env = kwargs.get("env") or dict(os.environ)
                    cwd = kwargs.get("cwd") or os.getcwd()
                    self.process = request_kernel(address, cmd, env, str(cwd))
                except (OSError, RuntimeError, ValueError) as exc:
                    log.warning("no warm kernel (%s); starting the kernel afresh", exc)
                    LAST_LAUNCH = f"fresh ({type(exc).__name__}: {exc})"
                else:
                    self.pid = self.pgid = self.process.pid
                    self.cwd = cwd
                    LAST_LAUNCH = "warm"
                    return self.connection_info
            else:
                LAST_LAUNCH = "fresh"
            return await super().launch_kernel(cmd, **kwargs)

    return WarmKernelProvisioner


WarmKernelProvisioner = None  # set by use_kernel_server (jupyter_client imported lazily)
LAST_LAUNCH: str | None = None
"""How this process's last kernel started: ``"warm"`` (forked by the server) or ``"fresh"``
(with the reason when the server could not serve it); ``None`` before any."""


def use_kernel_server(address: str | None) -> None:
    """Make kernels of this process come from the kernel server at ``address``.

    Registers :class:`WarmKernelProvisioner` with jupyter_client's provisioner factory and
    makes it the default provisioner (kernel specs that name a provisioner keep theirs).
    ``None`` leaves kernel launching alone.
    """
    global WarmKernelProvisioner
    if not address:
        return
    from importlib.metadata import EntryPoint

    from jupyter_client.provisioning.factory import KernelProvisionerFactory

    if WarmKernelProvisioner is None:
        WarmKernelProvisioner = _warm_provisioner_class()
    WarmKernelProvisioner.server_address = address
    factory = KernelProvisionerFactory.instance()
    factory.provisioners[PROVISIONER_NAME] = EntryPoint(
        PROVISIONER_NAME,
        f"{__name__}:WarmKernelProvisioner",
        KernelProvisionerFactory.GROUP_NAME,
    )
    factory.default_provisioner_name = PROVISIONER_NAME


if __name__ == "__main__":
    serve(sys.argv[1])
