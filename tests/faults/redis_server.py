"""A Redis of the test's own, on its own port, that the test may stop and start again.

The shared Redis on 6379 is never stopped: other tests (and other people) use it."""

import shutil
import socket
import subprocess
import time
from contextlib import contextmanager

import pytest
import redis
from celery import current_app
from kombu import pools

PORTS = range(6390, 6400)
needs_redis_server = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="a Redis of the test's own, to stop and start, needs the redis-server program")


class RedisServer:
    def __init__(self, port: int):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None
        self._hold: socket.socket | None = None

    def start(self) -> bool:
        """Start on this port; False when the port is taken (by another test's Redis)."""
        if self._hold:
            self._hold.close()
            self._hold = None
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if self._answers():
                return True
            time.sleep(0.05)
        self.stop()
        return False

    def stop(self, *, hold_port: bool = False) -> None:
        """Stop Redis. With `hold_port`, keep the port bound (not listening) until the next
        start: clients are refused, and no other test's Redis can take the port meanwhile."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        if hold_port and not self._hold:
            self._hold = _bind(self.port)
        elif not hold_port and self._hold:
            self._hold.close()
            self._hold = None

    def _answers(self) -> bool:
        """Ours answers (not another test's Redis that won the port a moment earlier)."""
        # Closed here, by the client: a connection the server closes when it stops would
        # leave the port in TIME_WAIT, and the port could not be held (see stop).
        client = redis.Redis(port=self.port, socket_timeout=0.5, socket_connect_timeout=0.5)
        try:
            return client.info("server")["process_id"] == self.process.pid
        except redis.RedisError:
            return False
        finally:
            client.close()


def _bind(port: int) -> socket.socket:
    """The port, bound without SO_REUSEADDR (so Redis, which sets it, cannot bind it too) and
    not listening (so a client is refused at once, as when nothing runs there)."""
    deadline = time.monotonic() + 5
    while True:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
            return sock
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@contextmanager
def private_redis():
    """A running Redis on a free port in 6390-6399, stopped at the end whatever happened."""
    for port in PORTS:
        server = RedisServer(port)
        if _free(port) and server.start():
            break
    else:
        raise RuntimeError("no free port for a test's own Redis in 6390-6399")
    try:
        yield server
    finally:
        server.stop()


def _reset_connections(app) -> None:
    """Close this process's broker connections; the next publish opens new ones."""
    pools.reset()  # kombu's registry would otherwise hand back a closed pool for the same URL
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str):
    """This process's Celery app publishes to `url` for the duration (then as before)."""
    app = current_app._get_current_object()
    saved = app.conf.broker_url
    _reset_connections(app)
    app.conf.broker_url = url
    try:
        yield app
    finally:
        _reset_connections(app)
        app.conf.broker_url = saved
