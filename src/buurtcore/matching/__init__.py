"""Buddy-household matching (maatjes): scoring pairs, suggestions and batch proposals.

Framework-free: plain dataclasses in, JSON-able dicts out. See ``docs/matching.md``.
"""

from .assign import NOTICE, Matcher, propose, suggest
from .model import (
    COMPONENTS,
    DEFAULT_WEIGHTS,
    Household,
    Language,
    MatchingError,
    Options,
    household_from_dict,
    options_from_dict,
    rd_to_wgs84,
    read_input,
)
from .scoring import PairScore, encode, explain, format_km, haversine_km, score_block, score_pair

__all__ = [
    "COMPONENTS",
    "DEFAULT_WEIGHTS",
    "NOTICE",
    "Household",
    "Language",
    "Matcher",
    "MatchingError",
    "Options",
    "PairScore",
    "encode",
    "explain",
    "format_km",
    "haversine_km",
    "household_from_dict",
    "options_from_dict",
    "propose",
    "rd_to_wgs84",
    "read_input",
    "score_block",
    "score_pair",
    "suggest",
]
