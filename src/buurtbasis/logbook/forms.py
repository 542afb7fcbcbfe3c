"""Forms of the logbook and the signals (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form
from buurtbasis.stories.models import Consent

from .models import EntryKind, SignalStatus, Urgency
from .services import MAX_BODY, MAX_TITLE


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class SearchForm(Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=100,
        help_text=_("Words from the title or the text, for example: speeltuin"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds or EntryKind.values
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (k, EntryKind(k).label) for k in kinds
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period lies before its start."))
        return data


class NoteForm(Form):
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    body = forms.CharField(
        label=_("Note"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Agreements, contacts, lessons. Name organisations and initiatives, not private "
            "persons: names, e-mail addresses, phone numbers and addresses are masked."
        ),
    )
    happened_on = forms.DateField(
        label=_("Date"), required=False, widget=DateInput(), help_text=_("Empty: today")
    )
    for_handover = forms.BooleanField(
        label=_("Important for whoever takes over my work here (hand-over)"), required=False
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class SignalForm(Form):
    title = forms.CharField(
        label=_("What is the signal about?"),
        max_length=MAX_TITLE,
        help_text=_("One line, for example: Residents feel unsafe at the bus stop at night"),
    )
    description = forms.CharField(
        label=_("What do the stories say?"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Names, e-mail addresses, phone numbers and addresses are masked."),
    )
    area = forms.ModelChoiceField(label=_("Where"), queryset=None)
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    department = forms.ModelChoiceField(label=_("For which department?"), queryset=None)
    stories = forms.ModelMultipleChoiceField(
        label=_("Stories that say so"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, areas, departments, stories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["department"].queryset = departments
        self.fields["stories"].queryset = stories
        self.fields["stories"].label_from_instance = _story_label


def _story_label(story) -> str:
    if story.consent == Consent.ANALYSIS_ONLY:
        # Told only for analysis: it may be counted, its text is never shown.
        return _("Story %(number)s, told only for analysis: it is counted, never quoted.") % {
            "number": story.pk
        }
    text = story.masked_text or ""
    return text if len(text) <= 160 else text[:157].rstrip() + "…"


class StatusForm(Form):
    to_status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=_("Why"),
        required=False,
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for “Response requested”, “Reopened” and “Cancelled”."),
    )

    def __init__(self, *args, steps=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, SignalStatus(s).label) for s in steps]


class AnswerForm(Form):
    text = forms.CharField(
        label=_("The answer of the municipality"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The professionals read it, and so do the tellers who allowed contact. "
            "Write in plain language."
        ),
    )
