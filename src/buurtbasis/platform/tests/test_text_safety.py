"""Control characters in text fields are refused platform-wide."""

from __future__ import annotations

import pytest
from django import forms
from django.utils import translation

from buurtbasis.platform import forms as platform_forms

SINGLE = "Dit veld mag geen regeleinden, tabs of onzichtbare stuurtekens bevatten"
MULTI = "Deze tekst mag geen onzichtbare stuurtekens bevatten"


class Example(platform_forms.Form):
    title = forms.CharField()
    email = forms.EmailField(required=False)
    story = forms.CharField(widget=forms.Textarea, required=False)
    password = forms.CharField(widget=forms.PasswordInput, required=False, strip=False)


def errors(**data) -> dict[str, list[str]]:
    with translation.override("nl"):
        form = Example({"title": "Moestuin", **data})
        form.is_valid()
        return {name: list(messages) for name, messages in form.errors.items()}


@pytest.mark.parametrize(
    "title",
    [
        "Moestuin\nAssendorp",
        "Moestuin\rAssendorp",
        "Moestuin\tAssendorp",
        "Moestuin\x00",
        "gpj.\u202eexe",  # right-to-left override
        "\u2066Moestuin\u2069",  # isolates
        "Moes\u200btuin",  # zero-width space (Cf)
        "Moestuin\u2028Assendorp",  # line separator
        "Moestuin\x1b[31m",  # escape sequence
        "\ufeffMoestuin",
    ],
)
def test_a_single_line_field_refuses_control_characters(title):
    found = errors(title=title)
    assert list(found) == ["title"]
    # NUL also gets Django's own message ("Null-tekens zijn niet toegestaan.")
    assert any(message.startswith(SINGLE) for message in found["title"])


@pytest.mark.parametrize(
    "title",
    ["Moestuin Assendorp", "Café 't Hoekje – 2026", "Speeltuin 👨\u200d👩\u200d👧", "شارع"],
)
def test_ordinary_text_passes(title):
    assert errors(title=title) == {}


def test_a_multi_line_field_keeps_line_breaks_and_tabs():
    assert errors(story="Eerste regel\r\nTweede\tregel\n\nAlinea") == {}


@pytest.mark.parametrize("story", ["Tekst \u202egnilkcar\u202c", "Tekst\x00", "Bel\x07"])
def test_a_multi_line_field_refuses_bidi_overrides_nul_and_other_controls(story):
    found = errors(story=story)
    assert list(found) == ["story"]
    assert any(message.startswith(MULTI) for message in found["story"])


def test_other_char_fields_are_covered_too():
    assert list(errors(email="a\u202e@b.nl")) == ["email"]


def test_passwords_are_not_checked_since_they_are_never_shown():
    assert errors(password="geheim\twachtwoord") == {}


def test_fields_added_or_changed_after_construction_are_covered():
    with translation.override("nl"):
        form = Example({"title": "Moestuin", "extra": "a\nb", "story": "a\nb"})
        form.fields["extra"] = forms.CharField()
        form.fields["story"].widget = forms.TextInput()  # now single-line
        assert not form.is_valid()
    assert set(form.errors) == {"extra", "story"}


def test_it_checks_each_field_once_however_often_the_form_is_cleaned():
    form = Example({"title": "a\nb"})
    form.full_clean()
    form.full_clean()
    assert len(form.errors["title"]) == 1
    assert (
        sum(isinstance(v, platform_forms.SingleLineText) for v in form.fields["title"].validators)
        == 1
    )
