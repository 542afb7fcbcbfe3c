"""Search and browse published practices: a bounded number of queries per page."""

from __future__ import annotations

from django.db.models import Q

from . import adapters
from .models import Practice

#: Practices per page of the list.
PER_PAGE = 20


def search(*, q: str = "", code: str | None = None, theme=None, group=None, wijk=None):
    """Published practices, newest first, in the municipality ``code`` (None: every
    municipality of the install), with the theme, target group and wijk, and the words of
    ``q``: each word as typed or as its lemma ("moestuinen" finds "moestuin"), also
    inside compounds ("tuin" finds "moestuin"). A queryset (paginate it)."""
    found = Practice.objects.published()
    if code:
        found = found.filter(municipality_code=code)
    if theme is not None:
        found = found.filter(themes=theme)
    if group is not None:
        found = found.filter(target_groups=group)
    if wijk is not None:
        found = found.filter(district__code=wijk.code)
    for forms in adapters.query_terms(q):
        # Inside a word from four letters on; shorter ones at the start of a word only.
        match = Q()
        for form in forms:
            match |= Q(search_lemmas__contains=form if len(form) >= 4 else f" {form}")
        found = found.filter(match)
    return (
        found.select_related("initiative", "district").distinct().order_by("-published_at", "-pk")
    )
