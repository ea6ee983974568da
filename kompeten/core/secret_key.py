"""The instance's own secret key, kept in a file under the var directory.

Settings import this module before Django is set up, so it uses the standard library only.
Order of precedence (kompeten/settings.py): the ``SECRET_KEY`` environment variable, then the
kept file ``<var>/secret_key``, then (only with DEBUG or under tests) a fixed development key.
With none of these, the first start of any ``kompeten`` command generates the file (mode 0600)
so that an install needs no environment variable; ``kompeten setup`` reports where it is.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kompeten.core.private_files import private_draft

FILENAME = "secret_key"
MIN_LENGTH = 50


class SecretKeyFileError(Exception):
    """The kept key exists but cannot be used (unreadable, too short), or cannot be written."""


def secret_key_path(var_dir: Path) -> Path:
    return Path(var_dir) / FILENAME


def read_secret_key(var_dir: Path) -> str | None:
    """The kept key, or None when there is no file. A file that is unusable raises."""
    path = secret_key_path(var_dir)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SecretKeyFileError(f"{path} cannot be read: {exc.strerror}") from None
    key = text.strip()
    if len(key) < MIN_LENGTH:
        raise SecretKeyFileError(
            f"{path} holds a key shorter than {MIN_LENGTH} characters;"
            " delete it to have a new one generated, or set SECRET_KEY"
        )
    return key


def generate_secret_key() -> str:
    return secrets.token_urlsafe(60)


def ensure_secret_key(var_dir: Path) -> tuple[str, bool]:
    """Return (key, created): the kept key, or a new one written with mode 0600.

    Safe when several processes start at once: the file is created exclusively and the loser
    of the race reads the winner's key.
    """
    existing = read_secret_key(var_dir)
    if existing is not None:
        return existing, False
    path = secret_key_path(var_dir)
    key = generate_secret_key()
    draft = None
    try:
        draft = private_draft(path, key + "\n")
        # link() publishes the complete file at once and refuses to replace one that exists
        os.link(draft, path)
    except FileExistsError:
        kept = read_secret_key(var_dir)
        assert kept is not None
        return kept, False
    except OSError as exc:
        raise SecretKeyFileError(f"{path} cannot be created: {exc.strerror}") from None
    finally:
        if draft is not None:
            draft.unlink(missing_ok=True)
    return key, True
