"""IsolateSOCKSAuth: different SOCKS usernames ride different circuits, as Tor's control port shows."""

from __future__ import annotations

import time

import pytest

from oniondex.tornet import TorNet
from oniondex.tornet.control import ControlConnection, Event
from tests.tor.conftest import tor_client

pytestmark = pytest.mark.tor


def _succeeded_streams(control: ControlConnection, wanted: int, timeout: float = 10.0) -> list[Event]:
    """STREAM … SUCCEEDED events (`STREAM <id> SUCCEEDED <circuit> <target> …`) to port 80."""
    found: list[Event] = []
    deadline = time.monotonic() + timeout
    while len(found) < wanted and time.monotonic() < deadline:
        event = control.next_event(0.2)
        if event and event.type == "STREAM" and event.args[1] == "SUCCEEDED" and event.args[3].endswith(":80"):
            found.append(event)
    return found


def _circuit_usernames(control: ControlConnection) -> dict[str, str]:
    """Circuit id -> SOCKS_USERNAME, from GETINFO circuit-status."""
    status = control.get_info("circuit-status")["circuit-status"]
    circuits = {}
    for line in status.splitlines():
        keywords = Event(f"CIRC {line}").keywords()
        if "SOCKS_USERNAME" in keywords:
            circuits[line.split(" ", 1)[0]] = keywords["SOCKS_USERNAME"]
    return circuits


def test_two_usernames_two_circuits_same_site(tornet: TorNet) -> None:
    site = tornet.onion_names[0]
    with tornet.controller() as control:
        control.set_events("STREAM")
        for username in ("alice", "bob"):
            with tor_client(tornet, username) as client:
                assert client.get(f"http://{site}/").status_code == 200
        streams = _succeeded_streams(control, 2)
        usernames = _circuit_usernames(control)
    assert len(streams) == 2
    by_user = {e.keywords()["SOCKS_USERNAME"]: e.args[2] for e in streams}
    assert set(by_user) == {"alice", "bob"}
    assert by_user["alice"] != by_user["bob"]
    assert usernames[by_user["alice"]] == "alice"
    assert usernames[by_user["bob"]] == "bob"


def test_two_sites_two_usernames_two_circuits(tornet: TorNet) -> None:
    first, second = tornet.onion_names[:2]
    with tornet.controller() as control:
        control.set_events("STREAM")
        with tor_client(tornet, "site-one") as one, tor_client(tornet, "site-two") as two:
            assert one.get(f"http://{first}/").status_code == 200
            assert two.get(f"http://{second}/").status_code == 200
        streams = _succeeded_streams(control, 2)
    circuits = {e.args[3].split(":")[0]: e.args[2] for e in streams}
    assert set(circuits) == {first, second}
    assert circuits[first] != circuits[second]
