import httpx
import pytest
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    StopDownload,
)
from socksio.exceptions import ProtocolError

from crawler.failures import classify_exception


def chained(outer, inner):
    try:
        try:
            raise inner
        except Exception as exc:
            raise outer from exc
    except Exception as exc:
        return exc


@pytest.mark.parametrize(
    ("exc", "state"),
    [
        (DownloadTimeoutError("slow"), "timeout"),
        (IgnoreRequest("cap"), "skipped"),
        (StopDownload(fail=True), "skipped"),
        (DownloadCancelledError("over DOWNLOAD_MAXSIZE"), "skipped"),
        # the proxy itself is gone: Tor is down, not the site
        (chained(DownloadConnectionRefusedError("x"), httpx.ConnectError("[Errno 111] refused")), "tor_error"),
        # Tor answered: the onion could not be reached
        (chained(DownloadConnectionRefusedError("x"), httpx.ProxyError("Proxy: HOST_UNREACHABLE.")), "down"),
        (chained(DownloadConnectionRefusedError("x"), httpx.ProxyError("Proxy: TTL_EXPIRED.")), "timeout"),
        # Tor's extended error codes (0xF0 descriptor not found …) that socksio cannot parse
        (chained(DownloadFailedError("x"), ProtocolError("Malformed reply")), "down"),
        (DownloadFailedError("something else"), "error"),
    ],
)
def test_classify(exc, state):
    assert classify_exception(exc) == state
