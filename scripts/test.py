"""`make test`: the same services, then the whole pytest suite against them."""

from __future__ import annotations

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from services import ROOT, Services  # noqa: E402


def main(argv: list[str]) -> int:
    services = Services(redis_name="test", write_env=False)
    try:
        services.start()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "i18n.py"), "compile"], check=True)
        result = subprocess.run([sys.executable, "-m", "pytest", *argv], cwd=ROOT)
        return result.returncode
    finally:
        services.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
