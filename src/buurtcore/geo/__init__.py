"""Plain geometry helpers for area maps: validation, projection and colour classes.

No Django here: the web project turns the results into SVG and messages.
"""

from .classify import CLASS_COUNT, PALETTE, class_breaks, class_index
from .projection import (
    Projection,
    contains_point,
    fit_projection,
    iter_positions,
    label_point,
    path_data,
)
from .validate import GeometryProblem, validate_geometry

__all__ = [
    "CLASS_COUNT",
    "PALETTE",
    "GeometryProblem",
    "Projection",
    "class_breaks",
    "class_index",
    "contains_point",
    "fit_projection",
    "iter_positions",
    "label_point",
    "path_data",
    "validate_geometry",
]
