from datetime import UTC, datetime, timedelta

from oniondex.liveness import LivenessStore, SiteState, next_state

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def at(hours=0.0, days=0):
    return (NOW + timedelta(hours=hours, days=days)).isoformat(timespec="seconds")


def test_dead_sites_back_off_exponentially_up_to_a_week():
    state = SiteState("x.onion")
    waits = []
    for _ in range(12):
        state = next_state(state, "down", NOW)
        waits.append(datetime.fromisoformat(state.next_check) - NOW)
    assert waits[:3] == [timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=1)]
    assert waits[-1] == timedelta(days=7)
    assert state.failures == 12


def test_up_resets_failures_and_remembers_when():
    state = next_state(next_state(SiteState("x.onion"), "timeout", NOW), "up", NOW)
    assert (state.state, state.failures, state.last_seen_up, state.first_seen) == ("up", 0, at(), at())
    assert state.next_check == at(days=1)


def test_tor_outage_does_not_count_against_the_site():
    down = next_state(SiteState("x.onion"), "down", NOW)
    after = next_state(down, "tor_error", NOW)
    assert (after.state, after.failures) == ("down", 1)


def test_store_round_trip_and_due(tmp_path):
    store = LivenessStore(tmp_path / "sites.db")
    store.record("a.onion", "up", NOW)
    store.record("b.onion", "down", NOW)
    assert store.get("b.onion").failures == 1
    assert store.due(NOW + timedelta(minutes=20)) == ["b.onion"]
    assert store.due(NOW + timedelta(days=2)) == ["b.onion", "a.onion"]
    assert [s.site for s in store.all()] == ["a.onion", "b.onion"]
    store.close()
