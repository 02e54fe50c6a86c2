"""The bot's runtime state: guild settings, feedback and the question log (aiosqlite)."""

from .db import GuildSettings, LoggedQuestion, StateDB
from .gaps import Gap
from .hashing import HashKeyError, hash_user, load_hash_key

__all__ = [
    "Gap",
    "GuildSettings",
    "HashKeyError",
    "LoggedQuestion",
    "StateDB",
    "hash_user",
    "load_hash_key",
]
