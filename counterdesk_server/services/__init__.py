"""Use cases of the server, shared by the HTTP API and the CLI; they know no HTTP."""
