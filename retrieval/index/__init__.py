"""The search index: pages cut into passages, embedded, and written as one build on disk.

A build is a folder (`manifest.json`, `store.sqlite3`, `index.faiss`) named by the
`CURRENT` pointer; `builder` writes one, `reader` opens one for searching.
"""
