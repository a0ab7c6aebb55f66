"""Drives a whole class through JupyterHub's REST API, for bench/classroom and Tests/protocol/test_classroom.py.

`Classroom` starts JupyterHub with classroom/jupyterhub_config.py on loopback (free ports, its own
state and homes folders, DummyAuthenticator, the shared-account spawner), creates students, gets a
token for each from the hub, starts their servers, and runs a notebook in each student's own
kernel through that student's server: a session from the server's REST API, then the cells over
the server's kernel websocket (the path JupyterLab takes), the outputs saved back through the
contents API. A sampler sums the resident memory of the hub and everything under it (proxy,
servers, kernels). Leaving the `with` block stops the servers and the hub and checks that no
process it ever saw is still alive.
"""
from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import requests

from student_client import StudentClient

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "jupyterhub_config.py"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MemorySampler(threading.Thread):
    """Samples the summed RSS of a process and all its descendants every `interval` seconds."""

    def __init__(self, root_pid: int, interval: float = 0.25):
        super().__init__(daemon=True)
        self.root_pid, self.interval = root_pid, interval
        self.peak_bytes = 0
        self.peak_by_role: dict[str, tuple[int, int]] = {}  # role -> (processes, bytes) at the peak
        self.peak_kernel_bytes = 0  # the largest single kernel seen
        self.seen: dict[int, float] = {}  # pid -> create_time, for the orphan check
        self._stop_event = threading.Event()

    @staticmethod
    def role(process: psutil.Process, root_pid: int) -> str:
        """hub, proxy, server or kernel: what a process in the hub's tree is, by its command line."""
        if process.pid == root_pid:
            return "hub"
        command = process.cmdline()
        joined = " ".join(command)
        if "configurable-http-proxy" in joined:
            return "proxy"
        if "jupyterhub-singleuser" in joined:
            return "server"
        if command[1:2] == ["kernel"]:
            return "kernel"
        return "other"

    def sample(self) -> int:
        try:
            root = psutil.Process(self.root_pid)
            tree = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            return 0
        total, by_role = 0, {}
        for process in tree:
            try:
                rss = process.memory_info().rss
                self.seen.setdefault(process.pid, process.create_time())
                role = self.role(process, self.root_pid)
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            total += rss
            count, size = by_role.get(role, (0, 0))
            by_role[role] = (count + 1, size + rss)
            if role == "kernel":
                self.peak_kernel_bytes = max(self.peak_kernel_bytes, rss)
        if total > self.peak_bytes:
            self.peak_bytes, self.peak_by_role = total, by_role
        return total

    def run(self):
        while not self._stop_event.is_set():
            self.sample()
            self._stop_event.wait(self.interval)

    def stop(self):
        self._stop_event.set()
        self.join(timeout=5)


