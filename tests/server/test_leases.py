"""Official case numbers: leased in blocks, never twice, and only leased ones on cases."""

from __future__ import annotations

from tests.server.harness import Api, batch, case_doc, create_case, create_op, operation


def lease(client, count: int) -> dict:
    answer = client.post("/leases", json={"count": count, "device": "窗口3-PC"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_leases_hand_out_consecutive_blocks_that_never_overlap(api: Api) -> None:
    centre = api.add_centre()
    first = lease(centre.officer, 3)
    second = lease(centre.officer2, 2)
    assert first["numbers"] == [
        "JX-NANHU-2026-000001",
        "JX-NANHU-2026-000002",
        "JX-NANHU-2026-000003",
    ]
    assert (first["first"], first["last"], first["year"]) == (
        "JX-NANHU-2026-000001",
        "JX-NANHU-2026-000003",
        2026,
    )
    assert second["numbers"] == ["JX-NANHU-2026-000004", "JX-NANHU-2026-000005"]


def test_numbers_start_again_with_the_year(api: Api) -> None:
    centre = api.add_centre()
    lease(centre.officer, 2)
    api.clock.advance(days=40)  # 2027-01-02
    officer = api.client(api.login(centre.code, "officer1")["access_token"])
    assert lease(officer, 1)["numbers"] == ["JX-NANHU-2027-000001"]


def test_lease_sizes_are_bounded_and_trainees_get_none(api: Api) -> None:
    centre = api.add_centre()
    for count in (0, -1, 1001):
        assert centre.officer.post("/leases", json={"count": count}).status_code == 422
    assert centre.trainee.post("/leases", json={"count": 1}).status_code == 403
    assert centre.admin.post("/leases", json={"count": 1}).status_code == 403


def test_leases_are_listed_own_for_officers_all_for_supervisors(api: Api) -> None:
    centre = api.add_centre()
    lease(centre.officer, 1)
    lease(centre.officer2, 1)
    mine = centre.officer.get("/leases").json()["leases"]
    assert [entry["username"] for entry in mine] == ["officer1"]
    everyone = centre.supervisor.get("/leases").json()["leases"]
    assert sorted(entry["username"] for entry in everyone) == ["officer1", "officer2"]


def test_a_case_may_carry_only_a_leased_number_once(api: Api) -> None:
    centre = api.add_centre()
    number = lease(centre.officer, 1)["numbers"][0]
    made = batch(centre.officer, create_op(case_doc(numbers={"official": number})))[0]
    assert made["status"] == 201
    assert made["case"]["numbers"]["official"] == number
    twice = batch(centre.officer, create_op(case_doc(numbers={"official": number})))[0]
    assert twice["status"] == 409
    never_leased = batch(
        centre.officer, create_op(case_doc(numbers={"official": "JX-NANHU-2026-999999"}))
    )[0]
    assert never_leased["status"] == 422
    foreign = batch(
        centre.officer, create_op(case_doc(numbers={"official": "JX-XIUZHOU-2026-000001"}))
    )[0]
    assert foreign["status"] == 422


def test_an_official_number_is_given_once_and_never_changes(api: Api) -> None:
    centre = api.add_centre()
    first, second = lease(centre.officer, 2)["numbers"]
    case = create_case(centre.officer, numbers={"provisional": "P-窗口3-0001"})
    give = operation(
        "update_fields",
        case["id"],
        {"changes": {"numbers": {"provisional": "P-窗口3-0001", "official": first}}},
        base_version=1,
    )
    change = operation(
        "update_fields", case["id"], {"changes": {"numbers": {"official": second}}}, base_version=2
    )
    results = batch(centre.officer, give, change)
    assert [r["status"] for r in results] == [200, 422]
    assert "final" in results[1]["error"]


def test_training_cases_carry_no_official_number(api: Api) -> None:
    centre = api.add_centre()
    number = lease(centre.officer, 1)["numbers"][0]
    result = batch(
        centre.officer,
        create_op(case_doc(training=True, numbers={"official": number})),
        training=True,
    )[0]
    assert result["status"] == 422
