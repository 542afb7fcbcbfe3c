"""Settings of the buddy programme, each with a default (override in settings or the environment).

- ``BUDDIES_CHECKIN_WEEKS``: weeks after the start at which check-ins are planned ("2,6,12,24").
- ``BUDDIES_REMIND_DAYS``: days before a check-in that the matchers get a reminder (3).
- ``BUDDIES_RETENTION_MONTHS``: months after a pair was evaluated (or a household closed)
  that the household's details are erased (12).
- ``BUDDIES_WAITING_RETENTION_MONTHS``: months without an update or pair activity after which
  a household still in intake or waiting is erased (24).
- ``BUDDIES_BACKGROUND_FROM``: a batch proposal with more households than this is computed
  in a background task (400).
"""

from __future__ import annotations

import os

from django.conf import settings


def _value(name: str, default: str) -> str:
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name, default)
    return value


def checkin_weeks() -> tuple[int, ...]:
    value = _value("BUDDIES_CHECKIN_WEEKS", "2,6,12,24")
    if isinstance(value, (list, tuple)):
        return tuple(int(v) for v in value)
    return tuple(int(v) for v in str(value).split(",") if v.strip())


def remind_days() -> int:
    return int(_value("BUDDIES_REMIND_DAYS", "3"))


def retention_months() -> int:
    return int(_value("BUDDIES_RETENTION_MONTHS", "12"))


def waiting_retention_months() -> int:
    return int(_value("BUDDIES_WAITING_RETENTION_MONTHS", "24"))


def background_from() -> int:
    return int(_value("BUDDIES_BACKGROUND_FROM", "400"))
