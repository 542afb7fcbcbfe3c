"""The fixed lists of the intake: languages, interests, parts of the week, wishes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("ti", _("Tigrinya")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("tr", _("Turkish")),
    ("fa", _("Persian")),
    ("prs", _("Dari")),
    ("ps", _("Pashto")),
    ("so", _("Somali")),
    ("ku", _("Kurdish")),
    ("am", _("Amharic")),
    ("fr", _("French")),
    ("de", _("German")),
    ("es", _("Spanish")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("zh", _("Chinese")),
]
LANGUAGE_NAMES = dict(LANGUAGES)

INTERESTS = [
    ("koken", _("cooking")),
    ("sport", _("sports")),
    ("voetbal", _("football")),
    ("wandelen", _("walking")),
    ("fietsen", _("cycling")),
    ("muziek", _("music")),
    ("tuinieren", _("gardening")),
    ("lezen", _("reading")),
    ("spelletjes", _("games")),
    ("knutselen", _("crafts")),
    ("natuur", _("nature")),
    ("taal", _("practising Dutch")),
]
INTEREST_NAMES = dict(INTERESTS)

DAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]
PARTS = [("morning", _("morning")), ("afternoon", _("afternoon")), ("evening", _("evening"))]
SLOTS = [f"{d}-{p}" for d, _d in DAYS for p, _p in PARTS]

WISHES = [
    ("children", _("a family with children")),
    ("no_children", _("a household without children")),
    ("same_area", _("living in the same neighbourhood")),
    ("dutch", _("someone who speaks Dutch")),
    ("nearby", _("living close by")),
]
