"""counterdesk_server: the case server shared by every counter of a centre.

FastAPI over SQLAlchemy; every rule about cases, the catalogue and working days comes from
``counterdesk.domain`` so the server and the counters can never disagree. Kept import-free
so that ``counterdesk-server --help`` starts fast.
"""

from __future__ import annotations

from counterdesk import __version__

__all__ = ["__version__"]
