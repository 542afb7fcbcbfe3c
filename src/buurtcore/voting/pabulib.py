"""Read and write Pabulib ``.pb`` files.

A Pabulib file (https://pabulib.org/format) has three sections, in this order:

``META``
    ``key;value`` rows: ``budget``, ``vote_type``, ``num_projects``,
    ``num_votes`` and anything else (``rule``, ``categories``,
    ``budget_per_category``, ``min_project_score_threshold``, ...).
``PROJECTS``
    A header row with at least ``project_id`` and ``cost``, then one row per
    project. Every other column (``name``, ``votes``, ``score``, ``category``,
    ``target``, ``neighborhood``, ``latitude``, ...) is kept verbatim.
``VOTES``
    A header row with at least ``voter_id`` and ``vote`` (plus ``points`` for
    cumulative and scoring ballots), then one row per voter. ``vote`` lists
    project ids separated by commas; for ordinal ballots in preference order.

Fields are separated by ``;`` and may be quoted as in CSV (``"a ""b"" c"``).
Leading and trailing spaces around fields are ignored, empty lines are
skipped, the file must be UTF-8 (a byte-order mark is allowed) with ``\\n`` or
``\\r\\n`` line ends.

Numbers
-------
Costs and budgets are exact :class:`fractions.Fraction`: ``1234``, ``1234.50``
and ``1234,50`` are accepted (the decimal forms occur in real files, for example
``201000.0`` in Toulouse 2024); thousands separators, signs and exponents are not.
Costs must be greater than zero. Points are whole numbers (``0`` or more) for
cumulative and ordinal ballots; scoring ballots may use negative and decimal
points, which are scaled by a common denominator so that
``Profile.points`` stays integral (see ``Profile.points_denominator``).

Errors
------
Anything malformed raises :class:`PabulibError` with the line number and a plain
reason in English (``str(error)``) and Dutch (``error.message_nl``). Nothing
else escapes :func:`read`. Two irregularities that occur in real Pabulib files
are accepted with a warning instead (see :func:`read_with_warnings`): a project
listed twice on one approval ballot (counted once), and a ``votes`` column that
disagrees with the ballots.

Examples
--------
>>> text = '''META
... key;value
... budget;100
... vote_type;approval
... num_projects;2
... num_votes;2
... PROJECTS
... project_id;cost;name
... 1;60;"Speeltuin ""De Wip"" Noord"
... 2;40.50;Bankjes
... VOTES
... voter_id;vote
... a;1,2
... b;2
... '''
>>> instance, profile = read(text)
>>> instance.projects["1"].name, instance.projects["2"].cost
('Speeltuin "De Wip" Noord', Fraction(81, 2))
>>> profile.ballot(0), profile.approval_counts().tolist()
(['1', '2'], [1, 2])
>>> print(write(instance, profile, extra_meta={"rule": "greedy"}), end="")
META
key;value
budget;100
vote_type;approval
num_projects;2
num_votes;2
rule;greedy
PROJECTS
project_id;cost;name
1;60;"Speeltuin ""De Wip"" Noord"
2;40.5;Bankjes
VOTES
voter_id;vote
a;1,2
b;2
>>> read(text.replace("b;2", "b;7"))
Traceback (most recent call last):
...
buurtcore.voting.pabulib.PabulibError: line 14: the vote names project '7', which is not in PROJECTS
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import numpy as np

from .model import VOTE_TYPES, Instance, Profile, Project

__all__ = [
    "PabulibError",
    "PabulibWarning",
    "category_budgets",
    "clean_text",
    "format_number",
    "neighborhood_budgets",
    "parse_number",
    "read",
    "read_with_warnings",
    "score_threshold",
    "write",
]

Source = str | bytes | bytearray | os.PathLike | IO[str] | IO[bytes]
Progress = Callable[[int, int], None]

_SECTIONS = ("META", "PROJECTS", "VOTES")
_NUMBER_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
_SIGNED_NUMBER_RE = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_MAX_DIGITS = 18  # keeps every point inside int64
_NEEDS_QUOTES = re.compile(r'[;"]')
# What one line of a Pabulib file cannot hold: NUL and everything that some reader takes
# for a line end (``str.splitlines``: \n, \r, \v, \f, \x1c-\x1e, NEL, U+2028, U+2029).
_LINE_BREAKS = re.compile("\r\n|[\x00\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SURROGATES = re.compile("[\ud800-\udfff]")


class PabulibError(ValueError):
    """A malformed Pabulib file.

    Parameters
    ----------
    message : str
        The reason, in plain English.
    line : int or None
        The 1-based line number the reason refers to (None when the file as a
        whole is wrong, e.g. it cannot be opened).
    message_nl : str
        The same reason in Dutch (for the web app).

    Examples
    --------
    >>> err = PabulibError("the cost is not a number", line=9,
    ...                    message_nl="de kosten zijn geen getal")
    >>> str(err), err.line
    ('line 9: the cost is not a number', 9)
    >>> err.text_nl
    'regel 9: de kosten zijn geen getal'
    """

    def __init__(self, message: str, line: int | None = None, message_nl: str | None = None):
        self.message = message
        self.line = line
        self.message_nl = message_nl or message
        super().__init__(f"line {line}: {message}" if line is not None else message)

    @property
    def text_nl(self) -> str:
        """The Dutch message with its line number."""
        if self.line is None:
            return self.message_nl
        return f"regel {self.line}: {self.message_nl}"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able form: line, message, message_nl."""
        return {"line": self.line, "message": self.message, "message_nl": self.message_nl}


