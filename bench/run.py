"""`make bench`: run every benchmark script in this folder and print their figures."""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = [
    "grid_lookup.py",
    "classify.py",
    "hotspots.py",
    "api_intake.py",
    "inbox_list.py",
    "assess_bench.py",
    "knowledge_search.py",
    "mediation_bench.py",
]


def main() -> int:
    failed = 0
    for name in BENCHES:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(HERE / name)], cwd=HERE.parent, check=False)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
