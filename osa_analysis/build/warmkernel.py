"""Warm kernels for a build: a fork server that has already imported the brief's libraries.

A brief's kernel spends over a second importing pandas, matplotlib, scipy, pandera and this
package before its first line of work, and every brief of a build imports the same modules.
:func:`osa_analysis.build.runner.run_all` therefore starts one **kernel server** per build
(:class:`KernelServer`, ``python -m osa_analysis.build.warmkernel SOCKET``). The server imports
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
import gc
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

from osa_analysis.brief.registry import section_modules

log = logging.getLogger(__name__)

PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "osa_analysis.brief.assemble",  # then every section module of the registry
    "osa_analysis.brief.display",
    "osa_analysis.build.params",
    "osa_analysis.build.runner",
    "contourpy",
    "pyarrow.dataset",
    "pyarrow.parquet",
    "pyogrio",
)
"""Modules the server imports before forking kernels (the brief notebook's imports).

``matplotlib_inline.backend_inline`` must not be among them: it hooks figure display into
the IPython shell that exists when it is *first* imported, so it has to be imported inside
each kernel (the server checks it is not loaded)."""

NOT_PRELOADED = ("matplotlib_inline.backend_inline",)
"""Modules that set themselves up for the running shell at import: never in the server."""

MAY_DIFFER_PREFIXES = ("OSA_", "JPY_")
MAY_DIFFER = frozenset({"SOURCE_DATE_EPOCH", "PYDEVD_DISABLE_FILE_VALIDATION", "PYTHONUNBUFFERED"})
"""Environment variables a kernel may have with other values than the server: the package
reads its ``OSA_*`` settings and matplotlib ``SOURCE_DATE_EPOCH`` when they are used,
jupyter_client sets ``JPY_*`` and ipykernel replaces the standard streams. Any other
difference (hash seed, thread-pool sizes, locale, library configuration read at import)
makes the server refuse, and the kernel starts afresh."""

PROVISIONER_NAME = "osa-warm-kernel"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
_LAUNCHER = "ipykernel_launcher"
_HEADER = 8  # bytes of the request length
_REQUEST_TIMEOUT_S = 60
_EXITED_RC = 0  # the server reaps its kernels, so their exit status is not known here


def startup_env_differences(server_env: Mapping[str, str], env: Mapping[str, str]) -> list[str]:
    """Return the variables whose difference a forked kernel could not honour.

    A forked kernel inherits what the server's interpreter and libraries read when they
    started, so it may only serve a kernel whose environment agrees with the server's on
    every variable but those of :data:`MAY_DIFFER` (and the ``OSA_``/``JPY_`` prefixes).
    """
    names = set(server_env) | set(env)
    return sorted(
        n
        for n in names
        if n not in MAY_DIFFER
        and not n.startswith(MAY_DIFFER_PREFIXES)
        and server_env.get(n) != env.get(n)
    )


def _recv_exactly(conn: socket.socket, n: int, data: bytes = b"") -> bytes:
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the peer closed the connection mid-message")
        data += chunk
    return data


def _send_line(conn: socket.socket, message: dict) -> None:
    conn.sendall(json.dumps(message).encode() + b"\n")


def _recv_line(conn: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return json.loads(data or b"{}")


# ---------------------------------------------------------------------------------------------
# The server process


def serve(
    address: str,
    preload: Sequence[str] | None = None,
    warm: Mapping[str, Any] | None = None,
) -> None:
    """Listen on ``address`` (a Unix socket path) and fork a kernel for each request.

    The socket listens before the (slow) imports, so early requests wait for them instead
    of failing. The server exits, removing its socket, when the process that started it
    has gone (a runner killed without clean-up leaves nothing behind); it watches a pidfd
    of that process where the system has them, so it exits at once.

    ``preload`` names the modules to import before forking; default :data:`PRELOAD` and
    every section module of the brief registry (the brief notebook's imports). A notebook
    with other imports (e.g. the runner tests' synthetic brief) may name its own.

    With ``warm`` (brief parameters of the build: ``country_iso3``, ``as_of``,
    ``lookback_years``, ``peers``, ``mc_draws``), the server also loads the build's tables
    and computes what every brief shares (:func:`warm_up_build`) before forking, so each
    kernel starts with them in memory. A failure there is not fatal: kernels then compute
    everything themselves.

    Forking relies on the preloaded libraries being fork-safe: the server runs no Python
    thread; OpenBLAS and Arrow (jemalloc) keep native threads of their own and reset them
    in the child with their fork handlers.
    """
    parent = os.getppid()
    parent_fd = _pidfd(parent)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(16)
    # As ipykernel_launcher does: the working directory leaves sys.path while modules load
    # (IPython puts it back in each kernel).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    before = dict(os.environ)
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)  # as ipykernel sets it at start-up
    import importlib

    for name in (*PRELOAD, *section_modules()) if preload is None else preload:
        importlib.import_module(name)
    loaded = [name for name in NOT_PRELOADED if name in sys.modules]
    if loaded:
        raise SystemExit(f"warm kernel server: {loaded} must be imported in each kernel")
    if warm:
        warm_up_build(warm)
    # What is loaded now lives as long as the kernels: moved out of the collector's sight
    # (as the gc docs advise before forking), a kernel's collections no longer traverse the
    # libraries and the warmed tables (about 15% of a brief's compute, most of it while
    # figures are drawn), nor write to the pages it shares with the server.
    gc.collect()
    gc.freeze()
    # Variables the imports set (pandera, pyogrio): a fresh kernel has them after its imports.
    added = {k: v for k, v in os.environ.items() if k not in before and k != "MPLBACKEND"}
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped by the system
    watched = [listener] if parent_fd is None else [listener, parent_fd]
    try:
        while os.getppid() == parent:
            ready, _, _ = select.select(watched, [], [], 1.0)
            if parent_fd is not None and parent_fd in ready:
                break  # the process that started the server has exited
            if listener not in ready:
                continue
            conn, _ = listener.accept()
            conn.settimeout(_REQUEST_TIMEOUT_S)  # a client that stalls is dropped
            with conn:
                try:
                    _serve_one(conn, listener, parent_fd, before, added)
                except Exception as exc:  # one bad request never stops the server
                    with contextlib.suppress(OSError):
                        _send_line(conn, {"error": f"{type(exc).__name__}: {exc}"})
    finally:
        with contextlib.suppress(OSError):
            os.unlink(address)
            os.rmdir(os.path.dirname(address))  # the folder KernelServer made, if empty


def warm_up_build(warm: Mapping[str, Any]) -> None:
    """Load the build's tables and shared results, and draw one figure, in this process.

    Parameters
    ----------
    warm : Mapping
        Brief parameters of the build (see :func:`serve`).
    """
    from osa_analysis.brief.assemble import warm_up  # imported above, among the preloads
    from osa_analysis.brief.context import BriefContext
    from osa_analysis.brief.style import figure, png_bytes

    try:
        warm_up(
            BriefContext(
                warm["country_iso3"],
                warm["as_of"],
                lookback_years=int(warm["lookback_years"]),
                peers=tuple(warm["peers"]),
                mc_draws=int(warm["mc_draws"]),
            )
        )
        fig, ax = figure(width=2, height=1)  # font and renderer caches of the kernels
        ax.plot([0, 1], [0, 1])
        ax.set_title("warm-up")
        png_bytes(fig)
    except Exception as exc:  # never fatal: the kernels compute what is missing
        print(f"warm kernel server: warm-up failed: {type(exc).__name__}: {exc}", file=sys.stderr)


def _pidfd(pid: int) -> int | None:
    """Return a pidfd of ``pid`` (readable once it has exited), or ``None`` without pidfds.

    ``pid`` must be this process's parent: it is checked to still be after the pidfd is
    open, so the pidfd cannot refer to another process that reused the number.
    """
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None
    if os.getppid() != pid:  # the parent exited meanwhile; the serve loop sees it
        os.close(fd)
        return None
    return fd


def _serve_one(
    conn: socket.socket,
    listener: socket.socket,
    parent_fd: int | None,
    server_env: dict,
    added: dict,
) -> None:
    header, fds, _, _ = socket.recv_fds(conn, _HEADER, 4)
    try:
        header = _recv_exactly(conn, _HEADER, header)
        request = json.loads(_recv_exactly(conn, int(header)))
        if len(fds) != 4:
            raise ValueError(f"expected 4 file descriptors, got {len(fds)}")
        refused = _refusal(request, server_env)
        if refused:
            _send_line(conn, {"error": refused})
            return
        sys.stdout.flush()
        sys.stderr.flush()
        if os.fork() == 0:  # the kernel
            try:
                listener.close()
                if parent_fd is not None:
                    os.close(parent_fd)
                _become_kernel(request, fds, conn, added)
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                os._exit(1)
    finally:
        for fd in fds:
            os.close(fd)


def _refusal(request: dict, server_env: dict) -> str | None:
    argv = request.get("argv") or []
    if len(argv) < 3 or argv[1:3] != ["-m", _LAUNCHER]:
        return f"not an ipykernel command: {argv[:3]}"
    if os.path.abspath(argv[0]) != os.path.abspath(sys.executable):
        return f"another interpreter: {argv[0]}"
    if threading.active_count() != 1:
        return "the server has started threads; forking is not safe"
    differences = startup_env_differences(server_env, request["env"])
    if differences:
        return f"start-up environment differs: {', '.join(differences)}"
    return None


def _become_kernel(request: dict, fds: Sequence[int], conn: socket.socket, added: dict) -> None:
    """In the forked process: take the brief's session, streams, environment; run ipykernel.

    The process id goes back to the client only once the set-up has worked, and the kernel
    starts only after the client confirms it still wants it (a client that gave up meanwhile
    has started a fresh kernel instead).
    """
    os.setsid()
    stdin, stdout, stderr, requester = fds
    for target, fd in ((0, stdin), (1, stdout), (2, stderr)):
        os.dup2(fd, target)
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)  # the server ignores it; Python does not
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(request["env"])
    for name, value in added.items():
        os.environ.setdefault(name, value)
    # As jupyter_client tells a fresh kernel: its parent is the process that asked for it.
    os.environ["JPY_PARENT_PID"] = str(request["requester_pid"])
    os.chdir(request["cwd"])
    if "numpy.random" in sys.modules:  # a fresh kernel seeds numpy's global generator anew
        sys.modules["numpy.random"].seed()
    _send_line(conn, {"pid": os.getpid()})
    if conn.recv(2) != b"go":
        os._exit(0)
    conn.close()
    _exit_with(requester)
    parent = f"--IPKernelApp.parent_handle={request['requester_pid']}"
    sys.argv = [_launcher_path(), *request["argv"][3:], parent]
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
    os._exit(0)


def _launcher_path() -> str:
    import importlib.util

    spec = importlib.util.find_spec(_LAUNCHER)
    return spec.origin if spec and spec.origin else _LAUNCHER


def _exit_with(requester: int) -> None:
    """Exit this process as soon as the requester (the papermill child) has exited.

    ``requester`` is a pidfd of that process (readable once it has exited), so a reused
    process id can never keep the kernel alive.
    """

    def watch() -> None:
        select.select([requester], [], [])
        os._exit(0)

    threading.Thread(target=watch, name="osa-requester-watch", daemon=True).start()


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
    warm : Mapping, optional
        Brief parameters of the build, to load its tables and shared results before
        forking (:func:`serve`).
    preload : sequence of str, optional
        The modules to import before forking; default those of the brief notebook
        (:func:`serve`).
    """

    def __init__(
        self,
        env: Mapping[str, str],
        cwd: Path,
        warm: Mapping[str, Any] | None = None,
        preload: Sequence[str] | None = None,
    ) -> None:
        self._dir = tempfile.mkdtemp(prefix="osa-kernels-")
        self.address = str(Path(self._dir) / "server")
        command = [sys.executable, "-m", "osa_analysis.build.warmkernel", self.address]
        if warm or preload is not None:
            command.append(json.dumps(dict(warm) if warm else None, sort_keys=True, default=str))
        if preload is not None:
            command.append(json.dumps(list(preload)))
        try:
            self._proc = subprocess.Popen(
                command,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        except BaseException:
            import shutil

            shutil.rmtree(self._dir, ignore_errors=True)
            raise

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
        """Send ``signum`` to the kernel if it is still running (never to a reused pid)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                if self._handle is not None:
                    signal.pidfd_send_signal(self._handle, signum)
                else:
                    os.kill(self.pid, signum)

    def kill(self) -> None:
        """Send SIGKILL."""
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        """Send SIGTERM."""
        self.send_signal(signal.SIGTERM)


def request_kernel(
    address: str,
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: str,
    timeout: float = _REQUEST_TIMEOUT_S,
) -> ForkedKernel:
    """Ask the server at ``address`` for a kernel running ``argv``; return its handle.

    The kernel gets this process's standard output and error, no standard input, ``env``
    and ``cwd``, and exits when this process exits (it watches a pidfd of this process).

    Raises
    ------
    OSError
        When the server cannot be reached (or this system has no pidfds).
    RuntimeError
        When the server refuses (naming why) or the kernel could not be set up.
    """
    request = {
        "argv": list(argv),
        "env": dict(env),
        "cwd": str(cwd),
        "requester_pid": os.getpid(),
    }
    body = json.dumps(request).encode()
    with (
        socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn,
        open(os.devnull, "rb") as devnull,
    ):
        conn.settimeout(timeout)
        conn.connect(address)
        sys.stdout.flush()
        sys.stderr.flush()
        me = os.pidfd_open(os.getpid())
        try:
            fds = [devnull.fileno(), sys.stdout.fileno(), sys.stderr.fileno(), me]
            socket.send_fds(conn, [f"{len(body):0{_HEADER}d}".encode()], fds)
        finally:
            os.close(me)
        conn.sendall(body)
        reply = _recv_line(conn)
        if "pid" not in reply:
            raise RuntimeError(reply.get("error", "the kernel server gave no kernel"))
        kernel = ForkedKernel(int(reply["pid"]))
        conn.sendall(b"go")
    return kernel


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

        async def send_signal(self, signum: int) -> None:
            # A warm kernel is reaped by the server the moment it exits, so its process
            # group id may be reused: signal it only while it runs.
            if isinstance(self.process, ForkedKernel) and self.process.poll() is not None:
                return
            with contextlib.suppress(ProcessLookupError):
                await super().send_signal(signum)

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
        if WarmKernelProvisioner is not None:  # from now on, kernels start afresh
            WarmKernelProvisioner.server_address = None
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


def _main(argv: Sequence[str]) -> None:
    """``python -m osa_analysis.build.warmkernel SOCKET [WARM_JSON [PRELOAD_JSON]]``."""
    warm = json.loads(argv[1]) if len(argv) > 1 else None
    preload = json.loads(argv[2]) if len(argv) > 2 else None
    serve(argv[0], preload=preload, warm=warm)


if __name__ == "__main__":
    _main(sys.argv[1:])
