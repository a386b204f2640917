"""The catalogue endpoint: ETag and 304, publishing checked by the shared loader."""

from __future__ import annotations

import hashlib
import json

from tests.server.harness import MINI_CATALOGUE, Api


def test_the_catalogue_is_served_with_its_digest_as_etag(api: Api) -> None:
    centre = api.add_centre()
    assert centre.officer.get("/catalogue").status_code == 404
    data = MINI_CATALOGUE.read_bytes()
    published = centre.admin.put("/catalogue", content=data)
    assert published.status_code == 200, published.text
    digest = hashlib.sha256(data).hexdigest()
    assert published.json()["digest"] == digest
    answer = centre.trainee.get("/catalogue")
    assert answer.status_code == 200
    assert answer.content == data
    assert answer.headers["etag"] == f'"{digest}"'
    unchanged = centre.officer.get("/catalogue", headers={"If-None-Match": answer.headers["etag"]})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == answer.headers["etag"]
    stale = centre.officer.get("/catalogue", headers={"If-None-Match": '"0000"'})
    assert stale.status_code == 200
    # A new version changes the ETag, so cached copies are replaced.
    newer = json.loads(data)
    newer["version"] = "test-2"
    new_data = json.dumps(newer, ensure_ascii=False).encode("utf-8")
    assert centre.admin.put("/catalogue", content=new_data).json()["version"] == "test-2"
    replaced = centre.officer.get("/catalogue", headers={"If-None-Match": answer.headers["etag"]})
    assert replaced.status_code == 200
    assert replaced.headers["etag"] == f'"{hashlib.sha256(new_data).hexdigest()}"'


def test_a_bad_catalogue_is_refused_with_every_problem(api: Api) -> None:
    centre = api.add_centre()
    bad = json.loads(MINI_CATALOGUE.read_bytes())
    bad["items"][0]["materials"][0]["material"] = "deed"
    bad["items"][0]["legal_days"] = "15"
    answer = centre.admin.put("/catalogue", content=json.dumps(bad).encode())
    assert answer.status_code == 422
    problems = answer.json()["detail"]
    assert any(p.startswith("items[0].materials[0].material:") for p in problems)
    assert any(p.startswith("items[0].legal_days:") for p in problems)
    assert "2 problem" in answer.json()["error"]
    assert centre.admin.put("/catalogue", content=b"{not json").status_code == 422
    assert centre.officer.get("/catalogue").status_code == 404
    assert (
        centre.supervisor.put("/catalogue", content=MINI_CATALOGUE.read_bytes()).status_code == 403
    )
