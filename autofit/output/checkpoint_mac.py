"""Keyed hashes of pickled checkpoints, so a fit resumes only from checkpoints its user wrote.

Some samplers (dynesty) save their state with pickle, and unpickling a file runs whatever code
it names. Beside each such checkpoint autofit writes ``<checkpoint>.mac``: the HMAC-SHA256 of the
file under a secret key of the user, created on first use at ``~/.autofit/checkpoint.key``
(readable by the user only; the environment variable ``AUTOFIT_CHECKPOINT_KEY`` names another
file). A checkpoint copied from someone else, or edited, has no valid MAC and is never loaded.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import time
from pathlib import Path

from autofit.output.atomic import atomic_write_text

__all__ = [
    "KEY_PATH_VARIABLE",
    "key_path",
    "checkpoint_key",
    "mac_path",
    "sign_checkpoint",
    "checkpoint_is_signed",
    "set_aside",
]

#: The environment variable naming the key file (default ``~/.autofit/checkpoint.key``).
KEY_PATH_VARIABLE = "AUTOFIT_CHECKPOINT_KEY"

_KEY_BYTES = 32


def key_path() -> Path:
    """The file holding this user's checkpoint key."""
    configured = os.environ.get(KEY_PATH_VARIABLE, "").strip()
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".autofit" / "checkpoint.key"


def _create_key(path: Path) -> None:
    """Write a new random key to ``path`` (mode 0600) unless another process did first."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(secrets.token_bytes(_KEY_BYTES).hex().encode())
            file.flush()
            os.fsync(file.fileno())
        # A hard link never replaces an existing key: of two processes, the first one wins.
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def checkpoint_key() -> bytes:
    """This user's secret key, created on first use.

    Raises
    ------
    OSError
        If the key file cannot be created or read (the message names it).
    """
    path = key_path()
    if not path.exists():
        _create_key(path)
    for _ in range(50):
        text = path.read_bytes().strip()
        if text:
            return bytes.fromhex(text.decode())
        time.sleep(0.01)  # pragma: no cover - another process is writing it
    raise OSError(f"The checkpoint key {path} is empty: delete it to create a new one")


def mac_path(checkpoint: str | Path) -> Path:
    """Where the MAC of ``checkpoint`` is stored (``<checkpoint>.mac``)."""
    checkpoint = Path(checkpoint)
    return checkpoint.with_name(checkpoint.name + ".mac")


def _mac(checkpoint: Path) -> str:
    digest = hmac.new(checkpoint_key(), digestmod=hashlib.sha256)
    with open(checkpoint, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def sign_checkpoint(checkpoint: str | Path) -> None:
    """Write the MAC of the checkpoint file (call after every save)."""
    atomic_write_text(mac_path(checkpoint), _mac(Path(checkpoint)) + "\n")


def checkpoint_is_signed(checkpoint: str | Path) -> bool:
    """Whether ``checkpoint`` carries a valid MAC under this user's key."""
    checkpoint = Path(checkpoint)
    try:
        stored = mac_path(checkpoint).read_text().strip()
        return hmac.compare_digest(stored, _mac(checkpoint))
    except (OSError, UnicodeDecodeError, ValueError):  # also a key that cannot be read
        return False


def set_aside(checkpoint: str | Path) -> Path:
    """Rename an unverified checkpoint to ``<checkpoint>.unverified`` (its MAC file is removed),
    so a new run starts afresh and the old file is kept for inspection; returns the new path."""
    checkpoint = Path(checkpoint)
    target = checkpoint.with_name(checkpoint.name + ".unverified")
    os.replace(checkpoint, target)
    mac_path(checkpoint).unlink(missing_ok=True)
    return target
