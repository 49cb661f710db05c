"""The Internet Archive's availability API: the latest archived copy of each gone link.

``GET {api}?url=URL`` answers ``{"archived_snapshots": {"closest": {"available": true, "url":
..., "timestamp": "YYYYMMDDhhmmss", "status": "200"}}}``, or ``{"archived_snapshots": {}}``
when there is no copy. A third-party call, made only when asked (``--suggest-archived``):
its own small concurrency, one attempt per URL with a timeout, answers capped in size, no
redirect followed, and the first refusal (429, 5xx) ends the lookups of the run. An answer is
used only when it names a copy of a 200 page, at an http(s) address of archive.org that is safe
to write into Markdown.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import aiohttp

from awesome_lint.links.plan import bounded
from awesome_lint.links.policy import LinkPolicy
from awesome_lint.links.running import run_collecting
from awesome_lint.links.safety import make_connector
from awesome_lint.urls import safe_markdown_url

__all__ = ["CONCURRENCY", "MAX_ANSWER_BYTES", "ArchiveAnswers", "BadAnswerError", "Copy", "look_up",
           "parse_answer"]

#: Requests to the archive in flight at once (it is one service, shared by everyone).
CONCURRENCY = 2
#: An availability answer is a few hundred bytes; more than this is not one.
MAX_ANSWER_BYTES = 64 * 1024
#: Seconds for one request, and for all of a run's lookups together.
TIMEOUT = 20.0
DEADLINE = 300.0
_ARCHIVE_HOST = "archive.org"


#: An archived copy: its address and when it was taken (``YYYYMMDDhhmmss``, UTC).
Copy = tuple[str, str]


class BadAnswerError(ValueError):
    """The archive's answer is not the documented shape (or not a copy we may write)."""


@dataclass
class ArchiveAnswers:
    """What the lookups found: a copy (or None: the archive has none) per URL answered;
    URLs not answered (an error, the deadline) are absent. ``problems``: one line each."""

    copies: dict[str, Copy | None] = field(default_factory=dict)
    requests: int = 0
    problems: list[str] = field(default_factory=list)


def parse_answer(body: bytes) -> Copy | None:
    """The copy named by an availability answer, None when it names none; raises
    :class:`BadAnswerError` for anything that is not a well-formed answer."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as exc:  # (UnicodeDecodeError is a ValueError)
        raise BadAnswerError("not JSON") from exc
    snapshots = data.get("archived_snapshots") if isinstance(data, dict) else None
    if not isinstance(snapshots, dict):
        raise BadAnswerError("no archived_snapshots object")
    closest = snapshots.get("closest")
    if closest is None:
        return None
    if not isinstance(closest, dict):
        raise BadAnswerError("closest is not an object")
    if closest.get("available") is not True or str(closest.get("status")) != "200":
        return None  # a copy of an error page is no replacement
    url = _archive_url(closest.get("url"))
    timestamp = closest.get("timestamp")
    if url is None:
        raise BadAnswerError("the copy's address is not an archive.org web address")
    if not (isinstance(timestamp, str) and len(timestamp) == 14 and timestamp.isascii()
            and timestamp.isdigit()):
        raise BadAnswerError("the copy's timestamp is not YYYYMMDDhhmmss")
    return url, timestamp


def _archive_url(value: object) -> str | None:
    """``value`` as a safe https address on archive.org (the API answers with http), or None."""
    url = safe_markdown_url(value) if isinstance(value, str) else None
    if url is None:
        return None
    host = urlsplit(url).hostname or ""
    if host != _ARCHIVE_HOST and not host.endswith("." + _ARCHIVE_HOST):
        return None
    return "https" + url[url.index(":"):] if url.startswith("http:") else url


def look_up(urls: Iterable[str], policy: LinkPolicy) -> ArchiveAnswers:
    """Ask ``policy.archive_api`` about each of ``urls`` (once each) and wait for the answers."""
    return run_collecting(_look_up(list(dict.fromkeys(urls)), bounded(policy)))


async def _look_up(urls: list[str], policy: LinkPolicy) -> ArchiveAnswers:
    answers = ArchiveAnswers()
    if not urls:
        return answers
    timeout = aiohttp.ClientTimeout(total=min(policy.timeout, TIMEOUT),
                                    sock_connect=min(policy.connect_timeout, TIMEOUT))
    gate = asyncio.Semaphore(CONCURRENCY)
    refused = asyncio.Event()
    async with aiohttp.ClientSession(
            connector=make_connector(allow_private=policy.allow_private, limit=CONCURRENCY),
            timeout=timeout, headers={"User-Agent": policy.user_agent,
                                      "Accept": "application/json",
                                      "Accept-Encoding": "identity"},
            cookie_jar=aiohttp.DummyCookieJar(), trust_env=policy.trust_env,
            auto_decompress=False) as session:

        async def one(url: str) -> None:
            async with gate:
                if refused.is_set():
                    return
                answers.requests += 1
                try:
                    answers.copies[url] = await _ask(session, policy.archive_api, url)
                except _RefusedError as exc:
                    refused.set()
                    answers.problems.append(str(exc))
                except (BadAnswerError, aiohttp.ClientError, asyncio.TimeoutError,
                        OSError) as exc:
                    answers.problems.append(f"{type(exc).__name__}: {exc}"[:200])

        tasks = [asyncio.ensure_future(one(url)) for url in urls]
        _, late = await asyncio.wait(tasks, timeout=min(policy.deadline, DEADLINE))
        for task in late:
            task.cancel()
        if late:
            answers.problems.append(f"{len(late)} lookups not finished in time")
            await asyncio.gather(*late, return_exceptions=True)
    return answers


class _RefusedError(Exception):
    """The archive refused or failed (429, 5xx): no more lookups this run."""


async def _ask(session: aiohttp.ClientSession, api: str, url: str) -> Copy | None:
    async with session.get(api, params={"url": url}, allow_redirects=False) as response:
        if response.status == 429 or response.status >= 500:
            raise _RefusedError(f"the archive answered HTTP {response.status}; "
                                "no more lookups this run")
        if response.status != 200:
            raise BadAnswerError(f"HTTP {response.status}")
        body = bytearray()
        async for chunk in response.content.iter_chunked(16 * 1024):
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise BadAnswerError(f"answer larger than {MAX_ANSWER_BYTES} bytes")
        return parse_answer(bytes(body))
