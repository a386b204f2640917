"""Password hashing with argon2id (argon2-cffi); the only module that touches passwords."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_PASSWORD_LENGTH = 8


class PasswordPolicyError(ValueError):
    """A password too weak to accept, with the reason."""


class Passwords:
    def __init__(self, time_cost: int, memory_kib: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)
        # Verified against when the user does not exist, so a wrong username takes as long
        # as a wrong password and does not reveal which usernames exist.
        self._dummy = self._hasher.hash("counterdesk-no-such-user")

    def hash(self, password: str) -> str:
        check_policy(password)
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and bool(stored_hash)
        except (VerificationError, InvalidHashError):
            return False


def check_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordPolicyError(
            f"密码至少 {MIN_PASSWORD_LENGTH} 个字符 / "
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters"
        )
