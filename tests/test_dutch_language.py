"""The Dutch that residents read: one register ("u"), one word for one thing, lower-case months.

Buurtbasis speaks to residents with "u", never "je/jij/jouw" (issue #11). These tests read
every Dutch catalogue and the Dutch text that lives outside the catalogues (demo data,
templates, Python string literals) and list every slip with its file and msgid, so a
translator can fix them all in one go.
"""

import ast
import re
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "src" / "buurtbasis"
CORE = ROOT / "src" / "buurtcore"
CATALOGUES = sorted(PROJECT.glob("**/locale/nl/LC_MESSAGES/django.po"))
DEMO_MODULES = sorted((PROJECT / "portal" / "demo").glob("*.py"))

#: Words that only exist in the informal register.
INFORMAL_WORDS = re.compile(r"\b(je|jij|jou|jouw|jouwe|jullie|jezelf|jijzelf)\b", re.IGNORECASE)
#: Verb forms that go with "je/jij" only, and half-done conversions ("heb u" is neither
#: "heb je" nor "heeft u"). Each pattern names the form that should be used instead.
VERB_SLIPS = [
    (re.compile(r"\bheb\s+(je|jij|u)\b", re.IGNORECASE), "heeft u"),
    (re.compile(r"\bkun\s+(je|jij|u)\b", re.IGNORECASE), "kunt u"),
    (re.compile(r"\bwil\s+(je|jij|u)\b", re.IGNORECASE), "wilt u"),
    (re.compile(r"\bben\s+(je|jij|u)\b", re.IGNORECASE), "bent u"),
    (re.compile(r"\bdank\s+(je|jij|jou)\b", re.IGNORECASE), "dank u"),
    (re.compile(r"\bu\s+(heb|ben|kun)\b", re.IGNORECASE), "u heeft / u bent / u kunt"),
]
#: Dutch month names are written in lower case, also as the first word of a date.
CAPITALISED_MONTH = re.compile(
    r"(?<![.!?:]\s)(?<![.!?:]\s\s)(?<!^)\b(Januari|Februari|Maart|April|Mei|Juni|Juli|"
    r"Augustus|September|Oktober|November|December)\b",
    re.MULTILINE,
)
#: The number a voter gets after voting is the "ontvangstnummer", nothing else.
OTHER_RECEIPT_WORDS = re.compile(
    r"bonnummer|kwitantienummer|ontvangstbewijsnummer|stembonnummer", re.IGNORECASE
)
RECEIPT_MSGID = re.compile(r"\breceipts?\b", re.IGNORECASE)

#: Placeholders, HTML tags and attributes are not Dutch prose.
NOT_PROSE = re.compile(r"%\([a-zA-Z_]+\)[sd]|\{[a-zA-Z_]*\}|<[^>]*>")


def prose(text: str) -> str:
    return NOT_PROSE.sub(" ", text)


def slips(text: str) -> list[str]:
    """Every register, month or wording slip in one piece of Dutch text."""
    text = prose(text)
    found = []
    for pattern, instead in VERB_SLIPS:
        found += [f"“{m.group(0)}” (use “{instead}”)" for m in pattern.finditer(text)]
    found += [f"“{m.group(0)}” (informal, use “u/uw”)" for m in INFORMAL_WORDS.finditer(text)]
    found += [f"“{m.group(0)}” (month in lower case)" for m in CAPITALISED_MONTH.finditer(text)]
    found += [f"“{m.group(0)}” (use “ontvangstnummer”)" for m in OTHER_RECEIPT_WORDS.finditer(text)]
    return found


