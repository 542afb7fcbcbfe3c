"""Forms of asking peers and exchange meetings (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from .models import MAX_SUBJECT, MAX_TEXT


class QuestionForm(Form):
    subject = forms.CharField(label=_("Subject"), max_length=MAX_SUBJECT)
    text = forms.CharField(
        label=_("Your question"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "The initiators read it on the platform. Your e-mail address is not shown to them."
        ),
    )
    on_behalf_of = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=None,
        required=False,
        empty_label=_("Only myself"),
    )

    def __init__(self, *args, own_initiatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on_behalf_of"].queryset = own_initiatives
        if own_initiatives is None or not own_initiatives.exists():
            del self.fields["on_behalf_of"]


class ReplyForm(Form):
    text = forms.CharField(
        label=_("Your reply"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReportForm(Form):
    reason = forms.CharField(
        label=_("Why do you report this conversation?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MeetingForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organised by"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=150)
    description = forms.CharField(
        label=_("What it is about"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Only invited initiators see the link."),
    )
    max_places = forms.IntegerField(label=_("Places (people)"), min_value=1, max_value=500)
    open_to_all = forms.BooleanField(
        label=_("Open to every initiative in the municipality"), required=False
    )
    invited = forms.ModelMultipleChoiceField(
        label=_("Invite these initiatives"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, organisations, themes, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["themes"].queryset = themes
        self.fields["invited"].queryset = candidates

    def clean(self):
        data = super().clean()
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place or an online link."))
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The meeting ends before it starts."))
        if not data.get("open_to_all") and not data.get("invited"):
            self.add_error("invited", _("Invite at least one initiative, or open it to all."))
        return data


class RegistrationForm(Form):
    initiative = forms.ModelChoiceField(label=_("Initiative"), queryset=None, empty_label=None)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=20, initial=1)
    names = forms.CharField(
        label=_("Names"),
        max_length=300,
        required=False,
        help_text=_("Only the organisers see the names."),
    )

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives


class ReportWriteForm(Form):
    shared = forms.CharField(
        label=_("What was shared"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
    lessons = forms.CharField(
        label=_("Key lessons"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 6})
    )
