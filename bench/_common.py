"""Shared bits of the benchmarks: machine facts and writing a results file."""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
from pathlib import Path

import numpy as np

from retrieval import KnowledgeBase, RetrievalSettings, build_index, load_encoders
from retrieval.index.manifest import current_build

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
QUESTIONS = ROOT / "tests" / "eval" / "questions.jsonl"


def bundled_kb(var_dir: Path | None, prefix: str) -> KnowledgeBase:
    """The bundled wiki searched with the bundled encoders: the build in `var_dir` (made
    there first when it has none), or a new one in a throwaway folder."""
    folder = var_dir or Path(tempfile.mkdtemp(prefix=prefix))
    settings = RetrievalSettings(content_dir=ROOT / "content", var_dir=folder)
    encoders = load_encoders(settings)
    if current_build(settings.index_dir) is None:
        build_index(settings, encoders)
    return KnowledgeBase.open(settings, encoders)


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
