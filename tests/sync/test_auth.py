"""The sign-in: refreshed by itself when it runs out mid-sync, a new login asked for only
when the refresh token is refused, nothing dropped meanwhile, and no token in any log."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from offline.sync import LoginRequired, ServerTrouble, SyncState
from tests.sync.harness import CENTRE, PASSWORD, CaseServer, Counter


def test_an_access_token_that_expires_mid_sync_is_refreshed_and_the_sync_goes_on(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1", batch_size=5)
    for _ in range(20):
        counter.new_case()
    first = counter.tokens.load()
    batches = []

    def expire_after_two_batches(method: str, path: str) -> None:
        if (method, path) == ("POST", "/cases/batch"):
            batches.append(path)
            if len(batches) == 3:
                server.clock.advance(minutes=16)  # past the 15-minute access token

    server.faults.before_request = expire_after_two_batches
    report = counter.sync()

    assert report.push.acknowledged == 20 and counter.store.stats()["outbox_pending"] == 0
    now = counter.tokens.load()
    assert now is not None and first is not None
    assert now.refresh_token != first.refresh_token  # rotated, and the new one kept
    refreshes = [p for m, p, _ in server.faults.requests if p == "/auth/refresh"]
    assert refreshes == ["/auth/refresh"]
    assert counter.engine.status.state == SyncState.ONLINE


def test_a_refused_refresh_token_asks_for_login_and_keeps_everything(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    asked: list[str] = []
    counter = counters("officer1")
    counter.engine.hooks.on_login_required = asked.append
    made = [counter.new_case() for _ in range(3)]
    server.clock.advance(hours=25)  # past the whole sign-in's lifetime

    with pytest.raises(LoginRequired):
        counter.sync()

    assert counter.engine.status.state == SyncState.LOGIN_REQUIRED
    assert counter.engine.status.pending == 3 and counter.store.stats()["outbox_pending"] == 3
    assert asked and "sign in" in asked[0]

    counter.engine.sign_in(CENTRE, "officer1", PASSWORD)
    counter.sync()

    assert counter.store.stats()["outbox_pending"] == 0
    assert {server.case(c["id"])["id"] for c in made} == {c["id"] for c in made}


def test_a_failing_refresh_is_server_trouble_not_a_new_login(
    server: CaseServer, counters: Callable[..., Counter]
) -> None:
    counter = counters("officer1")
    counter.new_case()
    server.clock.advance(minutes=16)
    server.faults.arm("error-500", path="/auth/refresh")

    with pytest.raises(ServerTrouble):
        counter.sync()

    assert counter.engine.status.state == SyncState.OFFLINE
    counter.sync()  # the refresh token was never spent: it still works
    assert counter.store.stats()["outbox_pending"] == 0


def test_no_token_or_password_reaches_a_log(
    server: CaseServer, counters: Callable[..., Counter], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    counter = counters("officer1")
    counter.new_case()
    counter.engine.sign_in(CENTRE, "officer1", PASSWORD)
    server.clock.advance(minutes=16)
    counter.sync()
    tokens = counter.tokens.load()
    assert tokens is not None
    assert "/auth/refresh" in caplog.text  # the log did see the refresh happen
    for secret in (tokens.access_token, tokens.refresh_token, PASSWORD):
        assert secret not in caplog.text
        assert secret not in repr(tokens) and secret not in str(counter.engine.status)
