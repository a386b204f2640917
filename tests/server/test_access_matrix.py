"""Role x endpoint: generated from the application's route table, checked over HTTP.

The expected rules are written out here, independently of the code. A route the table
does not list (or a listed one that is gone) fails the test, and every route is called by
every role and by nobody: a role outside the rule gets 403, nobody gets 401, and a role
inside the rule gets past the check (whatever the dummy request then earns).
"""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from counterdesk_server.api.access import Public, api_routes, rules_of
from tests.server.harness import Api

PUBLIC = "public"
ALL = {"officer", "supervisor", "trainee", "admin"}
LIVE_READ = {"officer", "supervisor", "admin"}
LIVE_WRITE = {"officer", "supervisor"}
SUPERVISION = {"supervisor", "admin"}
TRAINING = {"officer", "supervisor", "trainee"}

EXPECTED: dict[tuple[str, str], set[str] | str] = {
    ("GET", "/health"): PUBLIC,
    ("POST", "/auth/token"): PUBLIC,
    ("POST", "/auth/refresh"): PUBLIC,
    ("POST", "/auth/logout"): PUBLIC,
    ("GET", "/auth/me"): ALL,
    ("GET", "/centre"): ALL,
    ("GET", "/officers"): LIVE_READ,
    ("POST", "/officers"): {"admin"},
    ("PATCH", "/officers/{username}"): {"admin"},
    ("GET", "/catalogue"): ALL,
    ("PUT", "/catalogue"): {"admin"},
    ("POST", "/cases/batch"): LIVE_WRITE,
    ("GET", "/cases"): LIVE_READ,
    ("GET", "/cases/{case_id}"): LIVE_READ,
    ("PATCH", "/cases/{case_id}"): LIVE_WRITE,
    ("POST", "/cases/{case_id}/transitions"): LIVE_READ,  # the state machine decides the rest
    ("POST", "/cases/{case_id}/assignment"): SUPERVISION,
    ("POST", "/cases/{case_id}/decision"): {"admin"},
    ("GET", "/changes"): LIVE_READ,
    ("POST", "/leases"): LIVE_WRITE,
    ("GET", "/leases"): LIVE_READ,
    ("POST", "/attachments"): LIVE_WRITE,
    ("PUT", "/attachments/{attachment_id}/content"): LIVE_WRITE,
    ("GET", "/attachments/{attachment_id}"): LIVE_READ,
    ("GET", "/attachments/{attachment_id}/content"): SUPERVISION,
    ("GET", "/attachments/by-case/{case_id}"): LIVE_READ,
    ("POST", "/training/cases/batch"): TRAINING,
    ("GET", "/training/cases"): TRAINING,
    ("GET", "/training/cases/{case_id}"): TRAINING,
    ("GET", "/training/changes"): TRAINING,
    ("POST", "/training/results"): TRAINING,
    ("GET", "/training/results"): ALL,
    ("GET", "/audit"): SUPERVISION,
    ("GET", "/stats/officers"): SUPERVISION,
    # What counters' sync needs besides (api/routes/sync_support.py).
    ("GET", "/cases/{case_id}/versions/{version}"): LIVE_READ,
    ("GET", "/cases/by-number/{number}"): LIVE_READ,
    ("POST", "/handovers"): LIVE_WRITE,
    ("GET", "/handovers"): LIVE_READ,
    # The supervisor board (api/routes/board.py).
    ("GET", "/board/load"): SUPERVISION,
    ("POST", "/board/plan"): SUPERVISION,
    ("POST", "/board/reassign"): SUPERVISION,
    ("GET", "/board/trainees"): SUPERVISION,
    ("GET", "/board/report"): SUPERVISION,
    ("GET", "/notices"): LIVE_READ,
}
ROLE_USERS = {
    "officer": "officer1",
    "supervisor": "supervisor1",
    "trainee": "trainee1",
    "admin": "admin1",
}


def route_table(app: FastAPI) -> dict[tuple[str, str], object]:
    table = {}
    for route in api_routes(app.routes):
        for method in route.methods:
            table[(method, route.path)] = route
    return table


def test_no_trainee_reaches_a_live_case_route() -> None:
    for (_method, path), roles in EXPECTED.items():
        if path.startswith(("/cases", "/changes", "/leases", "/attachments", "/handovers")):
            assert roles == PUBLIC or "trainee" not in roles, path
    assert "officer" not in EXPECTED[("POST", "/cases/{case_id}/assignment")]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_route_has_the_expected_rule_and_the_server_enforces_it(api: Api) -> None:
    centre = api.add_centre()
    clients = {role: centre.clients[user] for role, user in ROLE_USERS.items()}
    anonymous = api.client()
    table = route_table(api.app)
    assert set(table) == set(EXPECTED), "a route was added or removed: give it a rule here"
    for (method, path), route in sorted(table.items()):
        expected = EXPECTED[(method, path)]
        declared = rules_of(route)  # type: ignore[arg-type]
        assert len(declared) == 1
        if expected == PUBLIC:
            assert isinstance(declared[0], Public), (method, path)
            allowed = ALL
        else:
            assert {r.value for r in declared[0].roles} == expected, (method, path)
            allowed = expected
        url = re.sub(r"\{[^}]+\}", "x", path)
        body = {} if method in ("POST", "PUT", "PATCH") else None
        answer = anonymous.request(method, url, json=body)
        if expected == PUBLIC:
            assert answer.status_code != 401, (method, path)
        else:
            assert answer.status_code == 401, (method, path, answer.status_code)
        for role, client in clients.items():
            answer = client.request(method, url, json=body)
            if role in allowed:
                assert answer.status_code not in (401, 403), (method, path, role, answer.text)
            else:
                assert answer.status_code == 403, (method, path, role, answer.status_code)
                assert role in answer.json()["error"]
