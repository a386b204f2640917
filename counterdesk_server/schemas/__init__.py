"""Pydantic schemas of the API's requests and answers, apart from the database models.

Case documents and operations are the shared ``counterdesk.domain.cases`` models, so the
OpenAPI document describes exactly what the counters send and keep.
"""
