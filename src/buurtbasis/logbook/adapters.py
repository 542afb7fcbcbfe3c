"""Where the logbook meets ``buurtcore``: masking personal data in what professionals write.

Notes and signals are written by professionals about a wijk. Before they are stored,
names of people, e-mail addresses, phone numbers, street addresses and postcodes are
masked (``buurtcore.text.mask``); the names of the area, its wijk and gemeente, of the
organisations working in the municipality and of the initiatives there stay readable.
"""

from __future__ import annotations

from buurtbasis.areas.models import Area
from buurtbasis.initiatives.models import Initiative
from buurtbasis.organisations.models import Organisation
from buurtcore.text.mask import mask

#: At most this many organisation and initiative names are kept readable (bounded query).
MAX_KEPT_NAMES = 2000


def names_to_keep(area: Area) -> list[str]:
    """Names that are not people: the area and its parents, organisations working in the
    municipality, initiatives in it."""
    code = area.municipality_code
    keep = [area.name, area.short_name]
    parent = area.parent
    while parent is not None:
        keep += [parent.name, parent.short_name]
        parent = parent.parent
    keep += list(
        Organisation.objects.in_municipality(code).values_list("name", flat=True)[:MAX_KEPT_NAMES]
    )
    keep += list(
        Initiative.objects.in_municipality(code).values_list("name", flat=True)[:MAX_KEPT_NAMES]
    )
    return keep


def mask_text(text: str, keep: list[str]) -> str:
    """``text`` with personal data replaced by placeholders such as ``[naam]``."""
    return mask(text, keep=keep)
