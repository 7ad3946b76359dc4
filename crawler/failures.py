"""What a failed fetch says about a site, read from the exception chain of Scrapy's httpx handler.

Through a SOCKS proxy the only TCP connection the handler opens is to the proxy, so a plain connect
error means Tor itself is unreachable (tor_error: pause and retry, never blame the site). Tor's own
answers come back as SOCKS replies: standard codes as httpx ProxyError messages, and the extended ones
of `SocksPort … ExtendedErrors` (0xF0-0xF7, all "the onion service could not be reached") as socksio's
"Malformed reply", because socksio knows only RFC 1928's codes. A SOCKS handshake that gets no reply at
all is Tor's failure, not the site's: a Tor client killed or restarting closes the connections of the
CONNECTs it was still working on (socksio reads that empty reply as a malformed one, or during the
username/password step as a refused login, though Tor accepts any credentials).
"""

from __future__ import annotations

import httpx
from scrapy.exceptions import DownloadCancelledError, DownloadTimeoutError, IgnoreRequest, StopDownload
from scrapy.spidermiddlewares.httperror import HttpError
from socksio.exceptions import ProtocolError

UP, DOWN, TIMEOUT, TOR_ERROR, ERROR, SKIPPED = "up", "down", "timeout", "tor_error", "error", "skipped"

# httpcore's texts for RFC 1928's reply codes ("Proxy Server could not connect: Host unreachable.").
_REPLY_STATES = {
    "Host unreachable": DOWN,
    "Network unreachable": DOWN,
    "Connection refused": DOWN,
    "General SOCKS server failure": DOWN,
    "TTL expired": TIMEOUT,
    "Connection not allowed by ruleset": ERROR,
}
# httpcore's message for a CONNECT that Tor answered with a standard code; its other ProxyErrors are the
# greeting's and the login's.
_CONNECT_REPLY = "could not connect"


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
            if _CONNECT_REPLY not in str(cause):
                return TOR_ERROR  # the greeting or login step failed: that is the proxy's, for every site
            return next((state for code, state in _REPLY_STATES.items() if code in str(cause)), DOWN)
        if isinstance(cause, ProtocolError) and "reply" in str(cause).lower():
            return DOWN if _is_extended_reply(cause) else TOR_ERROR
        if isinstance(cause, httpx.ConnectError):
            return TOR_ERROR
    return ERROR


def _is_extended_reply(error: ProtocolError) -> bool:
    """Tor answered with a reply code socksio does not know (0xF0-0xF7), not with nothing."""
    return any(isinstance(cause, ValueError) and "SOCKS5ReplyCode" in str(cause) for cause in _causes(error))


def explain_exception(exc: BaseException, redirects: int = 0) -> str:
    """A short reason for the crawl summary and the liveness store."""
    if isinstance(exc, HttpError):
        status = exc.response.status
        if 300 <= status < 400 and redirects:
            return f"redirect loop: HTTP {status} after {redirects} redirects"
        return f"HTTP {status}"
    for cause in _causes(exc):
        if isinstance(cause, ProtocolError) and "reply" in str(cause).lower() and _is_extended_reply(cause):
            return "Tor could not reach the onion service (descriptor not found or introduction failed)"
    return str(exc) or type(exc).__name__
