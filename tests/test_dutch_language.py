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


#: A number followed by a counted noun ("%(n)s plans") needs ngettext or {% blocktranslate
#: count %}: Dutch says "1 plan" but "2 plannen", and English "1 plan" but "2 plans".
COUNTED_NOUN = re.compile(r"%\((?P<name>\w+)\)[sd]\s+(?P<noun>[a-z]+s|wijken|buurten)\b")
#: Words after a number that are not counted nouns: verbs, and units that do not change.
NOT_COUNTED = {
    "is", "was", "has", "does", "appears", "waits", "invites", "starts", "lies", "as", "its",
    "this", "plus", "megapixels", "keeps", "checks", "less",
}  # fmt: skip


def counted_without_plural(msgid: str) -> list[str]:
    return [m.group(0) for m in COUNTED_NOUN.finditer(msgid) if m.group("noun") not in NOT_COUNTED]


def test_a_number_with_a_counted_noun_has_two_forms():
    """ "1 plannen" is a slip: a msgid that counts something is a plural entry (ngettext)."""
    report = []
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete or entry.msgid_plural:
                continue
            if found := counted_without_plural(entry.msgid):
                report.append(f"{path.relative_to(ROOT)}: msgid {entry.msgid!r}: {found}")
    assert not report, (
        f"{len(report)} counted messages without a plural form (use ngettext or "
        "{% blocktranslate count %}):\n" + "\n".join(report)
    )


@pytest.mark.parametrize(
    ("msgid", "slip"),
    [
        ("You chose %(n)s plans.", True),
        ("It works for %(days)s days.", True),
        ("Map of %(count)s wijken.", True),
        ("%(name)s is now active.", False),
        ("At most %(mb)s MB.", False),
        ("at most %(megapixels)s megapixels", False),
        ("Forms counted: %(declared)s; ballots entered: %(entered)s.", False),
    ],
)
def test_the_plural_checker(msgid, slip):
    assert bool(counted_without_plural(msgid)) is slip


#: Month names come from Django's Dutch date formats in lower case ("F", "b"), never from
#: strftime (English, or the server's locale) and never capitalised afterwards. Django writes
#: the short month of "M" with a capital in Dutch ("4 Dec"), so templates use "F" or "b".
HAND_MADE_DATE_PY = re.compile(r"strftime\([^)]*%[aAbB]")
CAPITALISED_DATE_TEMPLATE = re.compile(
    r"\|\s*date(?::\"[^\"]*\"|:'[^']*')?\s*\|\s*(capfirst|title|upper)"
)
DATE_FORMAT_IN_TEMPLATE = re.compile(r"\|\s*date:(?:\"([^\"]*)\"|'([^']*)')")


def capital_month_formats(fmt: str) -> list[str]:
    """The format characters that give a capitalised Dutch month ("M", "N"); "\\M" is text."""
    return re.findall(r"(?<!\\)[MN]", fmt)


def test_dates_are_not_formatted_by_hand_or_capitalised():
    report = []
    for path in source_modules():
        text = path.read_text(encoding="utf-8")
        report += [
            f"{path.relative_to(ROOT)}: {m.group(0)}" for m in HAND_MADE_DATE_PY.finditer(text)
        ]
    for path in templates():
        text = path.read_text(encoding="utf-8")
        report += [
            f"{path.relative_to(ROOT)}: {m.group(0)}"
            for m in CAPITALISED_DATE_TEMPLATE.finditer(text)
        ]
        report += [
            f"{path.relative_to(ROOT)}: {m.group(0)} (use F or b for the month)"
            for m in DATE_FORMAT_IN_TEMPLATE.finditer(text)
            if capital_month_formats(m.group(1) or m.group(2))
        ]
    assert not report, "Dates formatted by hand or with a capital month:\n" + "\n".join(report)


