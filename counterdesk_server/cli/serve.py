"""``counterdesk-server serve``: uvicorn, on 127.0.0.1 unless told otherwise, HTTPS when
given a certificate. Several workers share the work; each builds its app from the
environment, which is filled in here from the options."""

from __future__ import annotations

import argparse
import os
import sys

import uvicorn

from counterdesk_server.cli.commands import context, settings_from
from counterdesk_server.services.errors import Invalid
from counterdesk_server.settings import ENV_PREFIX


def serve(args: argparse.Namespace) -> int:
    if bool(args.certfile) != bool(args.keyfile):
        raise Invalid("HTTPS needs both --certfile and --keyfile")
    settings = settings_from(args)
    context(args).close()  # refuse to start on a database that is not set up
    # Workers read their settings from the environment: pass on what the options chose.
    os.environ[f"{ENV_PREFIX}DATABASE_URL"] = settings.database_url
    os.environ[f"{ENV_PREFIX}DATA_DIR"] = str(settings.data_dir)
    os.environ.setdefault(f"{ENV_PREFIX}SECRET_KEY", settings.secret_key)
    if args.host not in ("127.0.0.1", "localhost", "::1") and not args.certfile:
        print(
            f"warning: serving plain HTTP on {args.host}; counters should reach the server "
            "over HTTPS (--certfile/--keyfile) or through a TLS proxy",
            file=sys.stderr,
        )
    uvicorn.run(
        "counterdesk_server.asgi:app_from_env",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        ssl_certfile=args.certfile,
        ssl_keyfile=args.keyfile,
        ssl_ca_certs=args.ca_certs,
        log_level=args.log_level,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    return 0
