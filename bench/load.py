"""A bounded local load: a few keep-alive clients send a fixed number of requests to a server
on 127.0.0.1 and time each one. Nothing here talks to any other address."""

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

HOST = "127.0.0.1"


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank); 0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict
    body: bytes | None = None


@dataclass
class LoadResult:
    requests: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        return percentile(self.latencies_ms, share)

    def summary(self) -> dict:
        return {"requests": self.requests, "rps": round(self.rps, 1),
                "p50_ms": round(self.percentile(0.50), 2),
                "p95_ms": round(self.percentile(0.95), 2),
                "mean_ms": round(statistics.fmean(self.latencies_ms), 2),
                "statuses": {str(k): v for k, v in sorted(self.statuses.items())}}


def run_load(port: int, make_request: Callable[[int], Request], *, requests: int,
             concurrency: int = 2, warmup: int = 10, timeout: float = 60.0) -> LoadResult:
    """Send `requests` requests (after `warmup` untimed ones) from `concurrency` clients."""
    if not 0 < requests <= 100_000 or not 0 < concurrency <= 16:
        raise ValueError("a benchmark load is bounded: at most 100,000 requests, 16 clients")
    for n in range(warmup):
        _send(_connection(port, timeout), make_request(-1 - n))
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(requests))

    def client():
        conn = _connection(port, timeout)
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                break
            request = make_request(n)
            started = time.perf_counter()
            status = _send(conn, request)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return LoadResult(requests, time.perf_counter() - started, latencies, statuses)


def _connection(port: int, timeout: float) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(HOST, port, timeout=timeout)


def _send(conn: http.client.HTTPConnection, request: Request) -> int:
    conn.request(request.method, request.path, body=request.body, headers=request.headers)
    response = conn.getresponse()
    response.read()
    return response.status
