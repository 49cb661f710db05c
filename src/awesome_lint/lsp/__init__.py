"""``awesome-lint-lsp``: the language server (over stdio), with the ``lsp`` extra (pygls).

Diagnostics as you type (debounced, the whole buffer re-linted in memory), quick fixes, "fix all
safe", "disable for this line", the rule's page on hover, and the link check on demand (the
``awesome-lint.checkLinks`` command). Nothing here is imported by the command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import awesome_lint

_MISSING = ("awesome-lint-lsp: the language server needs pygls: "
            "pip install 'awesome-lint[lsp]'")


def main(argv: Sequence[str] | None = None) -> None:
    """Serve the client on standard input and output until it says ``exit``."""
    parser = argparse.ArgumentParser(prog="awesome-lint-lsp",
                                     description="The awesome-lint language server.")
    parser.add_argument("--stdio", action="store_true",
                        help="talk over standard input and output (the default and only way)")
    parser.add_argument("--debounce", type=float, default=None, metavar="SECONDS",
                        help="pause after the last change before linting again (0.25)")
    parser.add_argument("--allow-private", action="store_true",
                        help="let the link check fetch private and loopback addresses")
    parser.add_argument("--version", action="version",
                        version=f"awesome-lint-lsp {awesome_lint.__version__}")
    args = parser.parse_args(argv)
    if args.debounce is not None and not 0 <= args.debounce <= 10:
        parser.error("--debounce: between 0 and 10 seconds")
    try:
        from awesome_lint.lsp.server import DEBOUNCE, AwesomeLintServer
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name).startswith("pygls."):
            raise
        sys.exit(_MISSING)
    from awesome_lint.registry import load_rules

    server = AwesomeLintServer(load_rules(), DEBOUNCE if args.debounce is None
                               else args.debounce, allow_private=args.allow_private)
    server.start_io()
    sys.exit(server.exit_status)
