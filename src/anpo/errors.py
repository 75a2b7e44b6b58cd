"""Errors a user can cause, each with a message that says what to change.

Every error that reaches a person derives from :class:`AnpoError`; the CLI prints
its message (one line per problem) and exits with its ``exit_code``, with no
traceback. Anything else that escapes is a bug in anpo.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from dataclasses import dataclass

EXCERPT_CHARS = 60
"""The most characters of a value an error message shows."""

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 6
_REPR.maxstring = _REPR.maxother = _REPR.maxlong = EXCERPT_CHARS


def excerpt(value: object, limit: int = EXCERPT_CHARS) -> str:
    """A bounded representation of ``value`` for a message: at most ``limit`` characters.

    The representation is built with :mod:`reprlib` limits (a few items per container,
    three levels deep), so a huge or deeply shared value (a YAML alias bomb) costs no more
    than a small one; the full ``repr`` is never built.
    """
    try:
        shown = _REPR.repr(value)
    except Exception:  # a value whose repr fails still gets a message
        shown = f"<{type(value).__name__}>"
    if len(shown) > limit:
        shown = shown[: limit - 3] + "..."
    return shown


class AnpoError(Exception):
    """Base class of errors caused by input, not by a bug; ``exit_code`` is the CLI's."""

    exit_code: int = 1

    def lines(self) -> list[str]:
        """The message, one problem per line."""
        return [str(self)]


MISSING = object()
"""The value of a :class:`Problem` about a field that was not given at all."""


@dataclass(frozen=True)
class Problem:
    """One problem in a scenario: where (a dotted field path), what was given, what is allowed."""

    path: str
    value: object
    message: str

    def __str__(self) -> str:
        if self.value is MISSING:
            return f"{self.path or '<top>'}: {self.message}"
        shown = excerpt(self.value)
        return f"{self.path or '<top>'}: {self.message} (got {shown})"


class ScenarioError(AnpoError):
    """A scenario that cannot be used: one :class:`Problem` per mistake."""

    exit_code = 2

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        self.source = source
        self.problems = list(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        head = f"{self.source}: {len(self.problems)} problem(s)"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])

    def lines(self) -> list[str]:
        return self._text().splitlines()


class KnowledgeBaseError(AnpoError):
    """A date or record the knowledge base cannot answer for."""

    exit_code = 2


class StoreError(AnpoError):
    """The results store cannot do what was asked (locked, missing run, bad path)."""

    exit_code = 3


class UsageError(AnpoError):
    """A command-line or API argument outside what is allowed."""

    exit_code = 2


class VersionMismatch(AnpoError):
    """A stored run made by another version of anpo (or NumPy) cannot be replayed exactly."""

    exit_code = 4
