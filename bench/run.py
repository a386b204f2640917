"""`make bench`: run every area's benchmark, print a table, write bench/results.json.

Each module in BENCH_MODULES exposes ``run() -> dict`` mapping figure names to numbers
(and settings that matter, such as the disk, fsync or font used, to strings). A module
that fails is reported and the others still run; the exit status says so.
"""

from __future__ import annotations

import importlib
import json
import platform
import sys
import time
import traceback
from pathlib import Path

BENCH_MODULES = [
    "bench.bench_domain",
    "bench.bench_forms",
    "bench.bench_store",
    "bench.bench_server",
    "bench.bench_sync",
    "bench.bench_scan",
    "bench.bench_tui",
    "bench.bench_find",
    "bench.bench_board",
    "bench.bench_training",
]

RESULTS = Path(__file__).resolve().parent / "results.json"


def main() -> int:
    results: dict[str, object] = {
        "machine": f"{platform.machine()} {platform.system()} python {platform.python_version()}",
    }
    failed: list[str] = []
    started = time.perf_counter()
    for name in BENCH_MODULES:
        t0 = time.perf_counter()
        print(f"-- {name}", flush=True)
        try:
            module = importlib.import_module(name)
            figures = module.run()
        except Exception:  # one area failing must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            continue
        results.update(figures)
        print(f"   done in {time.perf_counter() - t0:.1f} s", flush=True)
    results["bench_total_s"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    width = max(len(k) for k in results)
    print()
    print(f"{'figure'.ljust(width)}  value")
    print(f"{'-' * width}  -----")
    for key, value in results.items():
        print(f"{key.ljust(width)}  {value}")
    print(f"\nwritten to {RESULTS}")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
