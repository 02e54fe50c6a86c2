"""Shared bits of the benchmarks: machine facts and writing a results file."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            names = [
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            ]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), "
        f"{memory:.0f} GiB, Python {platform.python_version()}"
    )


def percentiles(values: list[float]) -> dict[str, float]:
    array = np.asarray(values)
    return {f"p{p}": float(np.percentile(array, p)) for p in (50, 95, 99)} | {
        "max": float(array.max())
    }


def write_results(name: str, title: str, lines: list[str]) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.md"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    header = [f"# {title}", "", f"Measured {stamp} on {machine()}.", ""]
    path.write_text("\n".join(header + lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {path}")
    return path
