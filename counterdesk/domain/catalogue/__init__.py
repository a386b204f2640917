"""The service catalogue: its model, the validating loader and search."""

from __future__ import annotations

from counterdesk.domain.catalogue.loader import (
    CatalogueError,
    bundled_catalogue_path,
    load_catalogue,
    parse_catalogue,
    validate_catalogue,
)
from counterdesk.domain.catalogue.model import (
    Bundle,
    Catalogue,
    Department,
    FormField,
    Item,
    Material,
    Requirement,
    Result,
    Target,
)

__all__ = [
    "Bundle",
    "Catalogue",
    "CatalogueError",
    "Department",
    "FormField",
    "Item",
    "Material",
    "Requirement",
    "Result",
    "Target",
    "bundled_catalogue_path",
    "load_catalogue",
    "parse_catalogue",
    "validate_catalogue",
]
