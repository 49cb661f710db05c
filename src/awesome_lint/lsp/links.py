"""The link check of one buffer, on demand (the editor never goes to the network on its own):
its web links under its config's ``[links]`` policy, with the cache, as ``--links`` checks them.
The GitHub token and where it may go come from the environment, as on the command line."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence

from awesome_lint.config import link_policy
from awesome_lint.lsp.linting import Buffer, buffer_config
from awesome_lint.parse import parse
from awesome_lint.result import FileError
from awesome_lint.rule import Rule
from awesome_lint.session import FILE_ERRORS, file_error, web_links
from awesome_lint.urls import absolute
from awesome_lint.verdicts import LinkStatus


@dataclasses.dataclass(frozen=True)
class LinkCheck:
    """The statuses of the buffer's links (by absolute URL), the run's summary and warnings."""

    statuses: Mapping[str, LinkStatus]
    summary: str
    warnings: tuple[str, ...] = ()


def check_buffer_links(buffer: Buffer, rules: Sequence[type[Rule]], *,
                       allow_private: bool = False) -> LinkCheck | FileError:
    """Check the web links of ``buffer`` (blocking: run it in a worker thread);
    ``allow_private`` as ``--allow-private`` (the server's command line, never a config)."""
    from awesome_lint.budget import Budget
    from awesome_lint.links.api import check_urls, summary

    try:
        config = buffer_config(buffer, rules)
        with Budget(len(buffer.text.encode("utf-8", "surrogatepass")), what="find its links"):
            urls = {absolute(link.url) for link in web_links(parse(buffer.text, buffer.name))}
    except FILE_ERRORS as exc:
        return file_error(buffer.name, exc)
    configured = link_policy(config)
    policy = dataclasses.replace(
        configured, github_token=os.environ.get("GITHUB_TOKEN") or None,
        github_api=os.environ.get("AWESOME_LINT_GITHUB_API") or configured.github_api,
        allow_private=allow_private)
    folder = buffer.path.parent if buffer.path is not None else buffer.workspace
    report = check_urls(urls, policy, repositories=[folder] if folder else [],
                        canary=os.environ.get("AWESOME_LINT_NETWORK_CANARY") or None)
    if report.stats.offline:
        return FileError(buffer.name, f"network unavailable: {report.stats.offline} links "
                                      "not checked")
    return LinkCheck(report.statuses, summary(report.statuses, report.stats),
                     tuple(report.warnings))
