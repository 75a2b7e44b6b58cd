"""Reading scenario text safely: bytes to text, text to plain data, with precise errors.

A scenario may come from anyone (a file, the web page), so reading it must never
hang, exhaust memory or end in a traceback:

- the bytes must be UTF-8 (a byte-order mark is allowed); anything else is an
  error naming the first bad byte's offset;
- the text must be encodable (no lone surrogates, which JSON bodies can carry);
- YAML is read with :data:`anpo.kb.SAFE_LOADER`: no aliases (so no alias bomb),
  no duplicate keys (so no silently lost value), dates that are no calendar date
  left as text for the schema to report against their field.

Every failure is a :class:`~anpo.errors.ScenarioError` with one
:class:`~anpo.errors.Problem` that says where and what is allowed.
"""

from __future__ import annotations

from typing import Any

import yaml

from anpo import kb
from anpo.errors import Problem, ScenarioError


def decode(raw: bytes, origin: str) -> str:
    """The text of a scenario file's bytes, which must be UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            origin,
            [
                Problem(
                    "<file>",
                    f"byte 0x{raw[exc.start]:02x} at offset {exc.start} (line {line})",
                    "a scenario file must be UTF-8 text; save it as UTF-8",
                )
            ],
        ) from None


def check_text(text: str, origin: str) -> None:
    """Refuse text that no file could hold (a lone UTF-16 surrogate, as JSON allows)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        line = text[: exc.start].count("\n") + 1
        raise ScenarioError(
            origin,
            [
                Problem(
                    "<text>",
                    f"U+{ord(text[exc.start]):04X} at character {exc.start} (line {line})",
                    "not valid Unicode text (a lone surrogate); send UTF-8 text",
                )
            ],
        ) from None


def load_yaml(text: str, origin: str) -> Any:
    """The plain data (dicts, lists, scalars) of a scenario's YAML text."""
    check_text(text, origin)
    try:
        return yaml.load(text, Loader=kb.SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "?"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        path = exc.key if isinstance(exc, kb.DuplicateKeyError) else "<yaml>"
        raise ScenarioError(origin, [Problem(path, where, f"not valid YAML: {reason}")]) from None
    except RecursionError:  # pragma: no cover - libyaml bounds nesting before this
        raise ScenarioError(
            origin, [Problem("<yaml>", "?", "not valid YAML: nested too deeply")]
        ) from None


def load_mapping(text: str, origin: str) -> dict[str, Any]:
    """The top-level mapping of a scenario's YAML, with its ``kind`` (if given) as text."""
    data = load_yaml(text, origin)
    if not isinstance(data, dict):
        raise ScenarioError(
            origin, [Problem("", type(data).__name__, "a scenario is a YAML mapping of fields")]
        )
    kind = data.get("kind")
    if kind is not None and not isinstance(kind, str):
        raise ScenarioError(
            origin, [Problem("kind", kind, "must be the name of a scenario kind (text)")]
        )
    return data


__all__ = ["check_text", "decode", "load_mapping", "load_yaml"]