@dataclass(frozen=True, slots=True)
class PabulibWarning:
    """An irregularity that the reader accepted (for ``buurtbasis pb validate``)."""

    line: int | None
    message: str
    message_nl: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message, "message_nl": self.message_nl}


# --------------------------------------------------------------------------- numbers


def parse_number(text: str, *, signed: bool = False) -> Fraction | None:
    """Parse a Pabulib number exactly, or return None when it is not one.

    >>> parse_number("1234"), parse_number("1234.50"), parse_number("12,5")
    (Fraction(1234, 1), Fraction(2469, 2), Fraction(25, 2))
    >>> parse_number("1 234") is None, parse_number("-3") is None, parse_number("1e5") is None
    (True, True, True)
    >>> parse_number("-3", signed=True)
    Fraction(-3, 1)
    """
    pattern = _SIGNED_NUMBER_RE if signed else _NUMBER_RE
    if len(text) > 60 or not pattern.fullmatch(text):
        return None
    return Fraction(text.replace(",", "."))


def format_number(value: Fraction | int) -> str:
    """Write an exact number the way Pabulib files do (no trailing zeros).

    >>> format_number(Fraction(81, 2)), format_number(Fraction(100)), format_number(-3)
    ('40.5', '100', '-3')

    Numbers without a finite decimal expansion cannot be written:

    >>> format_number(Fraction(1, 3))
    Traceback (most recent call last):
    ...
    buurtcore.voting.pabulib.PabulibError: 1/3 has no finite decimal form
    """
    value = Fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    den = value.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den != 1:
        raise PabulibError(
            f"{value} has no finite decimal form",
            message_nl=f"{value} is niet als decimaal getal te schrijven",
        )
    digits = max(twos, fives)
    scaled = abs(value) * 10**digits
    whole, frac = divmod(int(scaled), 10**digits)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{str(frac).rjust(digits, '0').rstrip('0')}"


# --------------------------------------------------------------------------- reading


def _lines_from(source: Source) -> tuple[Iterator[tuple[int, str]], int, Callable[[], int]]:
    """Return (numbered lines, total size for progress or 0, bytes-read-so-far callable)."""
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and not _looks_like_text(source)
    ):
        path = Path(source)
        try:
            fh = path.open("rb")
        except OSError as exc:
            raise PabulibError(
                f"cannot open {path}: {exc.strerror or exc}",
                message_nl=f"kan {path} niet openen: {exc.strerror or exc}",
            ) from None
        size = path.stat().st_size
        return _binary_lines(fh, close=True), size, fh.tell
    if isinstance(source, str):
        return _text_lines(source), 0, lambda: 0
    if isinstance(source, bytes | bytearray):
        return _binary_lines(io.BytesIO(source), close=True), len(source), lambda: 0
    if hasattr(source, "read"):
        sample = source.read(0)
        if isinstance(sample, bytes):
            return _binary_lines(source, close=False), 0, lambda: 0
        return _textio_lines(source), 0, lambda: 0
    raise TypeError(f"cannot read a Pabulib file from {type(source).__name__}")


def _looks_like_text(s: str) -> bool:
    return s.lstrip("\ufeff \t\r").upper().startswith("META")


def _binary_lines(fh: IO[bytes], *, close: bool) -> Iterator[tuple[int, str]]:
    try:
        for n, raw in enumerate(fh, start=1):
            if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise PabulibError(
                    f"the file is not UTF-8 text (byte {exc.start + 1} of this line cannot be "
                    "read); save it as UTF-8",
                    line=n,
                    message_nl=f"het bestand is geen UTF-8-tekst (teken {exc.start + 1} van deze "
                    "regel is onleesbaar); sla het op als UTF-8",
                ) from None
            yield n, line.rstrip("\r\n")
    finally:
        if close:
            fh.close()


def _text_lines(text: str) -> Iterator[tuple[int, str]]:
    if text.startswith("\ufeff"):
        text = text[1:]
    for n, line in enumerate(text.split("\n"), start=1):
        yield n, line.rstrip("\r")


def _textio_lines(fh: IO[str]) -> Iterator[tuple[int, str]]:
    for n, line in enumerate(fh, start=1):
        if n == 1 and line.startswith("\ufeff"):
            line = line[1:]
        yield n, line.rstrip("\r\n")


def _fields(line: str, n: int) -> list[str]:
    """Split one line into stripped fields (CSV quoting when there are quotes)."""
    if "\x00" in line:
        raise PabulibError(
            "the line contains a NUL byte (binary data?)",
            line=n,
            message_nl="de regel bevat een NUL-teken (binaire gegevens?)",
        )
    if _LINE_BREAKS.search(line) or _SURROGATES.search(line):
        # A field holds what the writer can write back: a lone \r, \v, U+2028 ... inside
        # a line becomes a space, as clean_text does (else read(write(x)) != x).
        line = _SURROGATES.sub("\ufffd", _LINE_BREAKS.sub(" ", line))
    if '"' not in line:
        return [f.strip() for f in line.split(";")]
    try:
        rows = list(csv.reader([line], delimiter=";", strict=True))
    except csv.Error:
        rows = []
    if len(rows) != 1:
        raise PabulibError(
            "the quotes on this line are not closed or not doubled correctly",
            line=n,
            message_nl="de aanhalingstekens op deze regel zijn niet goed gesloten of verdubbeld",
        )
    return [f.strip() for f in rows[0]]


