"""Production settings pass Django's deployment checklist (`check --deploy`)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_passes_with_production_environment():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DEBUG"))}
    env.update(
        DEBUG="0",
        SECRET_KEY="x7Hq2vZ9pL4mN8rT1wY6bC3dF5gJ0kS-aE_uI9oP2qR4tV6xZ8",
        SALT_KEY="production-salt",
        ID_HASH_KEY="production-id-hash-key",
        ALLOWED_HOSTS="wenlian.example.cn",
        DATABASE_URL="postgres://u:p@127.0.0.1:5432/anlong",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update(DEBUG="0", SALT_KEY="s", ID_HASH_KEY="h", ALLOWED_HOSTS="x")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr
