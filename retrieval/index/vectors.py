"""The faiss half of a build: inner-product search over unit vectors, row number = passage id.

Exact search (a flat index) up to `exact_limit` vectors (50k by default: ~4 ms a question
on one core); an inverted-file index above that, whose recall against exact search is measured in
bench/scale_bench.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import faiss
import numpy as np

# Share of inverted lists probed per query: measured for recall@10 >= 0.95 (bench/results/scale.md).
NPROBE_FRACTION = 1 / 48


def index_file(role: str) -> str:
    """The faiss file of one encoder's vectors; the English one keeps the original name."""
    return "index.faiss" if role == "english" else f"index-{role}.faiss"


def make_index(vectors: np.ndarray, exact_limit: int) -> faiss.Index:
    count, dimension = vectors.shape
    index: faiss.Index
    if count <= exact_limit:
        index = faiss.IndexFlatIP(dimension)
    else:
        lists = int(4 * math.sqrt(count))
        quantizer = faiss.IndexFlatIP(dimension)
        ivf = faiss.IndexIVFFlat(quantizer, dimension, lists, faiss.METRIC_INNER_PRODUCT)
        sample = vectors[np.random.default_rng(0).choice(count, min(count, lists * 40), False)]
        ivf.train(np.ascontiguousarray(sample))
        ivf.nprobe = max(8, int(lists * NPROBE_FRACTION))
        index = ivf
    if count:
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


def single_query_threads() -> None:
    """Search one question at a time on one thread: on two cores OpenMP's second thread
    costs more than it gives (flat, 100k passages: 8 ms p95 on one thread, 16 ms on two)."""
    faiss.omp_set_num_threads(1)


def save(index: faiss.Index, path: Path) -> None:
    """Write the index; a failed write (say, a full disk) is an OSError, as for any file."""
    try:
        faiss.write_index(index, str(path))
    except RuntimeError as exc:
        # faiss reports a short fwrite as "write error in PATH: N != M (strerror)".
        lines = str(exc).strip().splitlines() or ["write failed"]
        reason = next((line for line in lines if "error" in line.casefold()), lines[0])
        raise OSError(f"faiss could not write {path.name}: {reason.strip()}") from None


def load(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexIVF):
        # nprobe is not kept in the file.
        index.nprobe = max(8, int(index.nlist * NPROBE_FRACTION))
    return index


def search(index: faiss.Index, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(scores, ids) of the k nearest passages per query row; missing slots have id -1."""
    k = max(1, min(k, index.ntotal)) if index.ntotal else 1
    if index.ntotal == 0:
        empty = np.full((len(queries), 1), -1, dtype=np.int64)
        return np.zeros((len(queries), 1), dtype=np.float32), empty
    scores, ids = index.search(np.ascontiguousarray(queries, dtype=np.float32), k)
    return scores, ids
