"""A baseline: today's findings recorded in a file, so that only new ones are reported.

For adopting the linter on a large legacy list: ``--write-baseline PATH`` records every finding
of the run, ``--baseline PATH`` (or the config key ``baseline``) hides the recorded ones. A
finding is recorded by its file (relative to the baseline's folder), its rule code and a
fingerprint of its line's content (whitespace-trimmed; none for a finding about the whole
file), with a count per (file, rule, fingerprint), as ESLint's bulk suppressions count per
(file, rule): moving lines around keeps them hidden, editing a line brings its finding back,
and when a (file, rule, fingerprint) occurs more often than recorded every one of them is
reported (which copy is the new one cannot be told; ``--diff`` then keeps the changed line's).
Entries that no longer occur are counted; ``--prune-baseline`` drops them (and never adds a
finding), ``--write-baseline`` re-records everything.

The file is JSON, ``{"version": 1, "tool": "awesome-lint", "files": {path: {code:
{fingerprint: count}}}}``, keys sorted, one entry a line: reviewable in a diff. It is read as a
list is (a regular file inside the repository, at most ``MAX_BYTES``), and with ``--diff BASE``
as it was committed at BASE: a pull request cannot add its own findings to the baseline.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from awesome_lint.findings import Finding
from awesome_lint.result import FileError, RunResult
from awesome_lint.rule import Phase, Rule
from awesome_lint.source import SourceError, read_bytes

if TYPE_CHECKING:
    from awesome_lint.at_base import BaseView

VERSION = 1

#: (file, rule code) -> fingerprint -> count
_Entries = dict[str, dict[str, dict[str, int]]]


class BaselineError(Exception):
    """A baseline file that cannot be used: ``str()`` is the one-line reason."""


@dataclass(frozen=True)
class BaselineOptions:
    """The command line's say: ``--baseline`` (else each file's config ``baseline``),
    ``--write-baseline``, ``--prune-baseline``, ``--no-baseline``."""

    path: Path | None = None
    write: Path | None = None
    prune: bool = False
    enabled: bool = True


def fingerprint(line: str) -> str:
    """The fingerprint of a line's content: whitespace-trimmed, hashed (16 hex digits)."""
    import hashlib  # (here: a run without a baseline does not import it)

    data = line.strip().encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:16]


def line_of(text: str, number: int) -> str:
    """Line ``number`` (1-based) of ``text``; "" past its end."""
    lines = text.split("\n")
    return lines[number - 1] if 1 <= number <= len(lines) else ""


def _content(finding: Finding, text: str) -> str:
    """What a finding's fingerprint is made of: its line's content, or "" for a finding about
    the whole file (the empty span at 1:1: a missing licence, contributing guide), which no
    line identifies."""
    span = finding.span
    if (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1):
        return ""
    return line_of(text, span.line)


def parse_baseline(data: bytes) -> _Entries:
    """The entries of a baseline file's bytes, or :class:`BaselineError`."""
    import json

    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BaselineError("not valid UTF-8") from None
    except (ValueError, RecursionError) as exc:
        raise BaselineError(f"not valid JSON ({exc})") from None
    if not isinstance(doc, dict):
        raise BaselineError("expected a JSON object")
    if doc.get("version") != VERSION or isinstance(doc.get("version"), bool):
        raise BaselineError(f"unsupported version {doc.get('version')!r} (expected {VERSION})")
    files = doc.get("files")
    if not isinstance(files, dict):
        raise BaselineError("'files' must be an object")
    entries: _Entries = {}
    for name, rules in files.items():
        if not isinstance(rules, dict):
            raise BaselineError(f"files.{name}: expected an object")
        for code, prints in rules.items():
            if not isinstance(prints, dict):
                raise BaselineError(f"files.{name}.{code}: expected an object")
            for print_, count in prints.items():
                if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                    raise BaselineError(f"files.{name}.{code}.{print_}: expected a count >= 1")
                entries.setdefault(name, {}).setdefault(code, {})[print_] = count
    return entries


