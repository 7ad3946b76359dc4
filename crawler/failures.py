"""What a failed fetch says about a site, read from the exception chain of Scrapy's httpx handler.

Through a SOCKS proxy the only TCP connection the handler opens is to the proxy, so a plain connect
error means Tor itself is unreachable (tor_error: pause and retry, never blame the site). Tor's own
answers come back as SOCKS replies: standard codes as httpx ProxyError messages, and the extended ones
of `SocksPort … ExtendedErrors` (0xF0-0xF7, all "the onion service could not be reached") as socksio's
"Malformed reply", because socksio knows only RFC 1928's codes.
"""

from __future__ import annotations

import httpx
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, StopDownload
from scrapy.spidermiddlewares.httperror import HttpError
from socksio.exceptions import ProtocolError

UP, DOWN, TIMEOUT, TOR_ERROR, ERROR, SKIPPED = "up", "down", "timeout", "tor_error", "error", "skipped"

_REPLY_STATES = {
    "HOST_UNREACHABLE": DOWN,
    "NETWORK_UNREACHABLE": DOWN,
    "CONNECTION_REFUSED": DOWN,
    "GENERAL_SERVER_FAILURE": DOWN,
    "TTL_EXPIRED": TIMEOUT,
    "CONNECTION_NOT_ALLOWED_BY_RULESET": ERROR,
}


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 20:
        chain.append(current)
        current = current.__cause__ or current.__context__
    return chain


def classify_exception(exc: BaseException) -> str:
    """up, down, timeout, tor_error, error or skipped."""
    if isinstance(exc, HttpError):
        return UP  # the site answered, with an error status
    if isinstance(exc, IgnoreRequest | StopDownload | DownloadCancelledError):
        return SKIPPED  # our own caps and filters: not text, over the size cap, over the page cap
    if isinstance(exc, DownloadTimeoutError):
        return TIMEOUT
    for cause in _causes(exc):
        if isinstance(cause, httpx.ProxyError):
            return next((state for code, state in _REPLY_STATES.items() if code in str(cause)), DOWN)
        if isinstance(cause, ProtocolError) and "reply" in str(cause).lower():
            return DOWN
        if isinstance(cause, httpx.ConnectError):
            return TOR_ERROR
    return ERROR


def explain_exception(exc: BaseException, redirects: int = 0) -> str:
    """A short reason for the crawl summary and the liveness store."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        if 300 <= status < 400 and redirects:
            return f"redirect loop: HTTP {status} after {redirects} redirects"
        return f"HTTP {status}"
    for cause in _causes(exc):
        if isinstance(cause, ProtocolError) and "reply" in str(cause).lower():
            return "Tor could not reach the onion service (descriptor not found or introduction failed)"
    return str(exc) or type(exc).__name__
