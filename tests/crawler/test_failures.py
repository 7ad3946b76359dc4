import socket
import threading

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

from crawler.failures import classify_exception, explain_exception

ONION = "http://fb3pditshtpb5mtd3up7jesycmhitaxagrlobbvz4cgabhzjnefoqgqd.onion/"
OK_REPLY = b"\x05\x00\x00\x01" + bytes(6)  # CONNECT succeeded; the reply's code is the second byte


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
        (DownloadFailedError("something else"), "error"),
    ],
)
def test_classify(exc, state):
    assert classify_exception(exc) == state


def socks_failure(answers: list[bytes], login: bool = False) -> Exception:
    """What httpx raises when a SOCKS5 proxy on loopback sends these answers, one per step, then closes
    the connection (the greeting, the login if any, the CONNECT)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        conn, _ = listener.accept()
        with conn, listener:
            for answer in answers:
                conn.recv(512)
                conn.sendall(answer)
            if len(answers) < (3 if login else 2):
                conn.recv(512)  # the next step's request, left unanswered: the connection closes

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    auth = "site:x@" if login else ""
    with httpx.Client(proxy=f"socks5h://{auth}127.0.0.1:{listener.getsockname()[1]}", trust_env=False) as client:
        try:
            client.get(ONION, timeout=10)
        except Exception as exc:  # httpx passes socksio's ProtocolError through unwrapped
            return chained(DownloadFailedError(str(exc)), exc)
        finally:
            thread.join(10)
    raise AssertionError("the request succeeded")


@pytest.mark.parametrize(
    ("answers", "login", "state"),
    [
        # Tor answered: the onion could not be reached (a standard code, and the extended 0xF0 and 0xF2
        # that socksio cannot parse)
        ([b"\x05\x00", b"\x05\x04" + OK_REPLY[2:]], False, "down"),
        ([b"\x05\x00", b"\x05\x06" + OK_REPLY[2:]], False, "timeout"),
        ([b"\x05\x00", b"\x05\xf0" + OK_REPLY[2:]], False, "down"),
        ([b"\x05\x02", b"\x01\x00", b"\x05\xf2" + OK_REPLY[2:]], True, "down"),
        # Tor went away mid-handshake (killed, restarting): no reply is Tor's failure, not the site's
        ([b"\x05\x00"], False, "tor_error"),
        ([b"\x05\x02"], True, "tor_error"),
        ([], False, "tor_error"),
    ],
)
def test_classify_what_a_socks_proxy_answered(answers, login, state):
    assert classify_exception(socks_failure(answers, login)) == state


def test_only_an_extended_reply_is_explained_as_an_unreachable_onion():
    dead = socks_failure([b"\x05\x00", b"\x05\xf0" + OK_REPLY[2:]])
    cut = socks_failure([b"\x05\x00"])
    assert "descriptor not found" in explain_exception(dead)
    assert "descriptor not found" not in explain_exception(cut)