class Classroom:
    """A JupyterHub on loopback for a test or benchmark; use as a context manager."""

    def __init__(self, workdir: Path, notebooks: Path, kernel_name: str = "convlens", assets: str | None = None,
                 spawner: str = "shared"):
        """`spawner` is the configuration's CONVLENS_CLASS_SPAWNER: "shared" (homes under workdir/homes) or
        "system" (the students' Unix accounts and their homes, which the caller creates)."""
        self.workdir, self.notebooks, self.kernel_name = Path(workdir), Path(notebooks), kernel_name
        self.spawner = spawner
        self.assets = assets
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(24)
        self.tokens: dict[str, str] = {}
        self.hub: subprocess.Popen | None = None
        self.sampler: MemorySampler | None = None
        self.log_path = self.workdir / "jupyterhub.log"
        self.orphans: list[str] = []

    # ---- the hub's lifetime
    def __enter__(self):
        (self.workdir / "state").mkdir(parents=True, exist_ok=True)
        (self.workdir / "homes").mkdir(parents=True, exist_ok=True)
        environment = {
            **os.environ,
            "CONVLENS_HUB_URL": self.url,
            "CONVLENS_HUB_INTERNAL_PORT": str(free_port()),
            "CONVLENS_HUB_PROXY_API_PORT": str(free_port()),
            "CONVLENS_HUB_STATE": str(self.workdir / "state"),
            "CONVLENS_CLASS_SPAWNER": self.spawner,
            "CONVLENS_CLASS_HOMES": str(self.workdir / "homes"),
            "CONVLENS_CLASS_NOTEBOOKS": str(self.notebooks),
            "CONVLENS_CLASS_AUTH": "dummy",
            "CONVLENS_CLASS_ADMIN_TOKEN": self.admin_token,
        }
        if self.assets:
            environment["CONVLENS_ASSETS"] = self.assets
        self._log_file = open(self.log_path, "w")
        command = [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)]
        self.hub = subprocess.Popen(command, cwd=self.workdir / "state", env=environment,
                                    stdout=self._log_file, stderr=subprocess.STDOUT, start_new_session=True)
        self.sampler = MemorySampler(self.hub.pid)
        self.sampler.start()
        try:
            self._wait_for_hub()
        except BaseException:
            self.close()
            raise
        return self

    def _wait_for_hub(self) -> None:
        deadline = time.monotonic() + 90
        while True:
            if self.hub.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {self.hub.returncode}:\n{self.hub_log()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"JupyterHub did not answer within 90 s:\n{self.hub_log()}")
            time.sleep(0.3)

    def hub_log(self) -> str:
        try:
            return self.log_path.read_text()[-4000:]
        except OSError:
            return ""

    def __exit__(self, *exc):
        self.close()

    def close(self) -> list[str]:
        """Stops every server, then the hub; returns the processes that outlived it (killed then)."""
        if self.hub is None:
            return []
        for name in list(self.tokens):
            try:
                self.api("DELETE", f"/users/{name}/server", expect=(202, 204, 400, 404))
            except Exception:
                pass
        if self.sampler:
            self.sampler.sample()  # record any process started since the last sample
        if self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)
            try:
                self.hub.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.hub.kill()
                self.hub.wait()
        if self.sampler:
            self.sampler.stop()
        self._log_file.close()
        survivors = []
        deadline = time.monotonic() + 10
        for pid, created in (self.sampler.seen.items() if self.sampler else []):
            while True:
                try:
                    process = psutil.Process(pid)
                    alive = process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE
                except psutil.NoSuchProcess:
                    alive = False
                if not alive:
                    break
                if time.monotonic() > deadline:
                    survivors.append(f"{pid} {' '.join(process.cmdline())[:200]}")
                    process.kill()
                    break
                time.sleep(0.2)
        self.hub = None
        self.orphans = survivors
        return survivors

    # ---- REST
    def api(self, method: str, path: str, body=None, expect=(200, 201, 202, 204), token: str | None = None):
        response = requests.request(method, f"{self.url}/hub/api{path}", json=body, timeout=60,
                                    headers={"Authorization": f"token {token or self.admin_token}"})
        if response.status_code not in expect:
            raise RuntimeError(f"{method} /hub/api{path} -> {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def add_students(self, names: list[str]) -> None:
        """Creates the users and asks the hub for one API token each (the students' own credentials)."""
        self.api("POST", "/users", {"usernames": names}, expect=(201, 409))
        for name in names:
            reply = self.api("POST", f"/users/{name}/tokens", {"note": "classroom driver", "expires_in": 7200})
            self.tokens[name] = reply["token"]

    def start_server(self, name: str, timeout: float = 120) -> None:
        """Starts `name`'s single-user server and waits until the hub says it is ready."""
        self.api("POST", f"/users/{name}/server", expect=(201, 202, 400))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = (self.api("GET", f"/users/{name}").get("servers") or {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{name}'s server was not ready within {timeout} s:\n{self.hub_log()}")

    def student(self, name: str, token: str | None = None) -> "StudentClient":
        """A client of `name`'s server, authenticated as the owner of `token` (by default the student)."""
        return StudentClient(self.url, name, token or self.tokens[name])


def in_parallel(function, names: list[str]) -> dict[str, object]:
    """Calls function(name) for every name at once (one thread each, released together).

    Returns name -> result, or name -> the exception it raised, so one student's failure is
    reported with the others' results instead of hiding them.
    """
    barrier = threading.Barrier(len(names))
    results: dict[str, object] = {}

    def worker(name):
        barrier.wait()
        try:
            results[name] = function(name)
        except Exception as error:  # reported to the caller per student
            results[name] = error

    threads = [threading.Thread(target=worker, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