def _section_of(line: str) -> str | None:
    s = line.strip().strip(";").strip().upper()
    return s if s in _SECTIONS else None


def _err(n: int | None, en: str, nl: str) -> PabulibError:
    return PabulibError(en, line=n, message_nl=nl)


@dataclass
class _State:
    warnings: list[PabulibWarning] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    meta_lines: dict[str, int] = field(default_factory=dict)
    project_lines: dict[str, int] = field(default_factory=dict)
    voter_lines: list[int] = field(default_factory=list)


def read(source: Source, *, progress: Progress | None = None) -> tuple[Instance, Profile]:
    """Read a Pabulib file.

    Parameters
    ----------
    source : path, str, bytes or file object
        A path (``str`` or ``os.PathLike``), the text of a file (a ``str``
        containing a newline or starting with ``META``), its bytes, or an open
        binary or text file object. Files are read line by line.
    progress : callable, optional
        Called as ``progress(bytes_read, bytes_total)`` now and then while the
        VOTES section of a file on disk is read.

    Returns
    -------
    (Instance, Profile)

    Raises
    ------
    PabulibError
        For every kind of malformed input, with the line number and the reason.
    """
    instance, profile, _warnings = read_with_warnings(source, progress=progress)
    return instance, profile


def read_with_warnings(
    source: Source, *, progress: Progress | None = None
) -> tuple[Instance, Profile, list[PabulibWarning]]:
    """Like :func:`read`, also returning the irregularities that were accepted."""
    lines, total, tell = _lines_from(source)
    state = _State()
    try:
        return _read(lines, state, progress, total, tell)
    except PabulibError:
        raise
    except RecursionError:  # pragma: no cover - defensive
        raise _err(None, "the file is too deeply nested", "het bestand is te diep genest") from None
    finally:
        close = getattr(lines, "close", None)
        if close is not None:
            close()


def _expect_section(lines: Iterator[tuple[int, str]], name: str, last: int) -> tuple[int, str]:
    """Skip empty lines and return the header line after section ``name``."""
    for n, line in lines:
        if not line.strip():
            continue
        sec = _section_of(line)
        if sec != name and "\r" in line:
            raise _err(
                n,
                "the lines end in a bare carriage return (old Mac format); "
                "save the file with LF or CRLF line ends",
                "de regels eindigen op alleen een carriage return (oud Mac-formaat); "
                "sla het bestand op met LF- of CRLF-regeleinden",
            )
        if sec != name:
            found = f"section {sec}" if sec else repr(_clip(line))
            raise _err(
                n,
                f"expected the {name} section here, found {found}",
                f"hier hoort de sectie {name}, maar er staat {found}",
            )
        for hn, header in lines:
            if header.strip():
                return hn, header
        raise _err(
            n,
            f"the {name} section has no header row",
            f"de sectie {name} heeft geen kopregel",
        )
    raise _err(
        last or None,
        f"the {name} section is missing",
        f"de sectie {name} ontbreekt",
    )


def _clip(s: str, width: int = 40) -> str:
    return s if len(s) <= width else s[: width - 1] + "…"


def _header(line: str, n: int, section: str, required: tuple[str, ...]) -> list[str]:
    cols = _fields(line, n)
    if _section_of(line):
        raise _err(
            n,
            f"the {section} section has no header row",
            f"de sectie {section} heeft geen kopregel",
        )
    seen: set[str] = set()
    for c in cols:
        if not c:
            raise _err(
                n,
                f"the {section} header has an empty column name",
                f"de kopregel van {section} heeft een lege kolomnaam",
            )
        if c in seen:
            raise _err(
                n,
                f"the {section} header names column '{c}' twice",
                f"de kopregel van {section} noemt kolom '{c}' twee keer",
            )
        seen.add(c)
    for r in required:
        if r not in seen:
            raise _err(
                n,
                f"the {section} header has no '{r}' column",
                f"de kopregel van {section} heeft geen kolom '{r}'",
            )
    return cols


def _count_mismatch(state: _State, key: str, found: int, what_en: str, what_nl: str) -> None:
    if key not in state.meta:
        return
    raw = state.meta[key]
    n = state.meta_lines[key]
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 15:
        raise _err(
            n,
            f"META {key} must be a whole number, not '{_clip(raw)}'",
            f"META {key} moet een heel getal zijn, niet '{_clip(raw)}'",
        )
    if int(raw) != found:
        raise _err(
            n,
            f"META {key} says {int(raw)} but the file has {found} {what_en}",
            f"META {key} zegt {int(raw)}, maar het bestand heeft {found} {what_nl}",
        )


