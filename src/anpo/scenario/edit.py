"""Changing a scenario by field path: what ``--set`` and a kind's levers do.

A path names a field of the scenario file the way an error message does:
``posture.ships.usn``, ``doctrine.upper.salvo``, ``bases[0].repair_crews``, and a key
that holds dots in brackets, ``uncertain["sspk.sm3-ia"]``. :func:`with_values` sets
each path in the file's YAML mapping (creating missing sections), writes the text
again and checks it with the kind's schema, so a changed scenario is exactly one a
user could have written, and a bad value gets the schema's own precise error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from anpo import kb
from anpo.errors import Problem, ScenarioError

__all__ = ["parse_path", "parse_value", "set_path", "with_values"]

_TOKEN = re.compile(r"""\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[["']([^"'\]]+)["']\]""")

Key = str | int


def parse_path(path: str) -> list[Key]:
    """The keys and list indexes of a dotted field path.

    Examples
    --------
    >>> parse_path('bases[0].repair_crews')
    ['bases', 0, 'repair_crews']
    >>> parse_path('uncertain["sspk.sm3-ia"].alpha')
    ['uncertain', 'sspk.sm3-ia', 'alpha']
    """
    keys: list[Key] = []
    pos = 0
    while pos < len(path):
        m = _TOKEN.match(path, pos)
        if m is None or (pos == 0 and path.startswith(".")):
            raise ValueError(f"not a field path at {path[pos:]!r} (write a.b[0].c)")
        name, index, quoted = m.groups()
        keys.append(int(index) if index is not None else (name or quoted))
        pos = m.end()
    if not keys:
        raise ValueError("an empty field path")
    return keys


def parse_value(text: str) -> Any:
    """A value given on the command line, read as YAML (``5``, ``true``, ``[1, 2]``)."""
    try:
        return yaml.load(text, Loader=kb.SAFE_LOADER)
    except yaml.YAMLError:
        return text


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set ``path`` in a scenario's YAML mapping to ``value``, creating missing sections.

    Raises
    ------
    ValueError
        If the path crosses a value that is not a section, or a list index is out
        of range.
    """
    keys = parse_path(path)
    node: Any = data
    for i, key in enumerate(keys):
        last = i == len(keys) - 1
        where = (
            path
            if last
            else "".join(
                f"[{k}]" if isinstance(k, int) else (("." if j else "") + k)
                for j, k in enumerate(keys[: i + 1])
            )
        )
        if isinstance(key, int):
            if not isinstance(node, list) or not -len(node) <= key < len(node):
                size = len(node) if isinstance(node, list) else 0
                raise ValueError(f"{where}: no entry {key} (the list has {size})")
            if last:
                node[key] = value
            else:
                node = node[key]
            continue
        if not isinstance(node, dict):
            raise ValueError(f"{where}: {type(node).__name__} has no fields")
        if last:
            node[key] = value
        else:
            if node.get(key) is None:
                node[key] = {} if not isinstance(keys[i + 1], int) else []
            node = node[key]


def with_values(text: str, values: Mapping[str, Any], origin: str = "<edited>") -> Any:
    """The scenario ``text`` with each path of ``values`` set, checked by its schema.

    Returns
    -------
    anpo.scenario.Scenario
        The changed scenario (its ``text`` is the new YAML).

    Raises
    ------
    ScenarioError
        With the path and the schema's message for a value that is not allowed.
    """
    from anpo.scenario import parse

    data = yaml.load(text, Loader=kb.SAFE_LOADER)
    if not isinstance(data, dict):
        raise ScenarioError(origin, [Problem("", type(data).__name__, "not a scenario mapping")])
    problems = []
    for path, value in values.items():
        try:
            set_path(data, path, value)
        except ValueError as exc:
            problems.append(Problem(path, value, str(exc)))
    if problems:
        raise ScenarioError(origin, problems)
    _tidy(data, values)
    return parse(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), origin)


def _tidy(data: dict[str, Any], values: Mapping[str, Any]) -> None:
    """Let the scenario's kind remove what the changed values leave dangling."""
    from anpo.kinds import registry

    kind = data.get("kind")
    if isinstance(kind, str) and registry.known(kind):
        tidy = registry.get(kind).tidy
        if tidy is not None:
            tidy(data, values)
