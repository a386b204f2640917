"""Widgets shared by the counter's screens."""
