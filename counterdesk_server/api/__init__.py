"""The HTTP API: routers per resource, the access rules, error handling."""
