"""`python -m bench [NAME ...]`: run each benchmark bench/bench_*.py in its own process.

Each benchmark prints exactly one JSON line on stdout: its figures and the figures of its
comparison run, measured in the same process. The harness checks that line and prints a
summary with the ratio of each figure to its comparison. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
PATTERN = "bench_*.py"
DEFAULT_TIMEOUT_SECONDS = 3600


class BenchmarkError(Exception):
    """A benchmark failed or printed something other than its one JSON line."""


@dataclass(frozen=True)
class Result:
    benchmark: str
    unit: str
    figures: dict[str, float]
    comparison: str
    comparison_figures: dict[str, float]

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for figure, ours in self.figures.items():
            theirs = self.comparison_figures.get(figure)
            ratio = "" if not theirs else f"{ours / theirs:.2f}"
            shown = "" if theirs is None else f"{theirs:g} {self.unit} ({self.comparison})"
            rows.append((self.benchmark, figure, f"{ours:g} {self.unit}", shown, ratio))
        return rows


def discover(folder: Path, names: Sequence[str] = ()) -> list[Path]:
    found = sorted(folder.glob(PATTERN))
    if names:
        found = [path for path in found if any(name in path.stem for name in names)]
    return found


def _figures(value: object, where: str) -> dict[str, float]:
    if not isinstance(value, dict) or not value:
        raise BenchmarkError(f"{where} must be a non-empty object of figures.")
    figures: dict[str, float] = {}
    for name, number in value.items():
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise BenchmarkError(f"{where}.{name} must be a number, not {number!r}.")
        if not math.isfinite(number):
            raise BenchmarkError(f"{where}.{name} must be a finite number.")
        figures[str(name)] = float(number)
    return figures


def parse_output(stdout: str) -> Result:
    """The result a benchmark printed: exactly one line of JSON (see README.md)."""
    lines = [line for line in stdout.splitlines() if line.strip()]
    if len(lines) != 1:
        raise BenchmarkError(f"it must print exactly one JSON line on stdout, not {len(lines)}.")
    try:
        data = json.loads(lines[0])
    except json.JSONDecodeError as error:
        raise BenchmarkError(f"its line is not JSON: {error}.") from None
    if not isinstance(data, dict):
        raise BenchmarkError("its line must be a JSON object.")
    benchmark, unit, comparison = data.get("benchmark"), data.get("unit"), data.get("comparison")
    if not isinstance(benchmark, str) or not benchmark:
        raise BenchmarkError('"benchmark" must name the benchmark.')
    if not isinstance(unit, str) or not unit:
        raise BenchmarkError('"unit" must name the unit of the figures (ms, req/s, ...).')
    if not isinstance(comparison, dict) or not isinstance(comparison.get("name"), str):
        raise BenchmarkError('"comparison" must be an object with a "name" and "figures".')
    figures = _figures(data.get("figures"), "figures")
    comparison_figures = _figures(comparison.get("figures"), "comparison.figures")
    if not figures.keys() & comparison_figures.keys():
        raise BenchmarkError("figures and comparison.figures must share at least one figure.")
    return Result(benchmark, unit, figures, comparison["name"], comparison_figures)


def run_one(path: Path, timeout: float) -> Result:
    """Run one benchmark in its own process, with a fresh data directory."""
    data_dir = tempfile.mkdtemp(prefix=f"safespaces-{path.stem}-")
    python_path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    environment = {**os.environ, "SAFESPACES_DATA_DIR": data_dir, "PYTHONPATH": python_path}
    try:
        done = subprocess.run(
            [sys.executable, str(path)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchmarkError(f"it ran for more than {timeout:g} seconds.") from None
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    if done.returncode != 0:
        raise BenchmarkError(f"it exited with status {done.returncode}.")
    return parse_output(done.stdout)


def summary(results: Sequence[Result]) -> str:
    header = ("benchmark", "figure", "ours", "comparison", "ratio")
    rows = [header]
    for result in results:
        rows.extend(result.rows())
    widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("names", nargs="*", help="run only benchmarks whose name contains these")
    parser.add_argument("--dir", type=Path, default=BENCH_DIR, help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS)
    options = parser.parse_args(argv)
    paths = discover(options.dir, options.names)
    if not paths:
        print(f"No benchmarks to run: add {PATTERN} modules to bench/ (see bench/README.md).")
        return 0
    results: list[Result] = []
    failures: list[str] = []
    for path in paths:
        print(f"bench: running {path.name}", file=sys.stderr, flush=True)
        try:
            results.append(run_one(path, options.timeout))
        except BenchmarkError as error:
            failures.append(f"{path.name}: {error}")
    if results:
        print(summary(results))
    for failure in failures:
        print(f"bench: FAILED {failure}", file=sys.stderr)
    print(f"bench: {len(results)} passed, {len(failures)} failed.", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
