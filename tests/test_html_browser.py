"""The HTML report in a real headless browser: Debian's Chromium (``.ci/run`` installs it).

What the page shows once rendered (the DOM after load: counts, the chart's bars, the sections)
and that it asks the network for nothing: Chromium's only proxy is a recorder on 127.0.0.1
(answering 502 to everything), so any request, the page's or a bug's, reaches it and no real
network. Chromium itself still connects to a few Google services at start-up, on an empty
page too (:data:`BROWSER_OWN`): those are left out, and a control page with one external image
shows that the page's own requests are seen.

Artefacts: ``html-report.png`` (a screenshot) and ``html-report.html`` under the folder
``$AWESOME_LINT_ARTIFACTS`` names (default: the test's pytest tmp path). Skipped only when
Chromium is missing outside CI; with ``CI`` set a missing Chromium fails.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from awesome_lint.report import html
from awesome_lint.result import RunResult
from test_html_report import HOSTILE, NOW, Page, health_result, record
from test_report import make

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),
                                reason="chromium is not installed (CI installs it)")
#: Where Chromium connects on its own, whatever the page (measured on an empty page).
BROWSER_OWN = (".google.com", ".googleapis.com", ".gstatic.com")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--no-pings",
         "--disable-features=MediaRouter,OptimizationHints,NetworkTimeServiceQuerying,"
         "Translate,PreconnectToSearch,NetworkPrediction")


class Recorder:
    """A proxy on 127.0.0.1 that records each request's first line and answers 502.

    Each connection is read in its own thread: Chromium also opens connections it never uses
    (preconnects), which must not hold up the others; those are counted in ``idle``.
    """

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.requests: list[str] = []
        self.idle = 0
        self.readers: list[threading.Thread] = []
        self.closed = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.server.settimeout(0.1)  # (a closed socket does not wake a blocked accept)
        while not self.closed.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            reader = threading.Thread(target=self._read, args=(conn,), daemon=True)
            self.readers.append(reader)
            reader.start()

    def _read(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(5)
            try:
                first = conn.recv(4096).split(b"\r\n", 1)[0]
            except OSError:
                first = b""
            if not first:
                self.idle += 1
                return
            self.requests.append(first.decode("latin-1"))
            with contextlib.suppress(OSError):
                conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")

    def page_requests(self) -> list[str]:
        """The requests, less Chromium's own to Google's services."""
        def host(line: str) -> str:
            target = line.split(" ")[1] if line.count(" ") >= 2 else line
            target = target.split("://", 1)[-1]
            return target.split("/", 1)[0].rsplit(":", 1)[0].lower()

        for reader in list(self.readers):  # (each ends within its 5 s read timeout)
            reader.join(10)
        return [line for line in self.requests if not host(line).endswith(BROWSER_OWN)]

    def close(self) -> None:
        self.closed.set()
        self.thread.join(5)
        self.server.close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    found = Recorder()
    yield found
    found.close()


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    where = Path(os.environ.get("AWESOME_LINT_ARTIFACTS") or tmp_path / "artifacts")
    where.mkdir(parents=True, exist_ok=True)
    return where


def chromium(page: Path, recorder: Recorder, profile: Path, *args: str) -> str:
    """Run Chromium on ``page`` with ``args`` (``--dump-dom``, ``--screenshot=...``); its
    standard output."""
    assert CHROMIUM is not None, "CI must have chromium (.ci/run installs it)"
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}",
         f"--proxy-server=http://127.0.0.1:{recorder.port}", "--proxy-bypass-list=<-loopback>",
         *args, page.as_uri()],
        capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_the_recorder_sees_a_page_that_loads_something(tmp_path: Path,
                                                       recorder: Recorder) -> None:
    control = tmp_path / "control.html"
    control.write_text('<!DOCTYPE html><img src="http://control.invalid/x.png">',
                       encoding="utf-8")
    chromium(control, recorder, tmp_path / "profile", "--dump-dom")
    assert [r for r in recorder.page_requests() if "control.invalid" in r], recorder.requests


def test_the_report_in_chromium(tmp_path: Path, recorder: Recorder, artifacts: Path) -> None:
    """Screenshot: ``html-report.png`` in ``$AWESOME_LINT_ARTIFACTS`` (default: tmp path)."""
    text = html.render(health_result(), NOW)
    assert "google" not in text.lower()  # (Chromium's own requests are told apart by host)
    report = artifacts / "html-report.html"
    report.write_text(text, encoding="utf-8")
    shot = artifacts / "html-report.png"
    shown = Page(chromium(report, recorder, tmp_path / "profile", "--dump-dom",
                          "--window-size=1200,2600", f"--screenshot={shot}"))
    assert recorder.page_requests() == []
    assert shown.find("title")[0].text == "awesome-lint report"
    assert shown.by_id("links-total").text == "8 links checked."
    verdicts = {e.attrs["data-verdict"]: e.text for e in shown.find("div")
                if "data-verdict" in e.attrs}
    assert verdicts["dead"] == "1dead" and verdicts["ok"] == "3ok" and len(verdicts) == 6
    bars = shown.find("rect", **{"class": "bar"})
    assert [b.attrs["data-count"] for b in bars] == ["1", "1", "0", "1", "1"]
    assert [e.text for e in shown.find("h2")] == [
        "Findings by severity", "Links by verdict", "Repository age",
        "Newly failing and recovered", "Suggested replacements (2)", "Health by section",
        "Findings"]
    assert "Old" in shown.by_id("sections").text
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(data[16:20], "big") == 1200  # the IHDR width


def test_hostile_input_stays_inert_in_chromium(tmp_path: Path, recorder: Recorder) -> None:
    attack = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='x'\">"
    links = [record(3, "dead", section=("List", attack), url="javascript:alert(1)",
                    replacement={"url": "javascript:alert(2)", "kind": "moved"}),
             record(4, "dead", url=f"https://x.example/{HOSTILE}",
                    replacement={"url": 'https://y.example/"onload="alert(5)', "kind": "moved"})]
    findings = [make(message=attack + HOSTILE, url="javascript:alert(3)", verdict="dead",
                     code="AL901", name="dead-link")]
    page = tmp_path / "hostile.html"
    page.write_text(html.render(RunResult(findings=findings, files=["README.md"], links=links),
                                NOW), encoding="utf-8")
    shown = Page(chromium(page, recorder, tmp_path / "profile", "--dump-dom"))
    assert recorder.page_requests() == []
    assert shown.find("title")[0].text == "awesome-lint report"  # no script ran
    assert not shown.find("script") and not shown.find("img")
    assert not [e for e in shown.elements for k in e.attrs if k.startswith("on")]
    hrefs = [a.attrs["href"] or "" for a in shown.find("a")]
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert attack in shown.by_id("sections").text  # shown as text
