"""Forms of the rooms app (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.platform.forms import Form, ModelForm
from buurtbasis.platform.money import AmountError, cents_to_input, parse_euros

from .models import Room, Weekday
from .services import MAX_WEEKS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


ACCESS_FIELDS = ("wheelchair", "step_free", "accessible_toilet", "hearing_loop")


class BrowseForm(Form):
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), queryset=Area.objects.none(), required=False, empty_label=_("All wijken")
    )
    people = forms.IntegerField(
        label=_("At least this many people"), required=False, min_value=1, max_value=10_000
    )
    wheelchair = forms.BooleanField(label=_("Wheelchair accessible"), required=False)
    step_free = forms.BooleanField(label=_("Step-free entrance"), required=False)
    accessible_toilet = forms.BooleanField(label=_("Accessible toilet"), required=False)
    hearing_loop = forms.BooleanField(label=_("Hearing loop"), required=False)
    date = forms.DateField(label=_("Free on"), required=False, widget=DateInput())
    start = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeInput())

    def __init__(self, *args, code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wijk"].queryset = (
            Area.objects.in_municipality(code)
            .filter(level=AreaLevel.DISTRICT, rooms__isnull=False)
            .distinct()
            .order_by("name")
        )

    def clean(self):
        data = super().clean()
        date, start, end = data.get("date"), data.get("start"), data.get("end")
        if (start or end) and not date:
            self.add_error("date", _("Choose a date to see which rooms are free."))
        if date and (start is None) != (end is None):
            self.add_error("end", _("Fill in both the start and the end time."))
        if start and end and end <= start:
            self.add_error("end", _("The end time must be later than the start time."))
        return data


class RequestForm(Form):
    initiative = forms.ModelChoiceField(label=_("For the initiative"), queryset=None)
    title = forms.CharField(
        label=_("Activity"),
        max_length=150,
        help_text=_("What you will do, for example: Taalcafé"),
    )
    expected_people = forms.IntegerField(
        label=_("How many people do you expect?"), min_value=1, max_value=10_000
    )
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start = forms.TimeField(label=_("From"), widget=TimeInput())
    end = forms.TimeField(label=_("Until"), widget=TimeInput())
    weeks = forms.IntegerField(
        label=_("Number of weeks"),
        min_value=1,
        max_value=MAX_WEEKS,
        initial=1,
        help_text=_("1 for once; more to repeat every week on the same day (at most %(max)s).")
        % {"max": MAX_WEEKS},
    )

    def __init__(self, *args, initiatives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative"].queryset = initiatives
        self.fields["initiative"].empty_label = None

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end time must be later than the start time."))
        return data


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class EuroField(forms.CharField):
    def prepare_value(self, value):
        return cents_to_input(value) if isinstance(value, int) else value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return 0
        try:
            return parse_euros(value[:24])
        except AmountError:
            raise forms.ValidationError(
                _("Fill in an amount in euros, for example 12,50."), code="amount"
            ) from None


class RoomForm(ModelForm):
    price = EuroField(
        label=_("Price per hour (euros)"),
        required=False,
        help_text=_("0 when the room is free."),
    )

    class Meta:
        model = Room
        fields = [
            "name",
            "area",
            "address",
            "description",
            "capacity",
            *ACCESS_FIELDS,
            "facilities",
            "key_instructions",
            "free_for_initiatives",
            "waiver_rules",
            "show_titles_in_feed",
            "is_active",
        ]
        help_texts = {
            "key_instructions": _("Only shown to an initiative once you accept its booking."),
            "facilities": _("For example: kitchen, beamer, 40 chairs, wifi."),
            "waiver_rules": _("When you ask less or nothing, in words."),
            "show_titles_in_feed": _(
                "Otherwise the public calendar only says “busy”, without names."
            ),
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "facilities": forms.Textarea(attrs={"rows": 2}),
            "key_instructions": forms.Textarea(attrs={"rows": 3}),
            "waiver_rules": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["area"].empty_label = None
        self.fields["area"].label = _("Wijk")
        if self.instance.pk:
            self.fields["price"].initial = self.instance.price_cents_per_hour

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["price_cents_per_hour"] = data.pop("price") or 0
        return data


class WindowForm(Form):
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    starts = forms.TimeField(label=_("From"), widget=TimeInput())
    ends = forms.TimeField(label=_("Until"), widget=TimeInput())

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("The end time must be later than the start time."))
        return data


class BlackoutForm(Form):
    date = forms.DateField(label=_("Closed on"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=150, required=False)
