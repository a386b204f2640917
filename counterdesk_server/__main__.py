"""``python -m counterdesk_server``: the same as the ``counterdesk-server`` script."""

from __future__ import annotations

import sys

from counterdesk_server.cli import main

sys.exit(main())
