"""The knowledge base's parsed YAML, kept on disk by content.

Parsing the knowledge base's YAML (about 30 files, 0.5 MB) takes PyYAML 0.15-0.3 s,
most of a small run's resolution, while the files change only with anpo itself. So
each file's parsed data are kept as JSON in a cache folder, under a name that is the
SHA-256 of (this cache's format, the YAML loader, the file's text): a changed file,
loader or format is a new name, never a stale hit. JSON holds every value the
knowledge base's YAML gives but dates, which are tagged (``{"$date": "2010-01-01"}``);
data that would not come back exactly (a mapping with keys that are not text, a
value of another type) are not cached but parsed each time: a file is cached only
after its JSON was read back and compared equal to the parsed data.

The folder is ``$ANPO_CACHE_DIR`` if set, else ``kb`` in the user's cache directory;
``ANPO_CACHE_DIR=off`` turns the cache off. Anything that goes wrong with it (a folder
that cannot be written, a damaged entry) falls back to parsing, silently: the cache
changes how fast the data are read, never what they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml

FORMAT = "anpo-kb-cache-1"
"""Part of every entry's key: a new format never reads an old entry."""
ENV = "ANPO_CACHE_DIR"


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    given = os.environ.get(ENV)
    if given is not None:
        return None if given.strip().lower() in ("", "off", "0", "no") else Path(given)
    import platformdirs

    return Path(platformdirs.user_cache_dir("anpo")) / "kb"


def _default(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and "$date" in obj and isinstance(obj["$date"], str):
        return dt.date.fromisoformat(obj["$date"])
    return obj


def _same(a: Any, b: Any) -> bool:
    """Equal values of the same types all the way down (1 == 1.0 == True are not)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(type(k) is str and _same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b) or (a != a and b != b)  # NaN is NaN


def load(text: str, loader: Any) -> Any:
    """``yaml.load(text, Loader=loader)``, from the cache when it holds this text."""
    where = folder()
    if where is None:
        return yaml.load(text, Loader=loader)
    key = hashlib.sha256(
        f"{FORMAT}\0{loader.__module__}.{loader.__qualname__}\0".encode() + text.encode("utf-8")
    ).hexdigest()
    entry = where / f"{key}.json"
    try:
        return json.loads(entry.read_text(encoding="utf-8"), object_hook=_hook)
    except (OSError, ValueError):
        pass
    data = yaml.load(text, Loader=loader)
    try:
        encoded = json.dumps(data, default=_default, allow_nan=True)
        if not _same(json.loads(encoded, object_hook=_hook), data):
            return data
        where.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(encoded)
            os.replace(tmp, entry)  # atomic: a reader sees the whole entry or none
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, TypeError, ValueError, RecursionError):
        pass
    return data


__all__ = ["ENV", "FORMAT", "folder", "load"]
