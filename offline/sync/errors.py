"""What can stop a sync, said so that the counter can show it as is.

The engine sorts every failure into one of these, because each calls for a different
reaction: ``Unreachable`` and ``ServerTrouble`` are waited out with backoff (nothing is
lost, everything is retried); ``UntrustedServer`` and ``BadServerAddress`` need an
administrator; ``LoginRequired`` needs the officer to sign in again; ``AccountRefused``
means this account may not do what the counter asked.
"""

from __future__ import annotations


class SyncError(Exception):
    """Base of every error the sync engine raises on purpose."""


class TransientError(SyncError):
    """Worth retrying later: the network or the server may come back."""


class Unreachable(TransientError):
    """The server could not be reached (no network, refused, timed out, cut off)."""


class ServerTrouble(TransientError):
    """The server answered, but with an error of its own (5xx) or something that is not
    its API (garbage, a captive portal, a proxy's page)."""


class UntrustedServer(TransientError):
    """The server's TLS certificate is not trusted: retried, but someone must look."""


class BadServerAddress(SyncError):
    """The configured server address is not one the counter may use."""


class LoginRequired(SyncError):
    """No usable sign-in: the refresh token was refused or there never was one."""


class AccountRefused(SyncError):
    """The server refuses this account the request as a whole (e.g. a role that may not
    send cases); retrying will not help until an administrator changes the account."""
