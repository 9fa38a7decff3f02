"""`python -m bench`: the benchmark harness, run on benchmarks in a temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "benchmark": "nearest_open_venues",
    "unit": "ms",
    "figures": {"p50": 2.0, "p95": 4.0},
    "comparison": {"name": "naive scan", "figures": {"p50": 8.0, "p95": 10.0}},
}


def write_benchmark(folder: Path, name: str, body: str) -> None:
    (folder / f"bench_{name}.py").write_text(body)


def printing(result: object) -> str:
    return f"import json\nprint(json.dumps({result!r}))\n"


def run_harness(folder: Path, *names: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", "--dir", str(folder), *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_it_says_so_when_there_are_no_benchmarks(tmp_path: Path) -> None:
    done = run_harness(tmp_path)
    assert done.returncode == 0
    assert "No benchmarks to run" in done.stdout


def test_it_summarises_figures_with_their_comparison(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "nearest", printing(GOOD))
    done = run_harness(tmp_path)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if " p50 " in line)
    assert row.split() == [
        "nearest_open_venues",
        "p50",
        "2",
        "ms",
        "8",
        "ms",
        "(naive",
        "scan)",
        "0.25",
    ]
    assert "1 passed, 0 failed" in done.stderr


def test_it_runs_each_benchmark_in_its_own_process_and_data_dir(tmp_path: Path) -> None:
    body = (
        "import json, os\n"
        "print(json.dumps({'benchmark': os.environ['SAFESPACES_DATA_DIR'], 'unit': 'pid',"
        " 'figures': {'pid': os.getpid()}, 'comparison': {'name': 'none',"
        " 'figures': {'pid': 1}}}))\n"
    )
    write_benchmark(tmp_path, "one", body)
    write_benchmark(tmp_path, "two", body)
    done = run_harness(tmp_path)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines()[1:]]
    assert len({row[0] for row in rows}) == 2
    assert len({row[2] for row in rows}) == 2


def test_it_runs_only_the_benchmarks_named(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "nearest", printing(GOOD))
    write_benchmark(tmp_path, "broken", "raise SystemExit(3)\n")
    done = run_harness(tmp_path, "nearest")
    assert done.returncode == 0
    assert "bench_broken" not in done.stderr


def test_it_fails_a_benchmark_that_exits_with_an_error(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "broken", "raise SystemExit(3)\n")
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert "FAILED bench_broken.py: it exited with status 3" in done.stderr


def test_it_fails_a_benchmark_that_prints_more_than_one_line(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "chatty", "print('warming up')\n" + printing(GOOD))
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert "exactly one JSON line on stdout, not 2" in done.stderr


def test_it_fails_a_benchmark_that_prints_no_json(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "prose", "print('fast enough')\n")
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert "its line is not JSON" in done.stderr


def test_it_fails_a_benchmark_without_a_comparison(tmp_path: Path) -> None:
    alone = {key: value for key, value in GOOD.items() if key != "comparison"}
    write_benchmark(tmp_path, "alone", printing(alone))
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert '"comparison" must be an object' in done.stderr


def test_it_fails_figures_that_are_not_numbers(tmp_path: Path) -> None:
    write_benchmark(tmp_path, "words", printing({**GOOD, "figures": {"p50": "quick"}}))
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert "figures.p50 must be a number" in done.stderr


def test_it_fails_a_comparison_that_measures_something_else(tmp_path: Path) -> None:
    other = {**GOOD, "comparison": {"name": "postgis", "figures": {"mean": 1.0}}}
    write_benchmark(tmp_path, "apples", printing(other))
    done = run_harness(tmp_path)
    assert done.returncode == 1
    assert "must share at least one figure" in done.stderr
