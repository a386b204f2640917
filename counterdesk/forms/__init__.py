"""Printable papers (reportlab), the Chinese font they embed, and the CUPS printing backend.

The only package that imports reportlab. Start at ``counterdesk.forms.build.build_pdf``;
``counterdesk.forms.paper`` names the papers and their settings without loading reportlab,
and ``counterdesk.forms.cups`` talks to CUPS through ``lp`` and ``lpstat``.
"""
