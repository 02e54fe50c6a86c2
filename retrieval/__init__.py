"""orgbot's knowledge layer: content loading, indexing, search and answers.

Knows nothing about Discord. Plain frozen dataclasses (`retrieval.models`) cross its boundary.
"""

__version__ = "0.1.0"