def _read(
    lines: Iterator[tuple[int, str]],
    state: _State,
    progress: Progress | None,
    total: int,
    tell: Callable[[], int],
) -> tuple[Instance, Profile, list[PabulibWarning]]:
    last = 0
    # ---------------------------------------------------------------- META
    hn, header = _expect_section(lines, "META", last)
    cols = _fields(header, hn)
    if [c.lower() for c in cols] != ["key", "value"]:
        raise _err(
            hn,
            "the META header must be 'key;value'",
            "de kopregel van META moet 'key;value' zijn",
        )
    meta, meta_lines = state.meta, state.meta_lines
    line_iter = iter(lines)
    section = None
    for n, line in line_iter:
        last = n
        if not line.strip():
            continue
        section = _section_of(line)
        if section:
            break
        row = _fields(line, n)
        if len(row) != 2:
            hint_en = hint_nl = ""
            if row[0].lower() == "project_id":
                hint_en = " (is the PROJECTS section line missing?)"
                hint_nl = " (ontbreekt de regel PROJECTS?)"
            raise _err(
                n,
                f"a META row needs exactly 2 fields (key;value), found {len(row)}{hint_en}",
                f"een META-regel moet precies 2 velden hebben (key;value), gevonden: "
                f"{len(row)}{hint_nl}",
            )
        key, value = row
        if not key:
            raise _err(n, "a META row has an empty key", "een META-regel heeft een lege sleutel")
        if key in meta:
            raise _err(
                n,
                f"META key '{_clip(key)}' appears twice (first on line {meta_lines[key]})",
                f"META-sleutel '{_clip(key)}' staat er twee keer "
                f"(eerst op regel {meta_lines[key]})",
            )
        meta[key] = value
        meta_lines[key] = n
    if section != "PROJECTS":
        if section is None:
            raise _err(
                last or None, "the PROJECTS section is missing", "de sectie PROJECTS ontbreekt"
            )
        raise _err(
            last,
            f"expected the PROJECTS section here, found section {section}",
            f"hier hoort de sectie PROJECTS, maar er staat sectie {section}",
        )
    end_meta = last
    if "budget" not in meta:
        raise _err(end_meta, "META has no 'budget'", "META heeft geen 'budget' (budget)")
    budget = parse_number(meta["budget"])
    if budget is None or budget <= 0:
        raise _err(
            meta_lines["budget"],
            f"the budget '{_clip(meta['budget'])}' is not a positive number",
            f"het budget '{_clip(meta['budget'])}' is geen positief getal",
        )
    for key, what_en, what_nl in (
        ("num_projects", "the number of projects", "het aantal projecten"),
        ("num_votes", "the number of votes", "het aantal stemmen"),
    ):
        if key not in meta:
            raise _err(
                end_meta,
                f"META has no '{key}' ({what_en})",
                f"META heeft geen '{key}' ({what_nl})",
            )
    if "vote_type" not in meta:
        raise _err(end_meta, "META has no 'vote_type'", "META heeft geen 'vote_type' (soort stem)")
    vote_type = meta["vote_type"]
    if vote_type not in VOTE_TYPES:
        raise _err(
            meta_lines["vote_type"],
            f"unknown vote_type '{_clip(vote_type)}' (expected one of {', '.join(VOTE_TYPES)})",
            f"onbekend vote_type '{_clip(vote_type)}' (verwacht: {', '.join(VOTE_TYPES)})",
        )

    # ---------------------------------------------------------------- PROJECTS
    hn = None
    for n, line in line_iter:
        last = n
        if line.strip():
            hn, header = n, line
            break
    if hn is None:
        raise _err(
            last, "the PROJECTS section has no header row", "de sectie PROJECTS heeft geen kopregel"
        )
    pcols = _header(header, hn, "PROJECTS", ("project_id", "cost"))
    i_id, i_cost = pcols.index("project_id"), pcols.index("cost")
    i_name = pcols.index("name") if "name" in pcols else None
    other = [(i, c) for i, c in enumerate(pcols) if i not in (i_id, i_cost, i_name)]
    projects: dict[str, Project] = {}
    project_lines = state.project_lines
    section = None
    for n, line in line_iter:
        last = n
        if not line.strip():
            continue
        section = _section_of(line)
        if section:
            break
        row = _fields(line, n)
        if row[0].lower() == "voter_id":
            raise _err(
                n,
                "a VOTES header inside PROJECTS (is the VOTES section line missing?)",
                "een kopregel van VOTES binnen PROJECTS (ontbreekt de regel VOTES?)",
            )
        if len(row) != len(pcols):
            raise _err(
                n,
                f"this project row has {len(row)} fields, the PROJECTS header has {len(pcols)}",
                f"deze projectregel heeft {len(row)} velden, de kopregel van PROJECTS {len(pcols)}",
            )
        pid = row[i_id]
        if not pid:
            raise _err(n, "the project_id is empty", "het project_id is leeg")
        if "," in pid:
            raise _err(
                n,
                f"project_id '{_clip(pid)}' contains a comma",
                f"project_id '{_clip(pid)}' bevat een komma",
            )
        if pid in projects:
            raise _err(
                n,
                f"project_id '{_clip(pid)}' appears twice (first on line {project_lines[pid]})",
                f"project_id '{_clip(pid)}' staat er twee keer "
                f"(eerst op regel {project_lines[pid]})",
            )
        cost = parse_number(row[i_cost])
        if cost is None:
            raise _err(
                n,
                f"the cost '{_clip(row[i_cost])}' of project '{_clip(pid)}' is not a number",
                f"de kosten '{_clip(row[i_cost])}' van project '{_clip(pid)}' zijn geen getal",
            )
        if cost <= 0:
            raise _err(
                n,
                f"the cost of project '{_clip(pid)}' must be greater than zero",
                f"de kosten van project '{_clip(pid)}' moeten groter dan nul zijn",
            )
        projects[pid] = Project(
            id=pid,
            cost=cost,
            name=row[i_name] if i_name is not None else "",
            fields={c: row[i] for i, c in other},
        )
        project_lines[pid] = n
    if section != "VOTES":
        if section is None:
            raise _err(last, "the VOTES section is missing", "de sectie VOTES ontbreekt")
        raise _err(
            last,
            f"expected the VOTES section here, found section {section}",
            f"hier hoort de sectie VOTES, maar er staat sectie {section}",
        )
    if not projects:
        raise _err(
            last, "the PROJECTS section has no projects", "de sectie PROJECTS heeft geen projecten"
        )
    _count_mismatch(state, "num_projects", len(projects), "projects", "projecten")
    instance = Instance(
        meta=meta,
        projects=projects,
        budget=budget,
        vote_type=vote_type,
        project_columns=pcols,
    )
    _check_meta_lists(instance, state)

    # ---------------------------------------------------------------- VOTES
    hn = None
    for n, line in line_iter:
        last = n
        if line.strip():
            hn, header = n, line
            break
    if hn is None:
        raise _err(
            last, "the VOTES section has no header row", "de sectie VOTES heeft geen kopregel"
        )
    needs_points = vote_type in ("cumulative", "scoring")
    vcols = _header(
        header,
        hn,
        "VOTES",
        ("voter_id", "vote", "points") if needs_points else ("voter_id", "vote"),
    )
    profile = _read_votes(line_iter, instance, vcols, state, progress, total, tell, hn)
    _count_mismatch(state, "num_votes", profile.n_voters, "votes", "stemmen")
    _check_votes_column(instance, profile, state)
    _check_ballot_limits(instance, profile, state)
    return instance, profile, state.warnings


