"""A loopback HTTP server for release tests: serves bytes by path on 127.0.0.1.

``routes`` maps a path (``/wgi.csv``) to bytes, to an int status (``404``), or to
``("slow", seconds, bytes)`` (the answer comes after ``seconds``: a timeout test). Every
request's path is recorded in ``requests``.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ReleaseServer:
    """Serve ``routes`` on an ephemeral port of 127.0.0.1 until :meth:`close`."""

    def __init__(self) -> None:
        self.routes: dict[str, object] = {}
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                route = server.routes.get(self.path, 404)
                if isinstance(route, tuple) and route[0] == "slow":
                    time.sleep(route[1])
                    route = route[2]
                if isinstance(route, int):
                    self.send_response(route)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(route)))
                self.end_headers()
                try:
                    self.wfile.write(route)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

            def log_message(self, *args) -> None:  # quiet
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        # a short poll: close() waits up to one interval for the serving loop to stop
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()

    def url(self, path: str) -> str:
        """Return the full URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()
