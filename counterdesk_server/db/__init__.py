"""The server's database: models, engines and migrations."""
