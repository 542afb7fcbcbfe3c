"""Forms of volunteering (every form guards its text: platform.forms)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.platform.forms import Form

from .models import DAY_PARTS, DAYS, KeyRoleKind, Skill


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TaskFilterForm(Form):
    wijk = forms.ModelChoiceField(label=_("Wijk"), queryset=None, required=False)
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    day = forms.ChoiceField(label=_("Day"), required=False)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = districts
        self.fields["wijk"].empty_label = _("All wijken")
        self.fields["wijk"].to_field_name = "slug"
        self.fields["skill"].choices = [("", _("All skills")), *Skill.choices]
        self.fields["day"].choices = [("", _("Every day")), *DAYS]


class TaskForm(Form):
    title = forms.CharField(
        label=_("What"),
        max_length=150,
        help_text=_("For example: cooking for the neighbourhood dinner"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What will people do, what should they bring, who is the contact person?"),
    )
    skills = forms.MultipleChoiceField(
        label=_("Skills that help"),
        required=False,
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ModelChoiceField(label=_("Wijk or buurt"), queryset=None, empty_label=None)
    is_open = forms.BooleanField(label=_("Open for sign-ups"), required=False, initial=True)

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ShiftForm(Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("Start time"), widget=TimeInput())
    end = forms.TimeField(label=_("End time"), widget=TimeInput())
    needed = forms.IntegerField(label=_("People needed"), min_value=1, max_value=200, initial=2)

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start"), data.get("end")
        if date and start and end:
            if end <= start:
                self.add_error("end", _("The shift ends after it starts."))
            else:
                tz = timezone.get_current_timezone()
                data["starts_at"] = timezone.make_aware(datetime.datetime.combine(date, start), tz)
                data["ends_at"] = timezone.make_aware(datetime.datetime.combine(date, end), tz)
        return data


class ProfileForm(Form):
    skills = forms.MultipleChoiceField(
        label=_("What I can do"),
        required=False,
        choices=Skill.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    area = forms.ModelChoiceField(
        label=_("The wijk I live in"), queryset=None, required=False, empty_label=_("Not given")
    )
    availability = forms.MultipleChoiceField(
        label=_("When I have time"),
        required=False,
        choices=DAY_PARTS,
        widget=forms.CheckboxSelectMultiple,
    )
    max_hours_per_month = forms.IntegerField(
        label=_("At most this many hours a month"),
        required=False,
        min_value=1,
        max_value=300,
        help_text=_("You get a warning on your dashboard when you give more time than this."),
    )
    suggestible = forms.BooleanField(
        label=_("Initiatives may suggest me for shifts that fit"),
        required=False,
        help_text=_(
            "Initiators then see your name, what you can do, your wijk and when you have time, "
            "and can invite you. You decide yourself whether you come."
        ),
    )

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = districts


def _minutes(hours: Decimal) -> int:
    return int((hours * 60).to_integral_value())


class HoursForm(Form):
    initiative = forms.ModelChoiceField(label=_("Initiative"), queryset=None, empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=24,
        decimal_places=2,
        help_text=_("For example 2.5 for two and a half hours."),
    )
    description = forms.CharField(label=_("What did you do?"), required=False, max_length=200)

    def __init__(self, *args, initiatives=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["date"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("hours") is not None:
            data["minutes"] = _minutes(data["hours"])
        return data


class ConfirmHoursForm(Form):
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=24,
        decimal_places=2,
        required=False,
    )

    def clean(self):
        data = super().clean()
        hours = data.get("hours")
        data["minutes"] = _minutes(hours) if hours is not None else None
        return data


class KeyRoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=KeyRoleKind.choices)
    user = forms.ModelChoiceField(label=_("Person"), queryset=None, empty_label=None)
    since = forms.DateField(label=_("Since"), widget=DateInput())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.fields["user"].label_from_instance = lambda u: u.display_name or _("(no name)")
        self.fields["since"].initial = timezone.localdate()
