"""Forms of practices (every form guards its text: platform.forms)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.initiatives.models import TargetGroup, Theme
from buurtbasis.platform.forms import Form

from .services import MAX_COMMENT, MAX_TEXT, MAX_TITLE


def _text(label, help_text="", rows=4):
    return forms.CharField(
        label=label,
        required=False,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _number(label, help_text=""):
    return forms.IntegerField(
        label=label, required=False, min_value=0, max_value=10_000_000, help_text=help_text
    )


class PracticeForm(Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE)
    what_it_does = _text(
        _("What it does"),
        _(
            "What the initiative does, where and how often. "
            "Write for someone who wants to do the same."
        ),
        rows=8,
    )
    for_whom = _text(_("For whom"))
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    took_money = _text(_("What it took: money"))
    money_received = _number(_("Money received (whole euros)"))
    money_spent = _number(_("Money spent (whole euros)"))
    took_volunteers = _text(_("What it took: volunteers"))
    volunteers = _number(_("Number of volunteers"))
    volunteer_hours = _number(_("Volunteer hours, roughly"))
    took_rooms = _text(_("What it took: rooms and places"))
    took_partners = _text(_("What it took: partners"))
    went_well = _text(_("What went well"), rows=6)
    went_less_well = _text(_("What did not go well"), rows=6)
    who_to_ask = _text(
        _("Who to ask"),
        _("Name roles, not people: no names, e-mail addresses or phone numbers."),
        rows=3,
    )

    @staticmethod
    def initial_for(practice) -> dict:
        def euros(cents):
            return None if cents is None else cents // 100

        return {
            **{
                f: getattr(practice, f)
                for f in (
                    "title",
                    "what_it_does",
                    "for_whom",
                    "took_money",
                    "took_volunteers",
                    "took_rooms",
                    "took_partners",
                    "went_well",
                    "went_less_well",
                    "who_to_ask",
                    "volunteers",
                    "volunteer_hours",
                )
            },
            "money_received": euros(practice.money_received_cents),
            "money_spent": euros(practice.money_spent_cents),
            "themes": list(practice.themes.all()),
            "target_groups": list(practice.target_groups.all()),
        }

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("money_received", "money_spent"):
            euros = data.pop(name)
            data[f"{name}_cents"] = None if euros is None else euros * 100
        data.pop("themes", None)
        data.pop("target_groups", None)
        return data


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[("publish", _("Publish")), ("changes", _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("What should change"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Needed when you ask for changes. The initiators read it."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "changes" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Write what should change."))
        return data


class SearchForm(Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        help_text=_("Words from the practice, for example: moestuin"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.all(), required=False, empty_label=_("All themes")
    )
    group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        required=False,
        empty_label=_("All target groups"),
    )
    wijk = forms.ModelChoiceField(
        label=_("Wijk"), queryset=Area.objects.none(), required=False, empty_label=_("All wijken")
    )
    all = forms.BooleanField(label=_("Also other municipalities"), required=False)
    gemeente = forms.ChoiceField(
        label=_("Municipality"),
        required=False,
        help_text=_("With “Also other municipalities”."),
    )

    def __init__(self, *args, code: str, municipalities: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        districts = Area.objects.in_municipality(code).filter(level=AreaLevel.DISTRICT)
        latest = districts.order_by("-year").values_list("year", flat=True)[:1]
        self.fields["wijk"].queryset = districts.filter(year__in=latest).order_by("name")
        self.fields["gemeente"].choices = [("", _("All municipalities")), *municipalities]