def _read_votes(
    line_iter: Iterator[tuple[int, str]],
    instance: Instance,
    vcols: list[str],
    state: _State,
    progress: Progress | None,
    total: int,
    tell: Callable[[], int],
    header_line: int,
) -> Profile:
    vote_type = instance.vote_type
    ncols = len(vcols)
    i_voter, i_vote = vcols.index("voter_id"), vcols.index("vote")
    i_points = vcols.index("points") if "points" in vcols else None
    extra = [(i, c) for i, c in enumerate(vcols) if i not in (i_voter, i_vote, i_points)]
    extra_lists: list[list[str]] = [[] for _ in extra]
    index_of = {pid: i for i, pid in enumerate(instance.projects)}
    scoring = vote_type == "scoring"
    dedupe = vote_type == "approval"

    voter_ids: list[str] = []
    voter_lines: list[int] = state.voter_lines
    lengths: list[int] = []
    flat: list[int] = []
    points_flat: list[str] = []
    extend_points = points_flat.extend
    append_voter, append_line, append_len = voter_ids.append, voter_lines.append, lengths.append
    get = index_of.get
    next_report = 20000

    for n, line in line_iter:
        if '"' in line or "\x00" in line or line.endswith(" ") or line.startswith(" "):
            row = _fields(line, n)
        else:
            row = line.split(";")
        if len(row) != ncols:
            if len(row) == 1 and not row[0].strip():
                continue
            if _section_of(line):
                raise _err(
                    n,
                    f"section {_section_of(line)} appears again after VOTES",
                    f"sectie {_section_of(line)} komt na VOTES nog een keer voor",
                )
            raise _err(
                n,
                f"this vote row has {len(row)} fields, the VOTES header has {ncols}",
                f"deze stemregel heeft {len(row)} velden, de kopregel van VOTES {ncols}",
            )
        vid = row[i_voter].strip()
        vote = row[i_vote]
        if not vid:
            raise _err(n, "the voter_id is empty", "het voter_id is leeg")
        if not vote:
            raise _err(
                n,
                f"voter '{_clip(vid)}' has an empty vote",
                f"kiezer '{_clip(vid)}' heeft een lege stem",
            )
        parts = vote.split(",")
        if " " in vote:
            parts = [p.strip() for p in parts]
        idx = [get(p, -1) for p in parts]
        if -1 in idx:
            bad = parts[idx.index(-1)]
            if not bad:
                raise _err(
                    n,
                    "the vote has an empty project id "
                    "(two commas in a row, or a comma at the end?)",
                    "de stem heeft een leeg project-id (twee komma's achter elkaar of een komma "
                    "aan het eind?)",
                )
            raise _err(
                n,
                f"the vote names project '{_clip(bad)}', which is not in PROJECTS",
                f"de stem noemt project '{_clip(bad)}', dat niet in PROJECTS staat",
            )
        k = len(idx)
        if k > 1 and len(set(idx)) != k:
            if dedupe and i_points is None:
                seen: set[int] = set()
                idx = [i for i in idx if not (i in seen or seen.add(i))]
                state.warnings.append(
                    PabulibWarning(
                        n,
                        f"voter '{_clip(vid)}' approves a project more than once; counted once",
                        f"kiezer '{_clip(vid)}' kiest een project vaker dan één keer; "
                        "één keer geteld",
                    )
                )
                k = len(idx)
            else:
                raise _err(
                    n,
                    f"voter '{_clip(vid)}' names the same project more than once",
                    f"kiezer '{_clip(vid)}' noemt hetzelfde project meer dan één keer",
                )
        if vote_type == "choose-1" and k != 1:
            raise _err(
                n,
                f"a choose-1 vote names exactly one project; voter '{_clip(vid)}' names {k}",
                f"bij choose-1 kiest een kiezer precies één project; kiezer '{_clip(vid)}' "
                f"kiest er {k}",
            )
        if i_points is not None:
            pts = row[i_points].replace(" ", "")
            pparts = pts.split(",")
            if len(pparts) != k:
                raise _err(
                    n,
                    f"voter '{_clip(vid)}' has {k} projects but {len(pparts)} points",
                    f"kiezer '{_clip(vid)}' heeft {k} projecten maar {len(pparts)} punten",
                )
            plain = pts.replace(",", "")
            if not (plain.isascii() and plain.isdigit()) or max(map(len, pparts)) > _MAX_DIGITS:
                _check_points(pparts, n, vid, scoring)
            extend_points(pparts)
        flat.extend(idx)
        append_voter(vid)
        append_line(n)
        append_len(k)
        for lst, (i, _c) in zip(extra_lists, extra, strict=True):
            lst.append(row[i].strip())
        if progress is not None and n >= next_report:
            next_report = n + 20000
            progress(tell(), total)

    if not voter_ids:
        raise _err(
            header_line,
            "the VOTES section has no votes",
            "de sectie VOTES heeft geen stemmen",
        )
    if len(set(voter_ids)) != len(voter_ids):
        first: dict[str, int] = {}
        for vid, ln in zip(voter_ids, voter_lines, strict=True):
            if vid in first:
                raise _err(
                    ln,
                    f"voter_id '{_clip(vid)}' appears twice (first on line {first[vid]})",
                    f"voter_id '{_clip(vid)}' staat er twee keer (eerst op regel {first[vid]})",
                )
            first[vid] = ln
    indptr = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(lengths, dtype=np.int64, count=len(lengths)), out=indptr[1:])
    project_index = np.fromiter(flat, dtype=np.int32, count=len(flat))
    points, denominator = _points_array(points_flat, scoring) if i_points is not None else (None, 1)
    if progress is not None:
        progress(total, total)
    return Profile(
        voter_ids=voter_ids,
        indptr=indptr,
        project_index=project_index,
        points=points,
        voter_fields={c: lst for (_i, c), lst in zip(extra, extra_lists, strict=True)},
        vote_columns=vcols,
        project_ids=instance.project_ids(),
        points_denominator=denominator,
    )


def _check_points(parts: list[str], n: int, vid: str, scoring: bool) -> None:
    for p in parts:
        if scoring:
            ok = parse_number(p, signed=True) is not None and len(p) <= _MAX_DIGITS
        else:
            ok = p.isascii() and p.isdigit() and len(p) <= _MAX_DIGITS
        if not ok:
            kind_en = "a number" if scoring else "a whole number of 0 or more"
            kind_nl = "een getal" if scoring else "een heel getal van 0 of meer"
            raise _err(
                n,
                f"the points '{_clip(p)}' of voter '{_clip(vid)}' are not {kind_en}",
                f"de punten '{_clip(p)}' van kiezer '{_clip(vid)}' zijn geen {kind_nl}",
            )


def _points_array(points_flat: list[str], scoring: bool) -> tuple[np.ndarray, int]:
    if scoring and any(("." in p or "," in p) for p in points_flat):
        values = [Fraction(p.replace(",", ".")) for p in points_flat]
        den = 1
        for v in values:
            den = den * v.denominator // math.gcd(den, v.denominator)
        scaled = [int(v * den) for v in values]
        if any(abs(s) >= 2**62 for s in scaled):
            raise _err(None, "the points are too large", "de punten zijn te groot")
        return np.array(scaled, dtype=np.int64), den
    if not points_flat:
        return np.zeros(0, dtype=np.int64), 1
    return np.array(points_flat).astype(np.int64), 1


def _meta_list(instance: Instance, state: _State, key: str) -> list[str] | None:
    raw = instance.meta.get(key)
    if raw is None:
        return None
    return [p.strip() for p in raw.split(",")]


def _check_meta_lists(instance: Instance, state: _State) -> None:
    """Check the Amsterdam-style per-category / per-neighbourhood budgets and the threshold."""
    for names_key, budgets_key in (
        ("categories", "budget_per_category"),
        ("neighborhoods", "budget_per_neighborhood"),
    ):
        budgets = _meta_list(instance, state, budgets_key)
        if budgets is None:
            continue
        n = state.meta_lines[budgets_key]
        names = _meta_list(instance, state, names_key)
        if names is None:
            raise _err(
                n,
                f"META {budgets_key} needs META {names_key} to say which budget is whose",
                f"META {budgets_key} heeft META {names_key} nodig om de budgetten toe te wijzen",
            )
        if len(names) != len(budgets):
            raise _err(
                n,
                f"META {budgets_key} has {len(budgets)} amounts but {names_key} has "
                f"{len(names)} names",
                f"META {budgets_key} heeft {len(budgets)} bedragen maar {names_key} "
                f"{len(names)} namen",
            )
        for b in budgets:
            if parse_number(b) is None:
                raise _err(
                    n,
                    f"META {budgets_key}: '{_clip(b)}' is not a number",
                    f"META {budgets_key}: '{_clip(b)}' is geen getal",
                )
    key = "min_project_score_threshold"
    if key in instance.meta and parse_number(instance.meta[key]) is None:
        raise _err(
            state.meta_lines[key],
            f"META {key} '{_clip(instance.meta[key])}' is not a number",
            f"META {key} '{_clip(instance.meta[key])}' is geen getal",
        )


def _check_votes_column(instance: Instance, profile: Profile, state: _State) -> None:
    if "votes" not in instance.project_columns:
        return
    counts = profile.approval_counts(len(instance.projects)).tolist()
    for (pid, project), count in zip(instance.projects.items(), counts, strict=True):
        raw = project.fields.get("votes", "")
        value = parse_number(raw)
        if value is not None and value != count:
            state.warnings.append(
                PabulibWarning(
                    state.project_lines[pid],
                    f"project '{_clip(pid)}' says votes={raw}, the ballots give {count}",
                    f"project '{_clip(pid)}' zegt votes={raw}, de stemmen geven {count}",
                )
            )


_LIMITS = (
    # META key, what is measured, compare, English, Dutch
    ("min_length", "length", -1, "names fewer projects than", "noemt minder projecten dan"),
    ("max_length", "length", 1, "names more projects than", "noemt meer projecten dan"),
    ("min_sum_points", "points", -1, "gives fewer points than", "geeft minder punten dan"),
    ("max_sum_points", "points", 1, "gives more points than", "geeft meer punten dan"),
    ("max_sum_cost", "cost", 1, "costs more than", "kost meer dan"),
)


def _check_ballot_limits(instance: Instance, profile: Profile, state: _State) -> None:
    """Warn (once per META limit) about ballots outside META min/max_length, _sum_points, _sum_cost.

    These are rules of the election rather than of the format, so a file that breaks them is
    still read; ``buurtbasis pb validate`` shows the warning.
    """
    meta = instance.meta
    if not any(key in meta for key, *_ in _LIMITS) or profile.n_voters == 0:
        return
    starts = profile.indptr[:-1]
    measured: dict[str, np.ndarray] = {"length": np.diff(profile.indptr)}
    if profile.points is not None:
        # exact: integer sums of the (scaled) points, compared with the scaled limit
        measured["points"] = np.add.reduceat(profile.points, starts)
    for key, what, sign, en, nl in _LIMITS:
        raw = meta.get(key)
        limit = parse_number(raw) if raw is not None else None
        if limit is None or (what == "points" and "points" not in measured):
            continue
        if what == "cost":
            costs = [p.cost for p in instance.projects.values()]
            if max(c.denominator for c in costs) != 1 or limit.denominator != 1:
                continue  # only whole amounts are checked here (all real files)
            cost_arr = np.array([int(c) for c in costs], dtype=np.int64)
            values = np.add.reduceat(cost_arr[profile.project_index], starts)
            bound = int(limit)
        elif what == "points":
            values = measured["points"]
            scaled = limit * profile.points_denominator
            if scaled.denominator != 1:
                continue
            bound = int(scaled)
        else:
            values = measured["length"]
            if limit.denominator != 1:
                continue
            bound = int(limit)
        bad = np.flatnonzero(values > bound) if sign > 0 else np.flatnonzero(values < bound)
        if bad.size:
            v = int(bad[0])
            line = state.voter_lines[v] if v < len(state.voter_lines) else None
            state.warnings.append(
                PabulibWarning(
                    line,
                    f"{bad.size} ballot(s) break META {key}={raw}; the first, voter "
                    f"'{_clip(profile.voter_ids[v])}', {en} {raw}",
                    f"{bad.size} stem(men) houden zich niet aan META {key}={raw}; de eerste, "
                    f"kiezer '{_clip(profile.voter_ids[v])}', {nl} {raw}",
                )
            )


# --------------------------------------------------------------------------- META helpers


def _meta_amounts(
    instance: Instance, names_key: str, budgets_key: str
) -> dict[str, Fraction] | None:
    if budgets_key not in instance.meta or names_key not in instance.meta:
        return None
    names = [p.strip() for p in instance.meta[names_key].split(",")]
    amounts = [parse_number(p.strip()) for p in instance.meta[budgets_key].split(",")]
    if len(names) != len(amounts) or any(a is None for a in amounts):
        raise PabulibError(
            f"META {budgets_key} does not match {names_key}",
            message_nl=f"META {budgets_key} past niet bij {names_key}",
        )
    return dict(zip(names, amounts, strict=True))  # type: ignore[arg-type]


def category_budgets(instance: Instance) -> dict[str, Fraction] | None:
    """The Amsterdam-style budget per category (META ``categories`` + ``budget_per_category``).

    >>> inst = Instance({"categories": "Groen,Jeugd", "budget_per_category": "600,400.5"},
    ...                 {}, Fraction(1000), "approval", ["project_id", "cost"])
    >>> category_budgets(inst)
    {'Groen': Fraction(600, 1), 'Jeugd': Fraction(801, 2)}
    """
    return _meta_amounts(instance, "categories", "budget_per_category")


def neighborhood_budgets(instance: Instance) -> dict[str, Fraction] | None:
    """The budget per neighbourhood (META ``neighborhoods`` + ``budget_per_neighborhood``)."""
    return _meta_amounts(instance, "neighborhoods", "budget_per_neighborhood")


def score_threshold(instance: Instance) -> Fraction | None:
    """META ``min_project_score_threshold`` as an exact number, or None."""
    raw = instance.meta.get("min_project_score_threshold")
    return parse_number(raw) if raw is not None else None


# --------------------------------------------------------------------------- writing


