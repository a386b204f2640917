"""Who is who on the server: the four user roles and the principal behind a request."""

from __future__ import annotations

from dataclasses import dataclass

from counterdesk.domain.cases import Role

# Department decisions come from back offices through the CLI, never from a signed-in user.
USER_ROLES = (Role.OFFICER, Role.SUPERVISOR, Role.TRAINEE, Role.ADMIN)


@dataclass(frozen=True)
class Principal:
    """The signed-in user a request acts for (or, for the CLI, a named back office)."""

    user_id: int | None
    centre_id: int
    centre_code: str
    username: str
    role: Role


def parse_user_role(text: str) -> Role:
    try:
        role = Role(text)
    except ValueError:
        role = None
    if role not in USER_ROLES:
        names = ", ".join(r.value for r in USER_ROLES)
        raise ValueError(f"unknown role {text!r}; roles are {names}")
    return role
