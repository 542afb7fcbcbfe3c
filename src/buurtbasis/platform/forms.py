"""Base classes for every form in the project: text without control characters.

A name, a title or an e-mail address is one line. Newlines, tabs, escape codes and
invisible format characters (such as U+202E, which turns the text after it right to
left, so "gpj.exe" shows as "exe.jpg") have no place in it: they break e-mails, CSV
exports and log lines, and disguise what people read. Multi-line text (a Textarea)
keeps its line breaks and tabs but refuses NUL, other C0/C1 controls and the bidi
embedding, override and isolate characters.

Every form uses ``Form`` or ``ModelForm`` from here, or puts ``TextSafetyMixin`` in
front of a Django form it extends (``tests/test_forms_are_guarded.py`` checks that no
form class forgets it). The mixin guards every ``CharField`` (also ``EmailField``,
``SlugField`` ...) when the form is cleaned, after the form has set up its fields
and widgets, so fields added in ``__init__`` are covered too. Password fields are
not checked: they are never shown, and refusing a character there would only lock
out a person who chose it.
"""

from __future__ import annotations

import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Zero-width (non-)joiner: format characters that writing systems and emoji
# sequences (👨‍👩‍👧) need; they cannot reorder or hide text.
JOINERS = frozenset("\u200c\u200d")
# Bidi embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")


def single_line_problem(value: str) -> str | None:
    """The first character not allowed in one line of text, or None.

    >>> single_line_problem("Moestuin Assendorp") is None
    True
    >>> single_line_problem("Moestuin\\nAssendorp")
    '\\n'
    >>> single_line_problem("gpj.\\u202eexe")
    '\\u202e'
    """
    for char in value:
        if char in JOINERS:
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp"):
            return char
    return None


def multi_line_problem(value: str) -> str | None:
    """The first character not allowed in multi-line text, or None.

    >>> multi_line_problem("Regel een\\r\\nRegel\\ttwee") is None
    True
    >>> multi_line_problem("Tekst\\x00")
    '\\x00'
    """
    for char in value:
        if char in BIDI_CONTROLS:
            return char
        if unicodedata.category(char) == "Cc" and char not in LINE_BREAKS_AND_TABS:
            return char
    return None


def typed_text_problem(
    value: str, *, max_length: int, empty: str, single_line: bool = False
) -> tuple[str, str, str] | None:
    """What is wrong with text a person typed, for services to raise in their own error
    class: ``(code, message, stripped value)``, or None with nothing wrong. Empty, too
    long, or invisible control characters (the message is in the active language).

    >>> typed_text_problem("  Buurtfeest  ", max_length=20, empty="Leeg") is None
    True
    >>> typed_text_problem("", max_length=20, empty="Leeg")[0]
    'empty'
    >>> typed_text_problem("abc", max_length=2, empty="Leeg")[0]
    'too_long'
    """
    from django.utils.translation import gettext, ngettext

    value = (value or "").strip()
    if not value:
        return "empty", str(empty), value
    if len(value) > max_length:
        message = ngettext(
            "Use at most %(n)s character (you used %(used)s).",
            "Use at most %(n)s characters (you used %(used)s).",
            max_length,
        ) % {"n": max_length, "used": len(value)}
        return "too_long", message, value
    problem = single_line_problem(value) if single_line else multi_line_problem(value)
    if problem:
        return "control", gettext("The text may not contain invisible control characters."), value
    return None


@deconstructible
class SingleLineText:
    message = _(
        "This field may not contain line breaks, tabs or invisible control characters "
        "(such as a character that reverses the direction of the text)."
    )
    code = "control_characters"

    def __call__(self, value) -> None:
        if isinstance(value, str) and single_line_problem(value) is not None:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other) -> bool:
        return isinstance(other, type(self))

    def __hash__(self) -> int:
        return hash(type(self))


@deconstructible
class MultiLineText(SingleLineText):
    message = _(
        "This text may not contain invisible control characters "
        "(such as a character that reverses the direction of the text)."
    )

    def __call__(self, value) -> None:
        if isinstance(value, str) and multi_line_problem(value) is not None:
            raise ValidationError(self.message, code=self.code)


def guard_text_fields(fields) -> None:
    """Give every text field of a bound form the validator that fits its widget."""
    for field in fields.values():
        if not isinstance(field, forms.CharField):
            continue
        field.validators = [
            v for v in field.validators if not isinstance(v, SingleLineText)
        ]  # the widget may have changed since the last clean
        if isinstance(field.widget, forms.PasswordInput):
            continue
        multi = isinstance(field.widget, forms.Textarea)
        field.validators.append(MultiLineText() if multi else SingleLineText())


class TextSafetyMixin:
    """Put in front of any Django form class: refuses control characters in text."""

    def full_clean(self):
        guard_text_fields(self.fields)
        super().full_clean()


class Form(TextSafetyMixin, forms.Form):
    pass


class ModelForm(TextSafetyMixin, forms.ModelForm):
    pass


# --- Forms of the ground floor's own pages ----------------------------------------------


class NotificationPreferencesForm(Form):
    """The language of a person's e-mails and, per kind, how they hear about it."""

    language = forms.ChoiceField(
        label=_("Language of e-mails"),
        choices=[],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, initial_preferences: dict[str, str], language: str, **kwargs):
        from .notifications import kinds

        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, "Nederlands" if code == "nl" else "English") for code, _n in settings.LANGUAGES
        ]
        self.fields["language"].initial = language
        for kind in kinds(configurable=True):
            self.fields[self.field_name(kind.key)] = forms.ChoiceField(
                label=kind.label,
                choices=kind.choices,
                widget=forms.RadioSelect,
                initial=initial_preferences.get(kind.key, kind.default),
                required=False,  # a kind left out keeps its current choice
            )

    @staticmethod
    def field_name(key: str) -> str:
        return "kind__" + key.replace(".", "__")

    def deliveries(self) -> dict[str, str]:
        from .notifications import kinds

        chosen = {}
        for kind in kinds(configurable=True):
            name = self.field_name(kind.key)
            chosen[kind.key] = self.cleaned_data.get(name) or self.fields[name].initial
        return chosen


#: The most digits an id from an address or a form may have (a bigint has 19).
MAX_ID_DIGITS = 18


def parse_id(value) -> int | None:
    """A database id from an address or a posted form, or None when it is not one.

    Only ASCII digits count: ``str.isdigit()`` also accepts "²" or "٣", which ``int()``
    refuses or reads as another number. The length is bounded, so a huge number never
    reaches the database.

    >>> parse_id("42"), parse_id("²"), parse_id("٣"), parse_id(" 7"), parse_id(None)
    (42, None, None, None, None)
    >>> parse_id("0"), parse_id("9" * 19)
    (None, None)
    """
    if not isinstance(value, str) or not value or len(value) > MAX_ID_DIGITS:
        return None
    if not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number or None
