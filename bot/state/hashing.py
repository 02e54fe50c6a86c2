"""Keyed hashes of Discord user ids, so the state database never holds a raw id.

The key comes from `settings.hash_key`, else from `settings.discord.hash_key_file`; with
neither, one is generated into `var/` (mode 0600) on first start and reused afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from retrieval.config import Settings

log = logging.getLogger(__name__)

GENERATED_KEY_NAME = "hash.key"


class HashKeyError(Exception):
    """The configured hashing key cannot be read; the message says which file and why."""


def load_hash_key(settings: Settings) -> bytes:
    if settings.hash_key is not None:
        return settings.hash_key.get_secret_value().encode()
    configured = settings.discord.hash_key_file
    if configured is not None:
        try:
            key = configured.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise HashKeyError(f"cannot read hash key file {configured}: {exc.strerror}") from None
        if not key:
            raise HashKeyError(f"hash key file {configured} is empty")
        return key.encode()
    return _generated_key(settings.var_dir / GENERATED_KEY_NAME)


def _generated_key(path: Path) -> bytes:
    if path.exists():
        return path.read_text(encoding="utf-8").strip().encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: if two shard processes start at once, only one writes; the other reads it.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="utf-8").strip().encode()
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    log.warning(
        "no hash key configured: generated one at %s (mode 0600). Keep it with the state "
        "database; a new key makes old feedback unlinkable to its users.",
        path,
    )
    return key.encode()


def hash_user(key: bytes, user_id: int) -> str:
    """A stable pseudonym for `user_id` that cannot be reversed without the key."""
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()