def clean_text(value: str) -> str:
    """The text as one Pabulib field can hold it, so that :func:`read` gives it back.

    Every line break (``\\r\\n``, ``\\n``, ``\\r``, U+2028, ... everything ``str.splitlines`` splits
    on) and NUL becomes a space, a lone surrogate (not UTF-8) becomes U+FFFD, and the
    spaces around the value go (the reader drops them too). Anything else, ``;``, quotes
    and tabs included, is kept.

    >>> clean_text("Bankjes\\nbij de speeltuin "), clean_text('Speeltuin "De Wip"; Noord')
    ('Bankjes bij de speeltuin', 'Speeltuin "De Wip"; Noord')
    """
    if value.isprintable() and value == value.strip():
        return value
    return _SURROGATES.sub("\ufffd", _LINE_BREAKS.sub(" ", value)).strip()


def _cell(value: str) -> str:
    value = clean_text(value)
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def _row(values: Iterable[str]) -> str:
    return ";".join(_cell(v) for v in values)


def write(
    instance: Instance,
    profile: Profile,
    out: str | os.PathLike | IO[str] | None = None,
    *,
    extra_meta: Mapping[str, object] | None = None,
    selected: Iterable[str] | None = None,
) -> str | None:
    """Write an election as a Pabulib file.

    Parameters
    ----------
    instance, profile
        The election.
    out : path, text file object or None
        Where to write; with None the text is returned.
    extra_meta : mapping, optional
        META entries to add or replace (e.g. the rule, completion and
        tie-breaking used); values are converted with ``str``.
    selected : iterable of project ids, optional
        Writes a ``selected`` column (1 for these projects, 0 for the others),
        replacing an existing one.

    Notes
    -----
    ``num_projects`` and ``num_votes`` always match what is written. Costs and
    points are written in decimal form (a cost like 1/3 cannot be written and
    raises :class:`PabulibError`). Text goes through :func:`clean_text`: a line break
    in a name or title becomes a space, so the file always reads back.
    """
    meta = dict(instance.meta)
    meta["num_projects"] = str(len(instance.projects))
    meta["num_votes"] = str(profile.n_voters)
    meta.setdefault("budget", format_number(instance.budget))
    meta.setdefault("vote_type", instance.vote_type)
    for k, v in (extra_meta or {}).items():
        meta[str(k)] = "" if v is None else str(v)
    columns = list(instance.project_columns)
    for required in ("project_id", "cost"):
        if required not in columns:
            columns.insert(0 if required == "project_id" else 1, required)
    chosen = None
    if selected is not None:
        chosen = set(selected)
        unknown = chosen - set(instance.projects)
        if unknown:
            raise PabulibError(
                f"selected names unknown projects: {', '.join(sorted(unknown))}",
                message_nl=f"selected noemt onbekende projecten: {', '.join(sorted(unknown))}",
            )
        if "selected" not in columns:
            columns.append("selected")
    if any(p.name for p in instance.projects.values()) and "name" not in columns:
        columns.append("name")

    if out is None:
        buf = io.StringIO()
        _write_to(buf, instance, profile, meta, columns, chosen)
        return buf.getvalue()
    if isinstance(out, str | os.PathLike):
        with open(out, "w", encoding="utf-8", newline="\n") as fh:
            _write_to(fh, instance, profile, meta, columns, chosen)
        return None
    _write_to(out, instance, profile, meta, columns, chosen)
    return None


def _write_to(
    fh: IO[str],
    instance: Instance,
    profile: Profile,
    meta: dict[str, str],
    columns: list[str],
    chosen: set[str] | None,
) -> None:
    w = fh.write
    w("META\nkey;value\n")
    for k, v in meta.items():
        w(_row((k, v)) + "\n")
    w("PROJECTS\n" + _row(columns) + "\n")
    for pid, p in instance.projects.items():
        cells = []
        for c in columns:
            if c == "project_id":
                cells.append(pid)
            elif c == "cost":
                cells.append(format_number(p.cost))
            elif c == "name":
                cells.append(p.name)
            elif c == "selected" and chosen is not None:
                cells.append("1" if pid in chosen else "0")
            else:
                cells.append(p.fields.get(c, ""))
        w(_row(cells) + "\n")
    vcols = list(profile.vote_columns) or ["voter_id", "vote"]
    if profile.points is not None and "points" not in vcols:
        vcols.insert(vcols.index("vote") + 1, "points")
    w("VOTES\n" + _row(vcols) + "\n")
    ids = instance.project_ids()
    indptr = profile.indptr.tolist()
    flat = [ids[i] for i in profile.project_index.tolist()]
    if profile.points is not None:
        den = profile.points_denominator
        if den == 1:
            pts = [str(x) for x in profile.points.tolist()]
        else:
            pts = [format_number(Fraction(x, den)) for x in profile.points.tolist()]
    else:
        pts = None
    fields = profile.voter_fields
    getters: list[Callable[[int], str]] = []
    for c in vcols:
        if c == "voter_id":
            getters.append(profile.voter_ids.__getitem__)
        elif c == "vote":
            getters.append(lambda v: ",".join(flat[indptr[v] : indptr[v + 1]]))
        elif c == "points" and pts is not None:
            getters.append(lambda v: ",".join(pts[indptr[v] : indptr[v + 1]]))
        elif c in fields:
            getters.append(fields[c].__getitem__)
        else:
            getters.append(lambda v: "")
    chunk: list[str] = []
    for v in range(profile.n_voters):
        chunk.append(_row(g(v) for g in getters))
        if len(chunk) >= 10000:
            w("\n".join(chunk) + "\n")
            chunk.clear()
    if chunk:
        w("\n".join(chunk) + "\n")
