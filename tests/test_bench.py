"""Every benchmark still imports: an API change must not leave one broken until it is run."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import bench

MODULES = [m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")]


def test_the_benchmarks_are_found() -> None:
    assert {"discord_burst", "hosts_burst", "lookup_bench", "perf_bench"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_a_benchmark_imports_and_has_a_main(name: str) -> None:
    module = importlib.import_module(f"bench.{name}")
    assert callable(getattr(module, "main", None))
