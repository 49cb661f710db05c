"""Path globs for the config's ``include``, ``exclude``, ``extend-exclude`` and
``per-file-ignores``, matched as ``.gitignore`` matches them.

A pattern is matched against a file's path relative to its config's folder, with ``/``
separators. ``*`` and ``?`` stay within one folder name, ``[abc]`` is a character class, and a
``**`` part spans any number of folders (none included). A pattern with no ``/`` (other than a
trailing one) matches any name on the way, at any depth: ``node_modules`` excludes every
``node_modules`` folder, ``*.md`` every Markdown file. A pattern with a ``/`` is anchored at
the config's folder (``docs/*.md``, ``/README.md``). A pattern that matches a folder matches
everything below it. Matching is case-sensitive, as git's is.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple


class GlobError(ValueError):
    """A pattern that cannot be used: ``str()`` says why."""


class Glob(NamedTuple):
    """One compiled pattern: :meth:`matches` a relative ``/``-separated path."""

    pattern: str
    regex: re.Pattern[str]
    anchored: bool

    def matches(self, relative: str) -> bool:
        """Whether ``relative`` (a path from the config's folder) or a folder on its way is
        matched. A path leaving the folder (``../x``) is never matched by an anchored pattern;
        an unanchored one sees only the names below the folders it shares with it."""
        parts = relative.split("/")
        if self.anchored:
            return bool(relative) and parts[0] != ".." and any(
                self.regex.fullmatch("/".join(parts[:i])) for i in range(1, len(parts) + 1))
        return any(self.regex.fullmatch(part) for part in parts if part not in ("", "..", "."))


def _part(part: str) -> str:
    """The regular expression of one folder name's pattern."""
    out: list[str] = []
    i = 0
    while i < len(part):
        ch = part[i]
        if ch == "*":
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = part.find("]", i + 2 if part[i + 1:i + 2] in ("!", "^") else i + 1)
            if end == -1:
                out.append(re.escape(ch))
            else:
                inner = part[i + 1:end]
                negate = inner[:1] in ("!", "^")
                body = inner[1:] if negate else inner
                body = body.replace("\\", "\\\\").replace("[", "\\[")
                out.append(f"[{'^/' if negate else ''}{body}]")
                i = end
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


@functools.lru_cache(maxsize=512)
def compile_glob(pattern: str) -> Glob:
    """The compiled ``pattern``; :class:`GlobError` for an empty one, one with a ``..`` part
    (it could only name files outside the folder) or one that does not compile."""
    text = pattern.strip()
    if text.startswith("./"):
        text = "/" + text[2:]
    anchored = "/" in text.rstrip("/")
    text = text.strip("/")
    if not text:
        raise GlobError("an empty pattern matches nothing")
    parts = text.split("/")
    if ".." in parts:
        raise GlobError("a pattern cannot go up with '..'")
    if any(not part for part in parts):
        raise GlobError("a pattern cannot have an empty part ('//')")
    pieces: list[str] = []
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            pieces.append(".*" if last else "(?:[^/]+/)*")
        else:
            pieces.append(_part(part) + ("" if last else "/"))
    try:
        regex = re.compile("".join(pieces))
    except re.error as exc:
        raise GlobError(f"not a valid pattern: {exc}") from None
    return Glob(pattern, regex, anchored)


def matches_any(patterns: tuple[str, ...], relative: str) -> bool:
    """Whether one of ``patterns`` (valid: the config checked them) matches ``relative``."""
    return any(compile_glob(pattern).matches(relative) for pattern in patterns)
