"""Peak memory of streaming the public export of 1,000,000 reports, CSV and GeoJSON.

The reports are made once; each export then runs in a fresh child process that streams the
whole file to /dev/null and reports its own peak resident memory. Comparison, in the same
run on the same data: an export that first loads every row into memory and then writes
(how exports that stall at a few thousand rows are built).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPORTS = int(os.environ.get("BENCH_EXPORT_REPORTS", "1000000"))


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safespaces.settings")
    import django

    django.setup()


def make_data() -> None:
    django_setup()
    from django.core.management import call_command

    from bench.report_data import make_published_reports
    from safespaces.reports.actions import load_preset

    call_command("migrate", verbosity=0)
    load_preset("street_harassment")
    make_published_reports(REPORTS)


def peak_megabytes() -> float:
    """This process's peak resident memory since it started its program.

    Linux keeps ru_maxrss across exec, so a child would report its parent's peak (the
    million rows the parent made); VmHWM belongs to the new program's memory alone.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kilobytes
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream(format_key: str) -> dict[str, float]:
    """Child: our streaming export to /dev/null."""
    django_setup()
    from safespaces.reports.exports import FORMATS, ExportFilters, pieces_of, public_export

    started = time.perf_counter()
    written = 0
    with Path(os.devnull).open("w", encoding="utf-8") as sink:
        for piece in pieces_of(public_export(ExportFilters(), "en"), FORMATS[format_key]):
            written += len(piece)
            sink.write(piece)
    return {"peak_mb": peak_megabytes(), "seconds": time.perf_counter() - started, "bytes": written}


def load_then_write() -> dict[str, float]:
    """Child: the comparison, every row in memory first, then the CSV."""
    django_setup()
    import csv

    from safespaces.reports.models import Report

    started = time.perf_counter()
    rows = list(
        Report.objects.filter(status=Report.Status.PUBLISHED, consent_public=True).order_by("pk")
    )
    links = Report.categories.through.objects.values_list("report_id", "category__key")
    categories: dict[int, list[str]] = {}
    for report_id, key in links:
        categories.setdefault(report_id, []).append(key)
    with Path(os.devnull).open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        for report in rows:
            writer.writerow(
                [
                    report.public_id,
                    report.occurred_on,
                    ";".join(categories.get(report.pk, [])),
                    report.public_latitude,
                    report.public_longitude,
                ]
            )
    return {"peak_mb": peak_megabytes(), "seconds": time.perf_counter() - started}


def child(mode: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode],
        check=False,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} export failed:\n{done.stderr}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        mode = sys.argv[2]
        print(json.dumps(load_then_write() if mode == "naive" else stream(mode)))
        return
    make_data()
    csv_run, geojson_run, naive_run = child("csv"), child("geojson"), child("naive")
    print(
        json.dumps(
            {
                "benchmark": "public_export_peak_memory",
                "unit": "MB",
                "reports": REPORTS,
                "figures": {"peak_mb": round(csv_run["peak_mb"], 1)},
                "geojson": {key: round(value, 1) for key, value in geojson_run.items()},
                "csv_seconds": round(csv_run["seconds"], 1),
                "comparison": {
                    "name": "load every row, then write",
                    "figures": {"peak_mb": round(naive_run["peak_mb"], 1)},
                },
            }
        )
    )


if __name__ == "__main__":
    main()
