"""What the database benches share: running manage.py against a bench database, and the server's own
maintenance database beside it (to create or drop the bench database)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def split_url(url: str) -> tuple[str, str]:
    """postgres://…/name → (the maintenance database's URL on the same server, name)."""
    server, name = url.rsplit("/", 1)
    return f"{server}/postgres", name


def manage(env: dict[str, str], *args: str) -> str:
    """Run manage.py with `env`; its output, or exit the bench with what it printed."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout
