"""A small iCalendar (RFC 5545) writer for the room and initiative feeds.

Only what the feeds need: a VCALENDAR with VEVENTs (UID, DTSTAMP, DTSTART, DTEND in
UTC, SUMMARY, LOCATION, DESCRIPTION, STATUS). Text values are escaped (backslash,
semicolon, comma, newline) and content lines are folded at 75 octets without
splitting a UTF-8 character; lines end in CRLF.

>>> escape_text("a;b,c\\\\d\\ne")
'a\\\\;b\\\\,c\\\\\\\\d\\\\ne'
>>> fold("X:" + "a" * 80)
'X:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\r\\n aaaaaaa'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

PRODID = "-//Buurtbasis//Ruimtes//NL"
LIMIT = 75  # octets per line, without the CRLF


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    summary: str
    location: str = ""
    description: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, TENTATIVE or CANCELLED


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1); continuation lines start with a
    space, which counts towards their 75 octets. A UTF-8 character is never split."""
    out: list[str] = []
    current = ""
    size = 0
    limit = LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, LIMIT - 1
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be aware")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(events: Iterable[Event], *, name: str, now: dt.datetime | None = None) -> str:
    """The whole calendar as text (CRLF line ends)."""
    now = now or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(event.uid)}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.ends_at)}",
            f"SUMMARY:{escape_text(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{escape_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{escape_text(event.description)}")
        lines += [f"STATUS:{event.status}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
