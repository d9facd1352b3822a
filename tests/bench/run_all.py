"""`make bench`: every benchmark in turn. Benchmarks measure; they never assert timings."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time

import tests.bench as bench_package


def main() -> int:
    names = sorted(
        module.name
        for module in pkgutil.iter_modules(bench_package.__path__)
        if module.name.startswith("bench_")
    )
    selected = [name for name in names if not sys.argv[1:] or name in sys.argv[1:]]
    for name in selected:
        print(f"\n=== {name}", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"tests.bench.{name}").main()
        print(f"=== {name} finished in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
