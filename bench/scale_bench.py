"""Search at scale: synthetic corpora of 100k and 1M passages through the real search path.

Vectors come from a fast deterministic stand-in for the model: a mixture of topic centres
plus noise, normalised like sentence embeddings, so neighbourhoods have real structure.
Reported: build time, p95 single-question search latency, and recall@10 of the index
orgbot would build (retrieval.vectors.make_index) against exact search.

Run: .venv/bin/python -m bench.scale_bench [--sizes 100000 1000000]
"""

from __future__ import annotations

import argparse
import time

import faiss
import numpy as np

from bench._common import percentiles, write_results
from retrieval import IndexSettings
from retrieval.index import vectors

DIMENSION = 384
QUERIES = 500


# (topics, noise): many tight topics, and few broad ones whose neighbourhoods overlap (harder
# for an inverted file, whose lists then cut through topics).
SPREADS = {"tight": (4000, 0.9), "broad": (300, 1.6)}


def synthetic(count: int, seed: int = 0, topics: int = 4000, noise: float = 0.9) -> np.ndarray:
    """`count` unit vectors scattered around `topics` centres (the same centres for any seed)."""
    centres = np.random.default_rng(12345).standard_normal((topics, DIMENSION), dtype=np.float32)
    rng = np.random.default_rng(seed)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    step = 100_000
    for start in range(0, count, step):
        n = min(step, count - start)
        picks = rng.integers(0, topics, n)
        noise_draw = rng.standard_normal((n, DIMENSION), dtype=np.float32)
        out[start : start + n] = centres[picks] + noise * noise_draw
    faiss.normalize_L2(out)
    return out


def queries_for(topics: int, noise: float) -> np.ndarray:
    """Fresh draws from the same topics: a question is near passages, never one of them."""
    return synthetic(QUERIES, seed=1, topics=topics, noise=noise)


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
    limit = IndexSettings().exact_search_limit
    lines = [
        f"Exact (flat) search up to {limit:,} passages, inverted-file (IVF) index above. "
        f"{QUERIES} questions, one at a time, k=10, one faiss thread per search (as orgbot searches).",
        "",
        "| passages | index | build s | p50 ms | p95 ms | p99 ms | recall@10 vs exact | exact p95 ms |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, spread in [(size, spread) for size in args.sizes for spread in SPREADS]:
        topics, noise = SPREADS[spread]
        corpus = synthetic(size, topics=topics, noise=noise)
        queries = queries_for(topics, noise)
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
                f"| {size:,} {spread} | {kind} ({label}) | {built:.1f} | {stats['p50']:.2f} | "
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
