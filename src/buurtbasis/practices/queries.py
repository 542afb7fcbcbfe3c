"""Search and browse published practices: a bounded number of queries per page."""

from __future__ import annotations

from django.db.models import Q

from . import adapters
from .models import Practice

#: Practices per page of the list.
PER_PAGE = 20


def search(*, q: str = "", code: str | None = None, theme=None, group=None, wijk=None):
    """Published practices, newest first: the words of ``q`` (as lemmas, so "moestuinen"
    finds "moestuin"), in the municipality ``code`` (None: every municipality of the
    install), with the theme, target group and wijk. A queryset (paginate it)."""
    found = Practice.objects.published()
    if code:
        found = found.filter(municipality_code=code)
    if theme is not None:
        found = found.filter(themes=theme)
    if group is not None:
        found = found.filter(target_groups=group)
    if wijk is not None:
        found = found.filter(district__code=wijk.code)
    for lemma in adapters.query_lemmas(q):
        found = found.filter(Q(search_lemmas__contains=f" {lemma}"))
    return (
        found.select_related("initiative", "district").distinct().order_by("-published_at", "-pk")
    )
