"""The ASGI entry point for ``uvicorn --factory`` and several worker processes.

Each worker builds its own application from the environment, which the ``serve`` command
fills in from its options before starting uvicorn.
"""

from __future__ import annotations

from fastapi import FastAPI

from counterdesk_server.app import create_app
from counterdesk_server.settings import load_settings


def app_from_env() -> FastAPI:
    return create_app(load_settings())