def baseline_text(entries: _Entries) -> str:
    """The file's text for ``entries``: sorted keys, indented, ASCII, a final newline."""
    files = {name: {code: dict(sorted(rules[code].items())) for code in sorted(rules)
                    if rules[code]}
             for name, rules in sorted(entries.items())}
    doc = {"version": VERSION, "tool": "awesome-lint",
           "files": {name: rules for name, rules in files.items() if rules}}
    import json

    return json.dumps(doc, indent=2, ensure_ascii=True) + "\n"


def _count(entries: _Entries) -> int:
    return sum(n for rules in entries.values() for prints in rules.values()
               for n in prints.values())


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {plural or word + 's'}"


@dataclass
class _Baseline:
    """One baseline file in a run: its entries, and what this run found for each file."""

    path: Path
    entries: _Entries = field(default_factory=dict)
    usable: bool = True
    found: dict[str, dict[str, Counter[str]]] = field(default_factory=dict)
    ran: dict[str, set[str]] = field(default_factory=dict)  # file -> the codes that ran


class Baselines:
    """The baselines of one run: applied to each file's findings (after the suppression
    comments, before ``--diff`` keeps the changed lines), then written or pruned."""

    def __init__(self, options: BaselineOptions | None, result: RunResult, *,
                 diff_base: str | None = None, base_view: BaseView | None = None,
                 links: bool = False) -> None:
        self.options = options or BaselineOptions()
        self.result = result
        self.diff_base = diff_base
        self.links = links
        self.loaded: dict[Path, _Baseline] = {}
        self.base_view = base_view  # --diff: the run's view of BASE

    def apply(self, path: Path, config_baseline: Path | None, text: str,
              enabled: Sequence[type[Rule]], findings: list[Finding]) -> list[Finding]:
        """``findings`` of the file at ``path`` (whose text is ``text``) without those its
        baseline records; with ``--write-baseline``, all of them are recorded and hidden."""
        options = self.options
        where = options.write or (options.path or config_baseline if options.enabled else None)
        if where is None:
            return findings
        baseline = self._load(where)
        name = self._key(path, baseline.path)
        ran = self._ran(enabled)
        keys = [(f.code, fingerprint(_content(f, text))) for f in findings]
        counts = Counter(keys)
        baseline.found[name] = {}
        baseline.ran[name] = ran
        for (code, print_), n in counts.items():
            if code in ran:
                baseline.found[name].setdefault(code, Counter())[print_] = n
        if options.write is not None:
            self.result.baselined += len(findings)
            return []
        if not baseline.usable:
            return findings
        recorded = baseline.entries.get(name, {})
        kept = [f for f, (code, print_) in zip(findings, keys, strict=True)
                if counts[code, print_] > recorded.get(code, {}).get(print_, 0)]
        self.result.baselined += len(findings) - len(kept)
        return kept

    def finish(self) -> None:
        """Write (``--write-baseline``) or prune (``--prune-baseline``) the baselines, or note
        how many of their entries no longer occur."""
        gone_total = 0
        if self.options.write is not None:
            self._load(self.options.write)  # (also with no file linted: an empty baseline)
        for baseline in self.loaded.values():
            if self.options.write is not None:
                self._write(baseline, self._merged(baseline, prune=False))
                self.result.notes.append(
                    f"Wrote {_plural(_count(baseline.entries), 'finding')} to the baseline "
                    f"{baseline.path}")
                continue
            if not baseline.usable:
                continue
            gone = _count(baseline.entries) - _count(self._merged(baseline, prune=True))
            if gone and self.options.prune:
                self._write(baseline, self._merged(baseline, prune=True))
                self.result.notes.append(f"Pruned {_plural(gone, 'entry', 'entries')} that no "
                                         f"longer occur from the baseline {baseline.path}")
            gone_total += gone
        if gone_total and not self.options.prune:
            entries = _plural(gone_total, "baseline entry", "baseline entries")
            verb = "occurs" if gone_total == 1 else "occur"
            self.result.notes.append(f"{entries} no longer {verb}: run --prune-baseline to "
                                     "prune them")

    # --- helpers ------------------------------------------------------------------------------

    def _ran(self, enabled: Sequence[type[Rule]]) -> set[str]:
        """The codes whose findings this run knows in full for a file: link rules only with
        ``--links`` over whole files (``--diff`` checks the changed lines' links only)."""
        complete_links = self.links and self.diff_base is None
        return {r.code for r in enabled if r.phase is not Phase.LINKS or complete_links}

    @staticmethod
    def _key(path: Path, baseline: Path) -> str:
        """``path`` relative to the baseline's folder, with '/'."""
        try:
            rel = os.path.relpath(path.absolute(), baseline.absolute().parent)
        except ValueError:  # another drive (Windows)
            rel = str(path.absolute())
        return rel.replace(os.sep, "/")

    def _merged(self, baseline: _Baseline, *, prune: bool) -> _Entries:
        """The entries after this run: for each linted file and rule that ran, what was found
        (``prune``: at most what was recorded, never more); everything else as it was."""
        merged: _Entries = {name: {code: dict(prints) for code, prints in rules.items()}
                            for name, rules in baseline.entries.items()}
        for name, found in baseline.found.items():
            rules = merged.setdefault(name, {})
            for code in [c for c in rules if c in baseline.ran[name]]:
                del rules[code]
            for code, prints in found.items():
                old = baseline.entries.get(name, {}).get(code, {})
                counts = {p: min(n, old.get(p, 0)) if prune else n for p, n in prints.items()}
                rules[code] = {p: n for p, n in counts.items() if n > 0}
        return merged

    def _load(self, where: Path) -> _Baseline:
        key = Path(os.path.normpath(where.absolute()))
        if key in self.loaded:
            return self.loaded[key]
        baseline = _Baseline(where)
        self.loaded[key] = baseline
        try:
            data = self._read(where)
            if data is not None:
                baseline.entries = parse_baseline(data)
        except (BaselineError, SourceError) as exc:
            message = exc.message if isinstance(exc, SourceError) else str(exc)
            if self.options.write is not None:  # re-recorded from scratch
                if not isinstance(exc, SourceError) or message != "no such file":
                    self.result.warnings.append(f"baseline {where}: {message}; rewritten")
            else:
                baseline.usable = False
                self.result.errors.append(FileError(str(where), f"baseline: {message}"))
        return baseline

    def _read(self, where: Path) -> bytes | None:
        """The baseline's bytes: at BASE with ``--diff`` (None, with a warning, when it was not
        committed there), else from the disk (never ``--write-baseline``'s, from BASE)."""
        if self.diff_base is None or self.options.write is not None:
            return read_bytes(where, str(where))
        from awesome_lint.changed import ChangedLinesError

        try:
            data = self._base().blob(where)
        except ChangedLinesError:  # outside any repository: not the change's to edit
            return read_bytes(where, str(where))
        if data is None:
            self.result.warnings.append(f"baseline {where}: not committed at {self.diff_base}; "
                                        "every finding is reported")
            return None
        return data

    def _base(self) -> BaseView:
        """The run's view of BASE (the merge base ``--diff`` compares with); one of its own
        when the caller gave none."""
        if self.base_view is None:
            from awesome_lint.at_base import BaseView
            from awesome_lint.changed import ChangedLines

            assert self.diff_base is not None
            self.base_view = BaseView(ChangedLines(self.diff_base))
        return self.base_view

    def _write(self, baseline: _Baseline, entries: _Entries) -> None:
        text = baseline_text(entries)
        baseline.entries = entries
        target = baseline.path
        temporary = target.with_name(f".{target.name}.awesome-lint-tmp")
        try:
            temporary.write_text(text, encoding="utf-8", newline="\n")
            temporary.replace(target)
        except OSError as exc:
            temporary.unlink(missing_ok=True)
            self.result.errors.append(FileError(str(target), "baseline: cannot write: "
                                                f"{exc.strerror or exc}"))
