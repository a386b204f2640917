"""Helpers shared by the server tests and the bench: real servers, never fakes."""
