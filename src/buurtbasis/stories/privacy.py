"""Stories and the AVG: what a person can download, and what deleting an account does."""

from __future__ import annotations


def export_stories(user):
    return []


def erase_stories(user):
    return None
