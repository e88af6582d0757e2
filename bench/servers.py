"""The servers a benchmark loads: the register as deployed (gunicorn, with the Dockerfile's
worker count and class), the bare baseline B0 and the login baseline B1, all on 127.0.0.1,
all with the same workers, started and stopped by the benchmark."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def dockerfile_serving(dockerfile: Path = ROOT / "Dockerfile") -> dict:
    """How production serves the app: gunicorn's workers and worker class, read from the
    Dockerfile's CMD (gunicorn's defaults where it names none), so the bench serves it the same."""
    text = dockerfile.read_text()
    command = next(line for line in reversed(text.splitlines()) if line.startswith("CMD"))
    start = text.rindex(command)
    end = text.index("]", start) + 1
    words = json.loads(re.sub(r"\\\n\s*", "", text[start + 3:end]))
    if words[0] != "gunicorn":
        raise RuntimeError("the Dockerfile no longer serves the app with gunicorn")

    def option(long: str, short: str, default: str) -> str:
        for flag in (long, short):
            if flag in words:
                return words[words.index(flag) + 1]
        return default

    return {"server": "gunicorn", "workers": int(option("--workers", "-w", "1")),
            "worker_class": option("--worker-class", "-k", "sync")}


SERVING = dockerfile_serving()
WORKERS = SERVING["workers"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(app: str, *, settings: str, env: dict):
    """Serve `app` (a WSGI path) on a free local port as the Dockerfile serves the register;
    yields the port and the server's process id (its workers are its children)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}",
         "--workers", str(WORKERS), "--worker-class", SERVING["worker_class"],
         "--keep-alive", "30", "--log-level", "warning", "--timeout", "120"],
        cwd=ROOT, env={**os.environ, **env, "DJANGO_SETTINGS_MODULE": settings})
    try:
        _wait_for(port, process)
        yield Server(port, process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class Server:
    def __init__(self, port: int, pid: int):
        self.port, self.pid = port, pid

    def worker_pids(self) -> list[int]:
        """gunicorn's workers: the children of its master process."""
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == self.pid:
                    found.append(int(entry.name))
        return found


def cpu_seconds(pids) -> dict[int, float]:
    """User plus system CPU seconds each process has used so far (from /proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended
        used[pid] = (int(fields[11]) + int(fields[12])) / tick
    return used


def _wait_for(port: int, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not start in {seconds} s")
