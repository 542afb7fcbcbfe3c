"""Forms of hand-over and continuity (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from .models import OutgoingChoice, RoleKind
from .services import MAX_HOURS, MAX_MESSAGE, MAX_REASON


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class RoleForm(Form):
    kind = forms.ChoiceField(
        label=_("Which role is open?"), choices=RoleKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label=_("Title of the role"),
        max_length=120,
        required=False,
        help_text=_("For example: coordinator of the Saturday meals. Empty: the kind of role."),
    )
    hours_per_month = forms.IntegerField(
        label=_("Hours per month"), min_value=0, max_value=MAX_HOURS, initial=4
    )
    skills = forms.CharField(
        label=_("Skills that help"),
        max_length=300,
        required=False,
        help_text=_("For example: planning, talking with neighbours, keeping accounts."),
    )
    description = forms.CharField(
        label=_("What it involves"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_on = forms.DateField(label=_("From"), required=False, widget=DateInput())


class StartSearchForm(RoleForm):
    reason = forms.CharField(
        label=_("Why do you look for successors?"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the initiators and the community worker read this."),
    )


class ResponseForm(Form):
    message = forms.CharField(
        label=_("Your message to the initiators"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why you are interested and when you could start. The initiators see your name, "
            "not your e-mail address."
        ),
    )


class ItemForm(Form):
    title = forms.CharField(label=_("Another item for the checklist"), max_length=200)


class CompleteForm(Form):
    outgoing = forms.ChoiceField(
        label=_("Who hands over this role?"),
        widget=forms.RadioSelect,
        required=False,
        help_text=_("Only this person can stop being an initiator."),
    )
    outgoing_choice = forms.ChoiceField(
        label=_("What happens to the outgoing person?"),
        choices=OutgoingChoice.choices,
        widget=forms.RadioSelect,
        initial=OutgoingChoice.FORMER,
    )
    field_order = ["outgoing", "outgoing_choice"]

    def __init__(self, *args, handover, **kwargs):
        super().__init__(*args, **kwargs)
        members = handover.initiative.members.exclude(pk=handover.incoming_id).order_by("pk")
        self.members = {str(m.pk): m for m in members}
        self.fields["outgoing"].choices = [
            ("", _("Nobody leaves: a new person joins")),
            *((pk, m.display_name or _("Initiator")) for pk, m in self.members.items()),
        ]
        self.fields["outgoing"].initial = str(handover.outgoing_id or "")

    def clean_outgoing(self):
        return self.members.get(self.cleaned_data.get("outgoing") or "")
