"""Signing in and staying signed in: argon2 passwords, short access tokens, rotating
refresh tokens whose reuse revokes the sign-in, and disabled users stopped at once."""

from __future__ import annotations

from sqlalchemy import select

from counterdesk_server.db.models import User
from tests.server.harness import PASSWORD, Api


def test_sign_in_returns_tokens_and_the_user(api: Api) -> None:
    api.add_centre()
    tokens = api.login("JX-NANHU", "officer1")
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["refresh_expires_in"] == 12 * 3600
    assert tokens["user"] == {"username": "officer1", "role": "officer", "centre": "JX-NANHU"}
    me = api.client(tokens["access_token"]).get("/auth/me")
    assert me.status_code == 200
    assert me.json()["username"] == "officer1"


def test_passwords_are_stored_as_argon2_hashes(api: Api) -> None:
    api.add_centre()
    with api.ctx.db.reading() as session:
        stored = session.scalar(select(User.password_hash).where(User.username == "officer1"))
    assert stored is not None and stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_wrong_password_unknown_user_or_centre_are_the_same_401(api: Api) -> None:
    api.add_centre()
    anonymous = api.client()
    answers = [
        anonymous.post("/auth/token", json={"centre": c, "username": u, "password": p})
        for c, u, p in [
            ("JX-NANHU", "officer1", "wrong-password"),
            ("JX-NANHU", "nobody", PASSWORD),
            ("NO-SUCH", "officer1", PASSWORD),
        ]
    ]
    assert {a.status_code for a in answers} == {401}
    assert len({a.json()["error"] for a in answers}) == 1


def test_requests_without_a_valid_token_are_401(api: Api) -> None:
    api.add_centre()
    assert api.client().get("/auth/me").status_code == 401
    forged = api.client("not.a.token").get("/auth/me")
    assert forged.status_code == 401
    assert forged.headers["www-authenticate"] == "Bearer"
    assert "error" in forged.json()


def test_access_token_expires_on_the_server_clock(api: Api) -> None:
    centre = api.add_centre()
    assert centre.officer.get("/auth/me").status_code == 200
    api.clock.advance(minutes=14, seconds=59)
    assert centre.officer.get("/auth/me").status_code == 200
    api.clock.advance(seconds=1)
    expired = centre.officer.get("/auth/me")
    assert expired.status_code == 401
    assert "expired" in expired.json()["error"]


def test_refresh_rotates_and_a_reused_token_revokes_the_family(api: Api) -> None:
    api.add_centre()
    first = api.login("JX-NANHU", "officer1")
    anonymous = api.client()
    second = anonymous.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    second_tokens = second.json()
    assert second_tokens["refresh_token"] != first["refresh_token"]
    third = anonymous.post("/auth/refresh", json={"refresh_token": second_tokens["refresh_token"]})
    assert third.status_code == 200
    # The first token again: stolen or replayed. The whole sign-in ends...
    reused = anonymous.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reused.status_code == 401
    assert "already used" in reused.json()["error"]
    # ...including the newest refresh token of that family.
    latest = third.json()["refresh_token"]
    assert anonymous.post("/auth/refresh", json={"refresh_token": latest}).status_code == 401
    # Another sign-in of the same user is not affected.
    other = api.login("JX-NANHU", "officer1")
    assert (
        anonymous.post("/auth/refresh", json={"refresh_token": other["refresh_token"]}).status_code
        == 200
    )


def test_a_counter_stays_signed_in_through_a_shift_by_refreshing(api: Api) -> None:
    api.add_centre()
    tokens = api.login("JX-NANHU", "officer1")
    anonymous = api.client()
    for _ in range(12 * 4):  # a twelve-hour shift, refreshing every quarter of an hour
        api.clock.advance(minutes=15)
        answer = anonymous.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert answer.status_code == 200, answer.text
        tokens = answer.json()
        assert api.client(tokens["access_token"]).get("/auth/me").status_code == 200


def test_a_sign_in_ends_after_the_maximum_session_age(api: Api) -> None:
    api.add_centre()
    tokens = api.login("JX-NANHU", "officer1")
    anonymous = api.client()
    for _ in range(2 * 24):  # refreshing every half hour does not make it last for ever
        api.clock.advance(minutes=30)
        answer = anonymous.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        if answer.status_code == 401:
            break
        tokens = answer.json()
    assert answer.status_code == 401
    assert tokens["expires_in"] <= 30 * 60


def test_refresh_token_expires_when_not_used(api: Api) -> None:
    api.add_centre()
    tokens = api.login("JX-NANHU", "officer1")
    api.clock.advance(hours=12)
    answer = api.client().post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert answer.status_code == 401


def test_disabling_a_user_stops_their_tokens_at_once(api: Api) -> None:
    centre = api.add_centre()
    refresh_token = centre.tokens["officer1"]["refresh_token"]
    assert centre.officer.get("/cases").status_code == 200
    answer = centre.admin.patch("/officers/officer1", json={"active": False})
    assert answer.status_code == 200
    assert answer.json()["active"] is False
    assert centre.officer.get("/cases").status_code == 401
    assert (
        api.client().post("/auth/refresh", json={"refresh_token": refresh_token}).status_code == 401
    )
    bad = api.client().post(
        "/auth/token", json={"centre": "JX-NANHU", "username": "officer1", "password": PASSWORD}
    )
    assert bad.status_code == 401
    # Enabled again, they sign in afresh; old tokens stay dead.
    assert centre.admin.patch("/officers/officer1", json={"active": True}).status_code == 200
    assert centre.officer.get("/cases").status_code == 401
    assert (
        api.client(api.login("JX-NANHU", "officer1")["access_token"]).get("/cases").status_code
        == 200
    )


def test_a_new_role_takes_effect_at_once(api: Api) -> None:
    centre = api.add_centre()
    assert centre.admin.patch("/officers/officer2", json={"role": "trainee"}).status_code == 200
    assert centre.officer2.get("/cases").status_code == 401
    as_trainee = api.client(api.login("JX-NANHU", "officer2")["access_token"])
    assert as_trainee.get("/cases").status_code == 403


def test_logout_ends_the_sign_in(api: Api) -> None:
    api.add_centre()
    tokens = api.login("JX-NANHU", "officer1")
    anonymous = api.client()
    assert (
        anonymous.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code
        == 204
    )
    answer = anonymous.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert answer.status_code == 401


def test_sign_in_is_audited(api: Api) -> None:
    centre = api.add_centre()
    events = centre.supervisor.get("/audit", params={"action": "auth.login"}).json()["events"]
    assert {e["actor"] for e in events} >= {"officer1", "supervisor1", "admin1"}
