"""The themes and target groups a municipality starts with.

Names are stored in English and translated when shown (see `Theme.__str__`), so
the Dutch names live in this app's message catalogue like every other string.
The data migration `0002_seed_vocabulary` copies these lists into the database;
admins can add more themes later (those are shown as typed).
"""

from django.utils.translation import gettext_noop

THEMES: list[tuple[str, str]] = [
    ("greenery", gettext_noop("Greenery and nature")),
    ("language", gettext_noop("Language and reading")),
    ("food", gettext_noop("Food and meals")),
    ("youth", gettext_noop("Children and young people")),
    ("health", gettext_noop("Health and exercise")),
    ("meeting", gettext_noop("Meeting each other")),
    ("culture", gettext_noop("Culture and creativity")),
    ("sport", gettext_noop("Sport and play")),
    ("loneliness", gettext_noop("Loneliness")),
    ("money", gettext_noop("Money and debts")),
    ("sustainability", gettext_noop("Sustainability and energy")),
    ("liveability", gettext_noop("Safe and clean neighbourhood")),
    ("learning", gettext_noop("Learning and work")),
    ("repair", gettext_noop("Repair and reuse")),
    ("care", gettext_noop("Care and support")),
]

TARGET_GROUPS: list[tuple[str, str]] = [
    ("children", gettext_noop("Children (up to 12)")),
    ("young-people", gettext_noop("Young people (12 to 23)")),
    ("parents", gettext_noop("Parents")),
    ("older-people", gettext_noop("Older people")),
    ("newcomers", gettext_noop("Newcomers")),
    ("disability", gettext_noop("People with a disability")),
    ("carers", gettext_noop("Informal carers")),
    ("low-income", gettext_noop("People with little money")),
    ("lonely", gettext_noop("People who feel lonely")),
    ("everyone", gettext_noop("Everyone in the neighbourhood")),
]
