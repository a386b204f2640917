"""`counterdesk recover`, end to end: enroll a recovery key, save unsynced work, lose the
keyring, recover the key with the administrator's passphrase, read the work again."""

from __future__ import annotations

import base64
import random
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from counterdesk import cli, locations
from counterdesk.services import local_store
from counterdesk.services.local_store import LocalStoreError
from counterdesk.settings import Settings
from tests.offline.keyring_backend import MemoryKeyring
from tests.offline.sample import audit_entry, case_doc, operation

PASSPHRASE = "南湖中心-恢复口令-2026"


def passphrase_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / f"pass-{len(text)}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def unsynced_work() -> list[dict]:
    store = local_store.open_local_store(Settings())
    try:
        docs = [case_doc(f"case-{n}", random.Random(n)) for n in range(3)]
        for doc in docs:
            store.save_batch(
                cases=[doc],
                operations=[operation(doc["id"])],
                audit_entries=[audit_entry(doc["id"])],
            )
        store.save_batch(drafts=[case_doc("draft-1", random.Random(9), state="draft")])
    finally:
        store.close()
    return docs


def test_recovering_after_the_keyring_was_lost(memory_keyring, tmp_path, capfd) -> None:
    docs = unsynced_work()
    secret = passphrase_file(tmp_path, PASSPHRASE)
    assert cli.main(["recover", "--enroll", "--passphrase-file", secret]) == 0
    recovery = local_store.store_folder() / "recovery.json"
    assert "recovery key written" in capfd.readouterr().out
    [data_key] = [base64.b64decode(v) for v in memory_keyring.secrets.values()]
    assert base64.b64encode(data_key) not in recovery.read_bytes()
    assert data_key.hex().encode() not in recovery.read_bytes()

    keyring.set_keyring(MemoryKeyring())  # a reinstalled PC: the keyring is empty
    with pytest.raises(LocalStoreError, match="counterdesk recover"):
        local_store.open_local_store(Settings())

    wrong = passphrase_file(tmp_path, "not the passphrase at all")
    assert cli.main(["recover", "--passphrase-file", wrong]) == 2
    assert "passphrase does not open" in capfd.readouterr().err

    data_dir = str(locations.data_dir())
    assert cli.main(["recover", "--data-dir", data_dir, "--passphrase-file", secret]) == 0
    said = capfd.readouterr().out
    assert "3 open cases, 1 drafts, 3 operations not yet synced" in said
    assert "back in the system keyring" in said

    store = local_store.open_local_store(Settings())
    try:
        assert store.list_queue() == docs
        assert len(store.outbox_peek()) == 3
        assert store.audit_verify() == 3
    finally:
        store.close()


def test_a_dry_run_leaves_the_keyring_alone(memory_keyring, tmp_path, capfd) -> None:
    unsynced_work()
    secret = passphrase_file(tmp_path, PASSPHRASE)
    assert cli.main(["recover", "--enroll", "--passphrase-file", secret]) == 0
    empty = MemoryKeyring()
    keyring.set_keyring(empty)
    assert cli.main(["recover", "--dry-run", "--passphrase-file", secret]) == 0
    assert "nothing was changed" in capfd.readouterr().out
    assert empty.secrets == {}


def test_recovery_needs_an_enrolled_key_and_a_usable_keyring(memory_keyring, tmp_path, capfd):
    unsynced_work()
    secret = passphrase_file(tmp_path, PASSPHRASE)
    assert cli.main(["recover", "--passphrase-file", secret]) == 2
    assert "no recovery key was enrolled" in capfd.readouterr().err
    assert cli.main(["recover", "--enroll", "--passphrase-file", secret]) == 0
    keyring.set_keyring(fail.Keyring())
    assert cli.main(["recover", "--passphrase-file", secret]) == 2
    assert 'key_storage = "file"' in capfd.readouterr().err


def test_short_passphrases_and_missing_stores_are_refused(memory_keyring, tmp_path, capfd):
    assert cli.main(["recover", "--passphrase-file", passphrase_file(tmp_path, PASSPHRASE)]) == 2
    assert "no local store" in capfd.readouterr().err
    unsynced_work()
    assert (
        cli.main(["recover", "--enroll", "--passphrase-file", passphrase_file(tmp_path, "short")])
        == 2
    )
    assert "at least 12 characters" in capfd.readouterr().err


def test_without_a_terminal_or_file_the_passphrase_is_asked_for(memory_keyring, capfd) -> None:
    unsynced_work()
    assert cli.main(["recover"]) == 2  # pytest's stdin is not a terminal
    assert "--passphrase-file" in capfd.readouterr().err
