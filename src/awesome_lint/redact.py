"""Secrets out of every URL we print, log or store: userinfo and secret-looking query values.

Pure (no network library): rules, reporters and the link checker all use it.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

REDACTED = "***"

_SECRET_KEYS = frozenset(
    {
        "token", "accesstoken", "refreshtoken", "idtoken", "authtoken", "privatetoken",
        "apikey", "apitoken", "key", "accesskey", "secretkey", "privatekey",
        "secret", "clientsecret", "password", "passwd", "pwd", "pass", "passphrase",
        "auth", "authorization", "sig", "signature", "session", "sessionid", "sid",
        "code", "jwt", "bearer", "credential", "credentials", "ticket",
        "xamzsignature", "xamzcredential", "xamzsecuritytoken",
        "xgoogsignature", "xgoogcredential",
    }
)  # fmt: skip
# The last word of a separated key (github_token, x-api-signature) also counts.
_SECRET_LAST_WORDS = frozenset(
    {"token", "secret", "password", "passwd", "signature", "credential", "apikey"}
)

_AUTHORITY = re.compile(r"^(?P<prefix>(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)(?P<authority>[^/?#]*)")
_URL_IN_TEXT = re.compile(r"""(?:[A-Za-z][A-Za-z0-9+.-]*:)?//[^\s<>"'`]+""")
_TRAILING = ".,;:!?)]}"


def _is_secret_key(raw_key: str) -> bool:
    key = unquote_plus(raw_key).strip().lower()
    if key.replace("-", "").replace("_", "").replace(".", "") in _SECRET_KEYS:
        return True
    words = [w for w in re.split(r"[-_.]", key) if w]
    return len(words) > 1 and words[-1] in _SECRET_LAST_WORDS


def _redact_params(part: str) -> str:
    pieces = re.split(r"([&;])", part)
    for i in range(0, len(pieces), 2):
        key, eq, value = pieces[i].partition("=")
        if eq and value and _is_secret_key(key):
            pieces[i] = f"{key}={REDACTED}"
    return "".join(pieces)


def redact_url(url: str) -> str:
    """``url`` with any userinfo and secret-looking query (and fragment) values replaced by
    ``***``; every other character is kept as written (no re-encoding)."""
    match = _AUTHORITY.match(url)
    if match is not None and "@" in match["authority"]:
        userinfo, _, hostport = match["authority"].rpartition("@")
        if userinfo:
            url = f"{match['prefix']}{REDACTED}@{hostport}{url[match.end() :]}"
    head, hash_, fragment = url.partition("#")
    base, question, query = head.partition("?")
    if question:
        head = f"{base}?{_redact_params(query)}"
    if hash_ and "=" in fragment:
        fragment = _redact_params(fragment)
    return f"{head}{hash_}{fragment}"


def _redact_match(match: re.Match[str]) -> str:
    found = match.group(0)
    stripped = found.rstrip(_TRAILING)
    return redact_url(stripped) + found[len(stripped) :]


def redact_text(text: str) -> str:
    """``text`` (a log line, an exception message) with every URL in it passed through
    :func:`redact_url`."""
    return _URL_IN_TEXT.sub(_redact_match, text)
