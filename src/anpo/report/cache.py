"""What a report draws, kept on disk by content, so the next report need not redraw it.

A figure is a pure function of the numbers it is given; a run's map, of its scenario
text and date. Each is kept under the SHA-256 of what it was drawn from **and** of
this anpo (its version, and the size and modification time of every file of the
installed package, knowledge base included), so a changed number, scenario, model
or map code never meets an old drawing. Entries are plain files written atomically;
a cache that cannot be read or written is skipped, never an error.

``$ANPO_CACHE`` names the folder (``off`` turns the cache off); the default is the
user's cache directory (``platformdirs.user_cache_dir("anpo")``). At most
:data:`KEEP` entries of each sort are kept, the oldest dropped first.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

__all__ = ["KEEP", "directory", "get", "kept", "key", "put"]

ENV = "ANPO_CACHE"
KEEP = 256
"""Entries kept per sort (``figure``, ``map``, ``geometry``)."""


def directory() -> Path | None:
    """The cache folder, or None when ``$ANPO_CACHE`` is ``off``."""
    env = os.environ.get(ENV)
    if env is not None and env.strip().lower() in ("off", "0", "no", "none", ""):
        return None
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("anpo"))


def _code_digest() -> str:
    """Digest of this anpo: its version and every package file's size and mtime."""
    from anpo.scenario.presentation import code_digest

    return code_digest()


def key(*parts: str) -> str:
    """The key of something drawn from ``parts`` by this anpo."""
    h = hashlib.sha256(_code_digest().encode())
    for part in parts:
        h.update(b"\0")
        h.update(part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _path(sort: str, k: str) -> Path | None:
    base = directory()
    return None if base is None else base / sort / f"{k}.txt"


def get(sort: str, k: str) -> str | None:
    """The text kept under key ``k``, or None."""
    path = _path(sort, k)
    if path is None:
        return None
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def put(sort: str, k: str, text: str) -> None:
    """Keep ``text`` under key ``k`` (atomically; dropping the oldest beyond :data:`KEEP`)."""
    path = _path(sort, k)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        entries = sorted(path.parent.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns)
        for old in entries[:-KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def kept(sort: str, k: str, draw: Callable[[], str]) -> str:
    """The text kept under ``k``, drawing (and keeping) it when there is none."""
    found = get(sort, k)
    if found is not None:
        return found
    text = draw()
    put(sort, k, text)
    return text
