"""counterdesk: all-in-one counter software for one-visit government service centres.

Kept import-free so that headless commands such as ``counterdesk check`` start fast.
"""

__version__ = "0.1.0"
