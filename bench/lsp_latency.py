#!/usr/bin/env python3
"""Time ``awesome-lint-lsp`` from ``didChange`` to ``publishDiagnostics`` on a large list, and
its memory after 10 and after 100 lints.

The server runs as a subprocess over stdio (``python -m awesome_lint.lsp``), driven by a
minimal JSON-RPC client written here (stdlib only). The list (default: awesome-go from the
corpus) is opened once; then each change types or deletes one character at the end of a line
in the middle of the file, and the wall time until the diagnostics of that version arrive is
recorded. That time includes the debounce pause (``--debounce``, reported separately), the
whole-document lint in the worker thread, the conversion to LSP diagnostics and their JSON.

Memory: the server's resident set (``/proc/PID/status`` VmRSS) after lint 10 and after lint
100 (issue 15's bound: at most 10 MB more).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_LIST = REPO_ROOT.parent / "shared" / "corpus" / "avelino__awesome-go.md"


class Client:
    """Just enough of an LSP client: send messages, read them until one matches."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.stdin: IO[bytes] = self.process.stdin
        self.stdout: IO[bytes] = self.process.stdout
        self.next_id = 0

    def send(self, method: str, params: Any, *, request: bool = False) -> int | None:
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        ident = None
        if request:
            self.next_id += 1
            ident = message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
        self.stdin.flush()
        return ident

    def read(self) -> dict[str, Any]:
        length = 0
        while (line := self.stdout.readline().strip()):
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        message: dict[str, Any] = json.loads(self.stdout.read(length))
        return message

    def until(self, method: str | None = None, ident: int | None = None,
              version: int | None = None) -> dict[str, Any]:
        while True:
            message = self.read()
            if ident is not None and message.get("id") == ident and "method" not in message:
                return message
            if method is not None and message.get("method") == method and (
                    version is None or message["params"].get("version") == version):
                return message

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        kb = next(int(line.split()[1]) for line in status.splitlines()
                  if line.startswith("VmRSS:"))
        return kb / 1024

    def cpu_seconds(self) -> float:
        """The server's CPU time so far (user + system, all its threads)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text(encoding="utf-8")
        utime, stime = fields.rpartition(")")[2].split()[11:13]
        return (int(utime) + int(stime)) / os.sysconf("SC_CLK_TCK")

    def close(self) -> int:
        self.until(ident=self.send("shutdown", None, request=True))
        self.send("exit", None)
        return self.process.wait(timeout=60)


def measure(path: Path, debounce: float, changes: int) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        readme = Path(folder) / "README.md"
        shutil.copyfile(path, readme)
        client = Client([sys.executable, "-m", "awesome_lint.lsp", "--debounce", str(debounce)],
                        Path(folder))
        uri = readme.as_uri()
        client.until(ident=client.send("initialize", {
            "processId": None, "rootUri": Path(folder).as_uri(), "capabilities": {}},
            request=True))
        client.send("initialized", {})
        started = time.perf_counter()
        client.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text}})
        opened = client.until("textDocument/publishDiagnostics", version=1)
        open_seconds = time.perf_counter() - started
        lines = text.split("\n")
        line = len(lines) // 2
        end = len(lines[line].encode("utf-16-le")) // 2
        times: list[float] = []
        cpu: list[float] = []
        rss: dict[int, float] = {}
        for version in range(2, changes + 2):
            at = {"line": line, "character": end}
            change = ({"range": {"start": at, "end": at}, "text": "x"} if version % 2 == 0
                      else {"range": {"start": at, "end": {"line": line, "character": end + 1}},
                            "text": ""})
            started, cpu_started = time.perf_counter(), client.cpu_seconds()
            client.send("textDocument/didChange", {
                "textDocument": {"uri": uri, "version": version}, "contentChanges": [change]})
            client.until("textDocument/publishDiagnostics", version=version)
            times.append(time.perf_counter() - started)
            cpu.append(client.cpu_seconds() - cpu_started)
            if version - 1 in (10, 100):
                rss[version - 1] = client.rss_mb()
        status = client.close()
    return {"file": path.name, "bytes": len(text.encode("utf-8")), "debounce": debounce,
            "diagnostics": len(opened["params"]["diagnostics"]),
            "open_seconds": open_seconds, "changes": len(times),
            "median": statistics.median(times), "min": min(times), "max": max(times),
            "cpu_median": statistics.median(cpu), "load": os.getloadavg()[0],
            "rss_after_10": rss.get(10), "rss_after_100": rss.get(100), "exit": status}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_LIST)
    parser.add_argument("--debounce", type=float, action="append",
                        help="pause(s) to measure with (default: 0 and 0.25)")
    parser.add_argument("--changes", type=int, default=100,
                        help="lints after the open (default 100: memory after 10 and 100)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    results = [measure(args.file, d, args.changes) for d in args.debounce or [0.0, 0.25]]
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    for r in results:
        grew = (r["rss_after_100"] - r["rss_after_10"]
                if r["rss_after_100"] is not None and r["rss_after_10"] is not None else None)
        print(f"{r['file']} ({r['bytes'] / 1e3:.0f} kB, {r['diagnostics']} diagnostics), "
              f"debounce {r['debounce']:g} s: didOpen -> diagnostics {r['open_seconds']:.3f} s; "
              f"didChange -> diagnostics over {r['changes']} changes: median "
              f"{r['median'] * 1e3:.0f} ms, min {r['min'] * 1e3:.0f} ms, max "
              f"{r['max'] * 1e3:.0f} ms (minus the debounce: median "
              f"{(r['median'] - r['debounce']) * 1e3:.0f} ms; server CPU per change: median "
              f"{r['cpu_median'] * 1e3:.0f} ms; load {r['load']:.1f}); RSS after 10 lints "
              f"{r['rss_after_10'] or 0:.1f} MB, after 100 {r['rss_after_100'] or 0:.1f} MB"
              + (f" ({grew:+.1f} MB)" if grew is not None else "") + f"; exit {r['exit']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