def translations(entry) -> list[str]:
    if entry.msgid_plural:
        return [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def catalogue_slips() -> list[str]:
    report = []
    for path in CATALOGUES:
        rel = path.relative_to(ROOT)
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            problems = [problem for text in translations(entry) for problem in slips(text)]
            if RECEIPT_MSGID.search(entry.msgid) and not all(
                "ontvangstnummer" in text.lower() for text in translations(entry)
            ):
                problems.append("a receipt is an “ontvangstnummer”")
            if problems:
                report.append(f"{rel}: msgid {entry.msgid!r}: {'; '.join(problems)}")
    return report


def test_the_dutch_catalogues_are_found():
    assert len(CATALOGUES) >= 9
    assert DEMO_MODULES


def test_dutch_catalogues_use_u_one_word_per_thing_and_lower_case_months():
    report = catalogue_slips()
    assert not report, f"{len(report)} Dutch strings to fix:\n" + "\n".join(report)


def string_literals(path: Path):
    """(line, text) of every string literal in a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and id(node) not in docstrings:
            yield node.lineno, node.value


def test_demo_data_uses_u_one_word_per_thing_and_lower_case_months():
    """Demo data is the first Dutch a visitor reads: the same rules as the catalogues."""
    report = [
        f"{path.relative_to(ROOT)}:{line}: {text[:60]!r}: {'; '.join(problems)}"
        for path in DEMO_MODULES
        for line, text in string_literals(path)
        if (problems := slips(text))
    ]
    assert not report, f"{len(report)} demo strings to fix:\n" + "\n".join(report)


def source_modules():
    for base in (PROJECT, CORE):
        for path in sorted(base.rglob("*.py")):
            parts = path.relative_to(base).parts
            if "tests" in parts or "migrations" in parts:
                continue
            yield path


def templates():
    for path in sorted(PROJECT.rglob("templates/**/*")):
        if path.suffix in {".html", ".txt"} and "tests" not in path.parts:
            yield path


@pytest.mark.parametrize("kind", ["python", "templates"])
def test_no_informal_dutch_outside_the_catalogues(kind):
    """Templates and code hold English text; any Dutch literal (a URL, a CLI message) uses "u"."""
    report = []
    if kind == "python":
        for path in source_modules():
            for line, text in string_literals(path):
                if INFORMAL_WORDS.search(prose(text)):
                    report.append(f"{path.relative_to(ROOT)}:{line}: {text[:80]!r}")
    else:
        for path in templates():
            for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if INFORMAL_WORDS.search(prose(line)):
                    report.append(f"{path.relative_to(ROOT)}:{line_no}: {line.strip()[:80]!r}")
    assert not report, "Informal Dutch outside the catalogues:\n" + "\n".join(report)


@pytest.mark.parametrize(
    "text",
    [
        "Heb je een goed idee voor de buurt?",
        "Dank je wel!",
        "jij",
        "Wat wil jij?",
        "Kun u dit doen?",
        "Dit is jouw plan.",
        "De ronde sluit op 1 Januari.",
        "Uw bonnummer is %(receipt)s.",
        "Bewaar uw Kwitantienummer.",
    ],
)
def test_the_checker_catches_slips(text):
    assert slips(text)


@pytest.mark.parametrize(
    "text",
    [
        "Heeft u een goed idee voor de buurt? Dien uw plan in.",
        "Dank u wel!",
        "Kunt u dit doen?",
        "De ronde sluit op 1 januari.",
        "Januari is koud.",
        "Het is druk. September is rustiger.",
        "Uw ontvangstnummer is %(receipt)s.",
        'Klik <a href="/jij/">hier</a> voor de jeugd en het jeu de boules %(je)s.',
    ],
)
def test_the_checker_lets_good_dutch_pass(text):
    assert not slips(text)


def test_dutch_plurals_have_a_singular_and_a_plural_form():
    """Dutch has two forms (1 plan, 2 plannen); both are filled in, and they differ."""
    report = []
    for path in CATALOGUES:
        po = polib.pofile(str(path))
        rel = path.relative_to(ROOT)
        if po.metadata.get("Plural-Forms", "").replace(" ", "") != "nplurals=2;plural=(n!=1);":
            report.append(f"{rel}: Plural-Forms is {po.metadata.get('Plural-Forms')!r}")
        for entry in po:
            if not entry.msgid_plural or entry.obsolete:
                continue
            forms = translations(entry)
            if len(forms) != 2 or not all(forms) or forms[0] == forms[1]:
                report.append(f"{rel}: msgid {entry.msgid!r}: {forms!r}")
    assert not report, "Dutch plurals to fix:\n" + "\n".join(report)
