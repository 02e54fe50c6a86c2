"""Search at scale: synthetic corpora of 100k and 1M passages through the real search path.

Vectors come from a fast deterministic stand-in for the model: a mixture of topic centres
plus noise, normalised like sentence embeddings, so neighbourhoods have real structure.
Reported: build time, p95 single-question search latency, and recall@10 of the index
orgbot would build (retrieval.vectors.make_index) against exact search.

Run: .venv/bin/python bench/scale_bench.py [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np
from _common import percentiles, write_results

from retrieval import vectors
from retrieval.config import AnswerSettings

DIMENSION = 384
QUERIES = 500


def synthetic(count: int, seed: int = 0, topics: int = 4000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, DIMENSION), dtype=np.float32)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    step = 100_000
    for start in range(0, count, step):
        n = min(step, count - start)
        picks = rng.integers(0, topics, n)
        out[start : start + n] = centres[picks] + 0.9 * rng.standard_normal(
            (n, DIMENSION), dtype=np.float32
        )
    faiss.normalize_L2(out)
    return out


def queries_for(corpus: np.ndarray, seed: int = 1) -> np.ndarray:
    """Questions land near passages, as real ones do, but never exactly on one."""
    rng = np.random.default_rng(seed)
    picks = corpus[rng.integers(0, len(corpus), QUERIES)]
    noisy = picks + 0.06 * rng.standard_normal(picks.shape, dtype=np.float32)
    faiss.normalize_L2(noisy)
    return noisy


def measure(index: faiss.Index, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    for query in queries:
        started = time.perf_counter()
        _, ids = vectors.search(index, query.reshape(1, -1), 10)
        times.append((time.perf_counter() - started) * 1000)
        found.append(ids[0])
    return times, np.stack(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    args = parser.parse_args()
    limit = AnswerSettings().exact_search_limit
    lines = [
        f"Exact (flat) search up to {limit:,} passages, inverted-file (IVF) index above. "
        f"{QUERIES} questions, one at a time, k=10, one faiss thread per search (as orgbot searches).",
        "",
        "| passages | index | build s | p50 ms | p95 ms | p99 ms | recall@10 vs exact | exact p95 ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in args.sizes:
        corpus = synthetic(size)
        queries = queries_for(corpus)
        exact = faiss.IndexFlatIP(DIMENSION)
        exact.add(corpus)
        vectors.single_query_threads()
        exact_times, truth = measure(exact, queries)
        faiss.omp_set_num_threads(2)
        for label, exact_limit in (("orgbot default", limit), ("IVF (forced)", 0)):
            if label == "IVF (forced)" and size > limit:
                continue
            started = time.perf_counter()
            index = vectors.make_index(corpus, exact_limit)
            built = time.perf_counter() - started
            vectors.single_query_threads()  # as a loaded build searches
            times, found = measure(index, queries)
            faiss.omp_set_num_threads(2)  # builds use both cores
            recall = np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)])
            stats = percentiles(times)
            kind = type(index).__name__
            lines.append(
                f"| {size:,} | {kind} ({label}) | {built:.1f} | {stats['p50']:.2f} | "
                f"{stats['p95']:.2f} | {stats['p99']:.2f} | {recall:.3f} | "
                f"{percentiles(exact_times)['p95']:.2f} |"
            )
            print(lines[-1], flush=True)
            del index
        del exact, corpus
    lines += ["", "Targets: 1M passages, p95 search ≤ 100 ms with recall@10 ≥ 0.95 against exact."]
    write_results("scale", "Search at scale", lines)


if __name__ == "__main__":
    main()
