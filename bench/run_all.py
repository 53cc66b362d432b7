"""``make bench``: every benchmark in turn. Figures go in docs/performance.md by hand, with the
machine they came from; these are measurements, not tests, and the machines are noisy."""

from __future__ import annotations

import runpy
import sys

BENCHMARKS = ("bench.supplier_plan", "bench.po_throughput")


def main() -> None:
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        saved = sys.argv
        sys.argv = [module]
        try:
            runpy.run_module(module, run_name="__main__")
        finally:
            sys.argv = saved


if __name__ == "__main__":
    main()
