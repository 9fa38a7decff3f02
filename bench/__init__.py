"""SafeSpaces benchmarks: `python -m bench` runs every bench/bench_*.py (see README.md)."""
