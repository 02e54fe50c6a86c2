"""Keyed hashes of Discord user ids, so the state database never holds a raw id.

The key comes from `hash_key` (ORGBOT_HASH_KEY), else from `[discord] hash_key_file`; with
neither, one is generated into `var/` (mode 0600) on first start and reused afterwards.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

from retrieval import OrgbotError

from ..settings import BotSettings

log = logging.getLogger(__name__)

GENERATED_KEY_NAME = "hash.key"


class HashKeyError(OrgbotError):
    """The configured hashing key cannot be read; the message says which file and why."""


def load_hash_key(settings: BotSettings) -> bytes:
    if settings.hash_key is not None:
        key = settings.hash_key.get_secret_value().strip()
        if not key:
            raise HashKeyError("ORGBOT_HASH_KEY is empty; set a long random value or unset it")
        return key.encode()
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


def _read_key(path: Path) -> bytes:
    key = path.read_text(encoding="utf-8").strip()
    if not key:
        raise HashKeyError(f"hash key file {path} is empty; delete it to generate a new key")
    return key.encode()


def _generated_key(path: Path) -> bytes:
    if path.exists():
        return _read_key(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # Written whole under a private name, then linked into place: if two shard processes
    # start at once, one link wins and the other reads a complete key, never an empty file.
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        return _read_key(path)
    finally:
        draft.unlink()
    log.warning(
        "no hash key configured: generated one at %s (mode 0600). Keep it with the state "
        "database; a new key makes old feedback unlinkable to its users.",
        path,
    )
    return key.encode()


def hash_user(key: bytes, user_id: int) -> str:
    """A stable pseudonym for `user_id` that cannot be reversed without the key."""
    return hmac.new(key, str(user_id).encode(), hashlib.sha256).hexdigest()
