"""`make run`: services, migrations, demo data, then the portal with a Celery worker and
beat beside it. Ctrl-C stops everything this script started."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from services import LOCAL, ROOT, Services, _port_in_use, prepare  # noqa: E402


def _stop(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    signal.signal(signal.SIGTERM, _stop)
    port = int(os.environ.get("PORT", "8000"))
    LOCAL.mkdir(exist_ok=True)
    lock = open(LOCAL / "run.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(
            "make run 已在本目录运行（另一个终端）。请先在那里按 Ctrl-C 停止，再重新运行。\n"
            "make run is already running from this checkout; stop it first (Ctrl-C there).",
            file=sys.stderr,
        )
        return 2
    if _port_in_use(port):
        print(
            f"端口 {port} 已被占用。请关闭占用它的程序，或换一个端口：PORT=8001 make run\n"
            f"Port {port} is already in use. Free it or choose another: PORT=8001 make run",
            file=sys.stderr,
        )
        return 2

    services = Services(redis_name="run")
    children: list[subprocess.Popen] = []
    try:
        services.start()
        prepare(seed=True)
        env = dict(os.environ)
        py = sys.executable
        children.append(
            subprocess.Popen(
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "anlong_wenlian",
                    "worker",
                    "-l",
                    "warning",
                    "--concurrency",
                    "2",
                    "-n",
                    f"worker-{port}@%h",
                ],
                cwd=ROOT,
                env=env,
            )
        )
        children.append(
            subprocess.Popen(
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "anlong_wenlian",
                    "beat",
                    "-l",
                    "warning",
                    "--schedule",
                    str(LOCAL / "celerybeat-schedule"),
                ],
                cwd=ROOT,
                env=env,
            )
        )
        children.append(
            subprocess.Popen(
                [py, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                cwd=ROOT,
                env=env,
            )
        )
        demo = os.environ.get("DEMO_PASSWORD", "anlong-demo-2026")
        print(
            "\n"
            f"  安龙县文联门户已启动： http://127.0.0.1:{port}/\n"
            f"  管理后台： http://127.0.0.1:{port}/admin/\n"
            f"  演示账号（密码均为 {demo}）：\n"
            "    admin        超级管理员\n"
            "    staff        文联工作人员\n"
            "    sec_writers  作家协会秘书长\n"
            "    sec_photo    摄影家协会秘书长\n"
            "    member       作家协会会员\n"
            "  按 Ctrl-C 停止（Web、Celery worker、beat、数据库和 Redis 一并停止）。\n",
            flush=True,
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        print("一个进程意外退出，正在停止其余进程。", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\n正在停止……", flush=True)
        return 0
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        services.stop()


if __name__ == "__main__":
    sys.exit(main())
