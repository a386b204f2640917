"""HTTPS with a test certificate authority (trustme): a sync through it, a clear refusal
of a certificate the counter does not trust, and the plain-HTTP rules."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme

from offline.sync import BadServerAddress, SyncState, UntrustedServer, check_server_url
from tests.sync.harness import CaseServer, Counter, make_counter, start_server


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA(organization_name="嘉兴市政务服务网测试 CA")


@pytest.fixture
def https_server(database_url: str, tmp_path: Path, authority: trustme.CA) -> Iterator[CaseServer]:
    cert = authority.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    server = start_server(
        database_url, tmp_path, ssl_certfile=str(cert_file), ssl_keyfile=str(key_file)
    )
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def ca_bundle(tmp_path: Path, authority: trustme.CA) -> str:
    path = tmp_path / "gov-ca.pem"
    authority.cert_pem.write_to_path(str(path))
    return str(path)


def counter_on(server: CaseServer, folder: Path, **config: Any) -> Counter:
    return make_counter(server, folder, "officer1", **config)


def test_a_sync_over_https_with_the_networks_own_authority(
    https_server: CaseServer, tmp_path: Path, ca_bundle: str
) -> None:
    assert https_server.url.startswith("https://")
    counter = counter_on(https_server, tmp_path, ca_bundle=ca_bundle)
    try:
        case = counter.new_case()
        counter.sync()
        assert counter.store.stats()["outbox_pending"] == 0
        assert counter.engine.status.state == SyncState.ONLINE
        assert counter.engine.status.warning == ""
        assert counter.get(case["id"])["version"] == 1
    finally:
        counter.engine.close()
        counter.store.close()


def test_an_untrusted_certificate_is_refused_with_a_clear_message(
    https_server: CaseServer, tmp_path: Path
) -> None:
    counter = counter_on(https_server, tmp_path)  # the system's authorities only
    try:
        counter.new_case()
        with pytest.raises(UntrustedServer) as refused:
            counter.sync()
        message = str(refused.value)
        assert "not trusted" in message and "ca_bundle" in message
        assert "certificate verify failed" in message or "issuer" in message
        assert counter.engine.status.last_error == message
        assert counter.store.stats()["outbox_pending"] == 1
    finally:
        counter.engine.close()
        counter.store.close()


def test_a_certificate_for_another_name_is_refused(
    database_url: str, tmp_path: Path, authority: trustme.CA, ca_bundle: str
) -> None:
    cert = authority.issue_cert("zwfw.example.gov.cn")
    cert_file, key_file = tmp_path / "other.pem", tmp_path / "other.key"
    cert.private_key_and_cert_chain_pem.write_to_path(str(cert_file))
    cert.private_key_pem.write_to_path(str(key_file))
    server = start_server(
        database_url, tmp_path, ssl_certfile=str(cert_file), ssl_keyfile=str(key_file)
    )
    counter = counter_on(server, tmp_path, ca_bundle=ca_bundle)
    try:
        with pytest.raises(UntrustedServer, match="not trusted"):
            counter.sync()
    finally:
        counter.engine.close()
        counter.store.close()
        server.close()


def test_plain_http_only_to_this_machine_or_with_a_visible_warning() -> None:
    assert check_server_url("http://127.0.0.1:8000", allow_http=False) == ""
    assert check_server_url("http://localhost:8000", allow_http=False) == ""
    assert check_server_url("https://zwfw.example.gov.cn", allow_http=False) == ""
    with pytest.raises(BadServerAddress, match="allow_http"):
        check_server_url("http://10.1.2.3:8000", allow_http=False)
    warning = check_server_url("http://10.1.2.3:8000", allow_http=True)
    assert "10.1.2.3" in warning and "unencrypted" in warning
    with pytest.raises(BadServerAddress):
        check_server_url("ftp://10.1.2.3", allow_http=True)


def test_the_warning_is_part_of_the_status(server: CaseServer, tmp_path: Path) -> None:
    counter = make_counter(
        server, tmp_path, "officer1", url="http://10.255.255.1:9", allow_http=True
    )
    try:
        assert "unencrypted" in counter.engine.status.warning
    finally:
        counter.engine.close()
        counter.store.close()
