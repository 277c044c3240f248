"""`make run` refuses clearly when its port is taken or it already runs in this checkout
(before starting any service)."""

import fcntl
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUN = [sys.executable, str(ROOT / "scripts" / "run.py")]


def _run(port: int) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORT": str(port)}
    return subprocess.run(RUN, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def _hold_lock():
    (ROOT / ".local").mkdir(exist_ok=True)
    handle = open(ROOT / ".local" / "run.lock", "w")  # noqa: SIM115 - held by the test
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def test_occupied_port_gives_a_clear_message():
    lock = _hold_lock()
    if lock is None:
        pytest.skip("a `make run` is running in this checkout right now")
    lock.close()  # released: the script must get past the lock and stop at the port
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = _run(busy.getsockname()[1])
    assert result.returncode == 2
    assert "已被占用" in result.stderr and "PORT=8001 make run" in result.stderr


def test_second_make_run_in_the_same_checkout_is_refused():
    lock = _hold_lock()
    if lock is None:
        pytest.skip("a `make run` is running in this checkout right now")
    try:
        result = _run(8999)
    finally:
        lock.close()
    assert result.returncode == 2
    assert "make run 已在本目录运行" in result.stderr
