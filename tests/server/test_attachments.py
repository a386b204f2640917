"""Scans: declared, uploaded in resumable chunks, checked by type, size and SHA-256,
attached to the case, downloaded by the back office."""

from __future__ import annotations

import hashlib

from tests.server.harness import Api, create_case

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40


def declare(client, case_id: str, data: bytes, content_type: str = "image/png", **extra) -> dict:
    body = {
        "case_id": case_id,
        "material": "id_card",
        "content_type": content_type,
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "pages": 2,
        **extra,
    }
    answer = client.post("/attachments", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def put(client, attachment_id: str, offset: int, data: bytes):
    return client.put(
        f"/attachments/{attachment_id}/content",
        params={"offset": offset},
        content=data,
        headers={"Content-Type": "application/octet-stream"},
    )


def test_a_resumable_upload_completes_and_attaches_to_the_case(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    attachment = declare(centre.officer, case["id"], PNG)
    assert (attachment["received"], attachment["complete"]) == (0, False)
    first = put(centre.officer, attachment["id"], 0, PNG[:4000])
    assert first.status_code == 200 and first.json()["received"] == 4000
    # The connection dropped; the counter asks where to go on from.
    status = centre.officer.get(f"/attachments/{attachment['id']}").json()
    assert status["received"] == 4000
    # A chunk sent at the wrong place is refused with where to resume.
    wrong = put(centre.officer, attachment["id"], 0, PNG[:100])
    assert wrong.status_code == 409
    assert wrong.json()["detail"] == {"received": 4000}
    last = put(centre.officer, attachment["id"], 4000, PNG[4000:])
    assert last.status_code == 200, last.text
    assert last.json()["complete"] is True
    seen = centre.officer.get(f"/cases/{case['id']}").json()["case"]
    assert seen["version"] == 2
    assert seen["attachments"] == [
        {
            "id": attachment["id"],
            "material": "id_card",
            "pages": 2,
            "size": len(PNG),
            "sha256": hashlib.sha256(PNG).hexdigest(),
            "content_type": "image/png",
        }
    ]
    download = centre.supervisor.get(f"/attachments/{attachment['id']}/content")
    assert download.status_code == 200
    assert download.content == PNG
    assert download.headers["content-type"] == "image/png"
    assert centre.admin.get(f"/attachments/{attachment['id']}/content").status_code == 200
    assert centre.officer.get(f"/attachments/{attachment['id']}/content").status_code == 403
    again = put(centre.officer, attachment["id"], len(PNG), b"x")
    assert again.status_code == 409


def test_only_real_pdf_jpeg_or_png_are_taken(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    exe = b"MZ\x90\x00" + b"\x00" * 100
    attachment = declare(centre.officer, case["id"], exe, "application/pdf")
    answer = put(centre.officer, attachment["id"], 0, exe)
    assert answer.status_code == 415
    assert "PDF" in answer.json()["error"]
    gif = centre.officer.post(
        "/attachments",
        json={
            "case_id": case["id"],
            "material": "id_card",
            "content_type": "image/gif",
            "size": 10,
            "sha256": "0" * 64,
        },
    )
    assert gif.status_code == 422


def test_sizes_are_checked(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    limit = api.ctx.settings.attachment_max_bytes
    huge = centre.officer.post(
        "/attachments",
        json={
            "case_id": case["id"],
            "material": "id_card",
            "content_type": "application/pdf",
            "size": limit + 1,
            "sha256": "0" * 64,
        },
    )
    assert huge.status_code == 413
    assert str(limit) in huge.json()["error"]
    attachment = declare(centre.officer, case["id"], PNG)
    too_much = put(centre.officer, attachment["id"], 0, PNG + b"extra")
    assert too_much.status_code == 413
    empty = put(centre.officer, attachment["id"], 0, b"")
    assert empty.status_code == 422


def test_a_file_that_does_not_match_its_checksum_starts_over(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    attachment = declare(centre.officer, case["id"], PNG)
    damaged = PNG[:-1] + b"\x00"
    answer = put(centre.officer, attachment["id"], 0, damaged)
    assert answer.status_code == 422
    assert "SHA-256" in answer.json()["error"]
    assert centre.officer.get(f"/attachments/{attachment['id']}").json()["received"] == 0
    assert put(centre.officer, attachment["id"], 0, PNG).json()["complete"] is True
    assert centre.supervisor.get(f"/attachments/{attachment['id']}/content").content == PNG


def test_attachments_need_a_live_case_and_a_counter_role(api: Api) -> None:
    centre = api.add_centre()
    body = {
        "case_id": "no-such-case",
        "material": "id_card",
        "content_type": "image/png",
        "size": len(PNG),
        "sha256": hashlib.sha256(PNG).hexdigest(),
    }
    assert centre.officer.post("/attachments", json=body).status_code == 404
    assert centre.trainee.post("/attachments", json=body).status_code == 403
    case = create_case(centre.officer)
    attachment = declare(centre.officer, case["id"], PNG)
    incomplete = centre.supervisor.get(f"/attachments/{attachment['id']}/content")
    assert incomplete.status_code == 409


def test_declaring_again_with_the_counters_id_finds_the_same_upload(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    chosen = "5b3c1f0e-7d2a-4c1b-9e8f-0a1b2c3d4e5f"
    first = declare(centre.officer, case["id"], PNG, id=chosen)
    assert first["id"] == chosen
    assert put(centre.officer, chosen, 0, PNG[:3000]).status_code == 200
    # The answer was lost, or the counter was killed: it declares again.
    body = {
        "id": chosen,
        "case_id": case["id"],
        "material": "id_card",
        "content_type": "image/png",
        "size": len(PNG),
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "pages": 2,
    }
    again = centre.officer.post("/attachments", json=body)
    assert again.status_code == 200, again.text
    assert again.json()["received"] == 3000  # where to resume, not a second upload
    other = centre.officer.post("/attachments", json={**body, "sha256": "0" * 64})
    assert other.status_code == 409
    listed = centre.officer.get(f"/attachments/by-case/{case['id']}").json()
    assert [a["id"] for a in listed] == [chosen]
    assert put(centre.officer, chosen, 3000, PNG[3000:]).json()["complete"] is True
    seen = centre.officer.get(f"/cases/{case['id']}").json()["case"]
    assert [a["id"] for a in seen["attachments"]] == [chosen]


def test_an_attach_operation_that_came_first_is_not_doubled(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    chosen = "0f0e0d0c-0b0a-4908-8706-050403020100"
    ref = {
        "id": chosen,
        "material": "id_card",
        "pages": 2,
        "size": len(PNG),
        "sha256": hashlib.sha256(PNG).hexdigest(),
        "content_type": "image/png",
    }
    op = {
        "idempotency_key": "attach-first-0001",
        "kind": "attach",
        "case_id": case["id"],
        "officer": centre.officer.get("/auth/me").json()["username"],
        "device_time": "2026-11-23T09:05:00+08:00",
        "base_version": case["version"],
        "payload": {"attachment": ref},
    }
    results = centre.officer.post("/cases/batch", json={"operations": [op]}).json()["results"]
    assert results[0]["status"] == 200, results
    version = results[0]["case"]["version"]
    wrong = centre.officer.post(
        "/attachments",
        json={
            "id": chosen,
            "case_id": case["id"],
            "material": "id_card",
            "content_type": "image/png",
            "size": len(PNG) + 1,
            "sha256": hashlib.sha256(PNG).hexdigest(),
        },
    )
    assert wrong.status_code == 422  # not the file the case names
    declare(centre.officer, case["id"], PNG, id=chosen)
    assert put(centre.officer, chosen, 0, PNG).json()["complete"] is True
    seen = centre.officer.get(f"/cases/{case['id']}").json()["case"]
    assert seen["attachments"] == [ref]
    assert seen["version"] == version  # nothing attached twice


def test_a_download_is_recorded_in_the_audit_trail(api: Api) -> None:
    centre = api.add_centre()
    case = create_case(centre.officer)
    attachment = declare(centre.officer, case["id"], PNG)
    put(centre.officer, attachment["id"], 0, PNG)
    assert centre.supervisor.get(f"/attachments/{attachment['id']}/content").content == PNG
    answer = centre.admin.get(
        "/audit", params={"case_id": case["id"], "action": "attachment.download"}
    )
    [line] = answer.json()["events"]
    assert line["actor"] == centre.supervisor.get("/auth/me").json()["username"]
    assert line["detail"]["attachment"] == attachment["id"]
