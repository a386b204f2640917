"""Headless commands: one module per `counterdesk` subcommand, each with `register`."""
