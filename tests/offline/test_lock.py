"""One owner at a time: a second process gets "already open by process N", and the lock
goes with its holder, however it ends."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from offline import Store, StoreError, StoreLocked

ROOT = Path(__file__).resolve().parents[2]
HOLDER = (
    "import sys\n"
    "from offline import Store\n"
    "store = Store.open(sys.argv[1], bytes.fromhex(sys.argv[2]))\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
    "store.close()\n"
)


def start_holder(folder: Path, key: bytes) -> subprocess.Popen:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(folder), key.hex()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    return holder


def test_a_second_process_is_told_who_holds_the_store(folder: Path, key: bytes) -> None:
    holder = start_holder(folder, key)
    try:
        with pytest.raises(StoreLocked, match=f"already open by process {holder.pid}"):
            Store.open(folder, key)
    finally:
        holder.communicate("", timeout=30)
    assert holder.returncode == 0
    Store.open(folder, key).close()


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_holder_leaves_no_lock_behind(folder: Path, key: bytes) -> None:
    holder = start_holder(folder, key)
    os.kill(holder.pid, signal.SIGKILL)
    holder.communicate(timeout=30)
    with Store.open(folder, key) as store:
        assert store.recovery_notes == []


def test_a_second_store_in_the_same_process_is_refused(open_store, folder: Path) -> None:
    open_store()
    with pytest.raises(StoreLocked, match=f"process {os.getpid()}"):
        open_store()


@pytest.mark.skipif(os.name != "posix", reason="flock is the POSIX lock")
def test_a_disk_that_cannot_lock_is_said_and_nothing_is_left_open(
    folder: Path, key: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    Store.open(folder, key).close()
    opened = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(fcntl, "flock", no_locks)
    with pytest.raises(StoreError, match="cannot lock files.*local disk") as refused:
        Store.open(folder, key)
    assert not isinstance(refused.value, StoreLocked)
    assert len(os.listdir("/proc/self/fd")) == opened  # the lock file's descriptor closed