def test_django_writes_dutch_months_in_lower_case_with_f_and_b_but_not_m():
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    template = Template('{{ d|date:"F Y" }}, {{ d|date:"j F Y" }}, {{ d|date:"j b" }}')
    with translation.override("nl"):
        text = template.render(Context({"d": datetime.date(2026, 3, 1)}))
        capital = Template('{{ d|date:"j M" }}').render(Context({"d": datetime.date(2026, 3, 1)}))
    assert text == "maart 2026, 1 maart 2026, 1 mrt"
    assert capital == "1 Mrt"  # why the test above refuses "M"
    assert capital_month_formats("j M Y") == ["M"]
    assert capital_month_formats("j F Y H:i") == []
    assert capital_month_formats("\\M\\a\\a\\n\\d") == []


#: A vocabulary row (theme, target group) stores an English msgid: templates print the row
#: (its __str__ translates), never its raw name.
RAW_VOCABULARY_NAME = re.compile(r"\{\{\s*(theme|group|target_group|tg)\.name\b")


def test_vocabulary_names_are_translated_when_shown():
    report = [
        f"{path.relative_to(ROOT)}:{no}: {line.strip()[:100]}"
        for path in templates()
        for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if RAW_VOCABULARY_NAME.search(line)
    ]
    assert not report, "Print {{ theme }}, not {{ theme.name }}:\n" + "\n".join(report)


#: Text in templates goes through {% translate %}; these names stay as they are.
PROPER_NAMES = {
    "Buurtbasis", "CBS", "Kadaster", "Kerncijfers wijken en buurten", "Wijk- en buurtkaart",
    "Nederlands", "English", "Nederlands English",
}  # fmt: skip
_NOT_TEXT = [
    re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}|<!--.*?-->", re.S),
    re.compile(r"\{%\s*blocktrans(?:late)?\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S),
    re.compile(r"<(script|style|svg)\b.*?</\1>", re.S),
    re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S),
]
_TEXT_ATTRIBUTE = re.compile(r'\b(?:alt|title|aria-label|placeholder)="([^"]*)"')


def untranslated_template_text(source: str) -> list[str]:
    for pattern in _NOT_TEXT:
        source = pattern.sub(" ", source)
    found = [m.group(1) for m in _TEXT_ATTRIBUTE.finditer(source)]
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", re.sub(r"<[^>]*>", " ", source))
    found += re.findall(r"[A-Za-z][A-Za-z'’-]+(?:[ \t]+[A-Za-z][A-Za-z'’-]+)*", text)
    return [
        " ".join(f.split())
        for f in found
        if re.search(r"[A-Za-z]{3,}", f) and " ".join(f.split()) not in PROPER_NAMES
    ]


def test_templates_hold_no_untranslated_text():
    report = [
        f"{path.relative_to(ROOT)}: {found}"
        for path in templates()
        if path.suffix == ".html"
        and (found := untranslated_template_text(path.read_text(encoding="utf-8")))
    ]
    assert not report, "Template text outside {% translate %}:\n" + "\n".join(report)


def test_the_template_text_checker():
    assert untranslated_template_text("<p>Submit your plan</p>") == ["Submit your plan"]
    assert untranslated_template_text('<img src="x.png" alt="A bench">') == ["A bench"]
    assert not untranslated_template_text(
        '<p>{% translate "Submit" %} {{ plan.title }}</p>{# a note #}'
        "{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}<p>CBS</p>"
    )


def test_one_english_text_has_one_dutch_translation_in_every_catalogue():
    """Django merges the apps' catalogues and the app listed first wins: a msgid translated
    differently in two apps shows the first app's words on the other app's pages too
    (the initiatives app once turned every "initiative" into "Initiatieven")."""
    seen: dict[tuple, dict[str, object]] = {}
    for path in CATALOGUES:
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            value = (
                tuple(sorted(entry.msgstr_plural.items())) if entry.msgid_plural else entry.msgstr
            )
            app = path.relative_to(PROJECT).parts[0]
            seen.setdefault((entry.msgctxt, entry.msgid), {})[app] = value
    differing = {key[1]: apps for key, apps in seen.items() if len(set(apps.values())) > 1}
    assert not differing, "Translated differently per app (use one wording):\n" + "\n".join(
        f"{msgid!r}: {apps}" for msgid, apps in sorted(differing.items())
    )
