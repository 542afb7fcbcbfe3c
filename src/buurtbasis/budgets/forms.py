from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Organisation, OrganisationKind
from buurtbasis.platform import forms as platform_forms
from buurtbasis.platform import uploads
from buurtbasis.platform.money import AmountError, cents_to_input, parse_euros

from . import access
from .maps import location_picker
from .models import (
    PHASE_ORDER,
    AssessmentCriterion,
    BallotType,
    BudgetRound,
    Completion,
    ExecutionStatus,
    PhaseKind,
    Plan,
    PlanCategory,
    PlanStatus,
    Rule,
    TieBreak,
)
from .services import PlanData, RoundData

AMOUNT_ERRORS = {
    "empty": _("Enter an amount in euros."),
    "format": _("Enter an amount in euros, for example 1250 or 1.250,50."),
    "negative": _("The amount cannot be negative."),
    "precision": _("Use at most two digits after the comma (whole cents)."),
    "too_large": _("This amount is too large."),
}


class EuroField(forms.CharField):
    """An amount typed in euros (comma or dot); cleans to integer cents."""

    def __init__(self, *args, min_cents: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_cents = min_cents

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "24"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int):
            return cents_to_input(value)
        return value

    def to_python(self, value):
        if isinstance(value, int):  # already cents (initial data of a disabled field)
            return value
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 24:
            raise forms.ValidationError(AMOUNT_ERRORS["too_large"], code="too_large")
        try:
            cents = parse_euros(value)
        except AmountError as exc:
            raise forms.ValidationError(AMOUNT_ERRORS[exc.code], code=exc.code) from exc
        if cents < self.min_cents:
            raise forms.ValidationError(_("The amount must be more than zero."), code="min_value")
        return cents


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


RULE_HELP = _(
    "Most votes first (greedy): the plans with the most votes are funded one after "
    "another, as long as there is money left. It is easy to explain, but a large group "
    "of voters can win every plan. "
    "Method of Equal Shares: every voter gets an equal share of the budget to spend on "
    "the plans they chose. A plan is funded when its voters can pay for it together, so "
    "smaller groups of voters also get plans funded."
)

#: Default length in days of each phase when the dates follow from one start date.
DEFAULT_PHASE_DAYS = {
    PhaseKind.SUBMISSION: 28,
    PhaseKind.ASSESSMENT: 14,
    PhaseKind.VOTING: 14,
    PhaseKind.RESULTS: None,
}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def schedule_from_start(
    start: dt.date, days: dict[str, int | None]
) -> dict[str, tuple[dt.datetime, dt.datetime | None]]:
    """The phases one after another from ``start`` (midnight, local time).

    Each phase lasts its number of days and the next starts when it ends; a phase
    without a number of days has no end date, and the phases after it are not
    scheduled (they are moved by hand).

    >>> from django.utils import timezone as tz
    >>> s = schedule_from_start(dt.date(2026, 3, 1), {"submission": 10, "assessment": 5,
    ...     "voting": 7, "results": None})
    >>> [(k, tz.localtime(a).date().isoformat(), b and tz.localtime(b).date().isoformat())
    ...  for k, (a, b) in s.items()]  # doctest: +NORMALIZE_WHITESPACE
    [('submission', '2026-03-01', '2026-03-11'), ('assessment', '2026-03-11', '2026-03-16'),
     ('voting', '2026-03-16', '2026-03-23'), ('results', '2026-03-23', None)]
    """
    schedule: dict[str, tuple[dt.datetime, dt.datetime | None]] = {}
    day = start
    for kind in PHASE_ORDER:
        if kind not in days:
            break
        begins = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        length = days[kind]
        if not length:
            schedule[kind] = (begins, None)
            break
        day = day + dt.timedelta(days=length)
        schedule[kind] = (begins, timezone.make_aware(dt.datetime.combine(day, dt.time.min)))
    return schedule


class RoundForm(platform_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("What the round is for, in plain language."),
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"),
        queryset=Area.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Residents of these areas may submit plans and vote."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Organisation.objects.none(), empty_label=None
    )
    budget = EuroField(label=_("Budget in euros"), help_text=_("For example 25000 or 25.000,00."))
    ballot_type = forms.ChoiceField(
        label=_("Ballot"),
        choices=BallotType.choices,
        widget=forms.RadioSelect,
        initial=BallotType.APPROVAL,
    )
    max_choices = forms.IntegerField(
        label=_("Maximum number of plans per voter"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Only for “choose up to a number of plans”."),
    )
    min_spend = EuroField(
        label=_("Minimum spend in euros"),
        required=False,
        help_text=_("Optional, only for “choose plans within the budget”."),
    )
    points_total = forms.IntegerField(
        label=_("Points per voter"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("Only for “distribute points”."),
    )
    max_points_per_plan = forms.IntegerField(
        label=_("Maximum points per plan"), min_value=1, max_value=1000, required=False
    )
    rule = forms.ChoiceField(
        label=_("Allocation rule"),
        choices=Rule.choices,
        widget=forms.RadioSelect,
        initial=Rule.MES,
        help_text=RULE_HELP,
    )
    completion = forms.ChoiceField(
        label=_("Completion"),
        choices=Completion.choices,
        initial=Completion.ADD1,
        help_text=_(
            "Only for the Method of Equal Shares: spend leftover money fairly. "
            "Add1 is the usual choice."
        ),
    )
    tie_break = forms.ChoiceField(label=_("Tie-break"), choices=TieBreak.choices)
    min_voter_age = forms.IntegerField(
        label=_("Minimum age to vote"), min_value=0, max_value=120, initial=12
    )
    allow_code_voting = forms.BooleanField(
        label=_("Voting with a code letter"), required=False, initial=True
    )
    allow_account_voting = forms.BooleanField(
        label=_("Voting with a verified account"), required=False
    )
    supporters_needed = forms.IntegerField(
        label=_("Supporters needed before assessment"),
        min_value=1,
        max_value=100_000,
        required=False,
        help_text=_("Optional. A plan needs this many supporters before it can be feasible."),
    )
    criteria = forms.CharField(
        label=_("Assessment criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4500,
        help_text=_(
            "One criterion per line, for example “The plan is in public space”. "
            "Every assessment ticks them."
        ),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text=_("The first day on which residents can submit plans."),
    )
    leftover_text = forms.CharField(
        label=_("What happens to the money left over"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown on the results page, in plain language."),
    )

    def __init__(
        self,
        *args,
        user,
        instance: BudgetRound | None = None,
        municipality: str | None = None,
        **kwargs,
    ):
        self.instance = instance
        self.schedule: dict = {}
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)
        areas = Area.objects.filter(level__in=["wijk", "buurt", "gemeente"])
        if access.is_platform_admin(user):
            orgs = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
        else:
            orgs = Organisation.objects.filter(
                pk__in=[o.pk for o in access.municipalities_managed_by(user)]
            )
        if municipality is not None:
            # only this municipality's areas, and its gemeente organisations (those
            # without a gemeente area are not tied to one municipality)
            areas = areas.filter(pk__in=Area.objects.in_municipality(municipality).values("pk"))
            orgs = orgs.filter(
                pk__in=Organisation.objects.in_municipality(municipality).values("pk")
            )
        self.fields["areas"].queryset = areas
        self.fields["organisation"].queryset = orgs
        locked = instance is not None and instance.phase_index() >= PHASE_ORDER.index(
            PhaseKind.VOTING
        )
        if locked:
            # the outcome depends on these: shown, but fixed once voting has started
            for name in (
                "budget",
                "ballot_type",
                "max_choices",
                "min_spend",
                "points_total",
                "max_points_per_plan",
                "rule",
                "completion",
                "tie_break",
            ):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Fixed: voting has started.")
        for value, label in PlanCategory.choices:
            self.fields[f"category_budget_{value}"] = EuroField(
                label=_("%(category)s: at most, in euros") % {"category": label},
                required=False,
            )
            if locked:
                self.fields[f"category_budget_{value}"].disabled = True
        for kind in PHASE_ORDER:
            label = PhaseKind(kind).label
            if kind in DEFAULT_PHASE_DAYS:
                self.fields[f"{kind}_days"] = forms.IntegerField(
                    label=_("%(phase)s: number of days") % {"phase": label},
                    min_value=1,
                    max_value=365,
                    required=False,
                    initial=DEFAULT_PHASE_DAYS[kind],
                    help_text=_("Leave empty to move on to execution by hand.")
                    if kind == PhaseKind.RESULTS
                    else "",
                )
            self.fields[f"{kind}_starts_at"] = forms.DateTimeField(
                label=_("%(phase)s: starts") % {"phase": label},
                widget=DateTimeLocalInput(),
                required=False,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
            )
            self.fields[f"{kind}_ends_at"] = forms.DateTimeField(
                label=_("%(phase)s: ends") % {"phase": label},
                widget=DateTimeLocalInput(),
                required=False,
                input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
            )

    @staticmethod
    def initial_from(budget_round: BudgetRound) -> dict:
        initial = {
            "title": budget_round.title,
            "description": budget_round.description,
            "areas": list(budget_round.areas.all()),
            "organisation": budget_round.organisation_id,
            "budget": budget_round.budget_cents,
            "ballot_type": budget_round.ballot_type,
            "max_choices": budget_round.max_choices,
            "min_spend": budget_round.min_spend_cents,
            "points_total": budget_round.points_total,
            "max_points_per_plan": budget_round.max_points_per_plan,
            "rule": budget_round.rule,
            "completion": budget_round.completion,
            "tie_break": budget_round.tie_break,
            "min_voter_age": budget_round.min_voter_age,
            "allow_code_voting": budget_round.allow_code_voting,
            "allow_account_voting": budget_round.allow_account_voting,
            "supporters_needed": budget_round.supporters_needed,
            "criteria": "\n".join(c.text for c in budget_round.criteria.all()),
            "leftover_text": budget_round.leftover_text,
        }
        for limit in budget_round.category_budgets.all():
            initial[f"category_budget_{limit.category}"] = limit.amount_cents
        if budget_round.rule == Rule.GREEDY:
            # switching to equal shares starts from the usual completion
            initial["completion"] = Completion.ADD1
        for phase in budget_round.phases.all():
            initial[f"{phase.kind}_starts_at"] = timezone.localtime(phase.starts_at)
            if phase.ends_at:
                initial[f"{phase.kind}_ends_at"] = timezone.localtime(phase.ends_at)
        return initial

    def phase_fields(self):
        return [
            (PhaseKind(kind).label, self[f"{kind}_starts_at"], self[f"{kind}_ends_at"])
            for kind in PHASE_ORDER
        ]

    def category_budget_fields(self):
        return [self[f"category_budget_{value}"] for value in PlanCategory.values]

    def _category_budgets(self, cleaned) -> dict[str, int]:
        return {
            value: cleaned[f"category_budget_{value}"]
            for value in PlanCategory.values
            if cleaned.get(f"category_budget_{value}")
        }

    def duration_fields(self):
        return [self[f"{kind}_days"] for kind in PHASE_ORDER if kind in DEFAULT_PHASE_DAYS]

    def schedule_preview(self) -> list[dict]:
        """The phases as they will be saved (after a valid form), for the preview table."""
        schedule = getattr(self, "schedule", None) or {}
        return [
            {"label": PhaseKind(kind).label, "starts_at": start, "ends_at": end}
            for kind, (start, end) in schedule.items()
        ]

    def _clean_schedule(self, cleaned) -> None:
        """From the start date and durations when a start date is given (new rounds),
        otherwise from the dates per phase (editing a round)."""
        start = cleaned.get("start_date")
        if start:
            if self.instance is None and start < timezone.localdate():
                self.add_error("start_date", _("The start date cannot be in the past."))
            days = {k: cleaned.get(f"{k}_days") for k in DEFAULT_PHASE_DAYS}
            missing = [
                k
                for k in DEFAULT_PHASE_DAYS
                if k != PhaseKind.RESULTS and not days[k] and f"{k}_days" not in self.errors
            ]
            for kind in missing:
                self.add_error(f"{kind}_days", _("Give the number of days of this phase."))
            if not missing:
                self.schedule = schedule_from_start(start, days)
            return
        for kind in (PhaseKind.SUBMISSION, PhaseKind.VOTING):
            if self.instance is None and not self.data.get(f"{kind}_starts_at"):
                self.add_error("start_date", _("Give the start date of the round."))
                return
            if not cleaned.get(f"{kind}_starts_at") and f"{kind}_starts_at" not in self.errors:
                self.add_error(f"{kind}_starts_at", _("Give a start date for this phase."))
        previous = None
        schedule = {}
        for kind in PHASE_ORDER:
            start = cleaned.get(f"{kind}_starts_at")
            end = cleaned.get(f"{kind}_ends_at")
            if end and not start:
                self.add_error(f"{kind}_starts_at", _("Give a start date for this phase too."))
            if start and end and end <= start:
                self.add_error(f"{kind}_ends_at", _("The phase must end after it starts."))
            if start and previous and start < previous:
                self.add_error(
                    f"{kind}_starts_at", _("This phase cannot start before the previous one.")
                )
            if start:
                schedule[kind] = (start, end)
            previous = start or previous
        self.schedule = schedule

    def clean(self):
        cleaned = super().clean()
        ballot = cleaned.get("ballot_type")
        if ballot == BallotType.APPROVAL and not cleaned.get("max_choices"):
            self.add_error("max_choices", _("Say how many plans a voter may choose."))
        if ballot == BallotType.POINTS and not cleaned.get("points_total"):
            self.add_error("points_total", _("Say how many points a voter may give."))
        budget, min_spend = cleaned.get("budget"), cleaned.get("min_spend")
        if budget and min_spend and min_spend > budget:
            self.add_error("min_spend", _("The minimum spend cannot be more than the budget."))
        if cleaned.get("rule") == Rule.GREEDY and cleaned.get("completion") not in (
            None,
            Completion.NONE,
        ):
            cleaned["completion"] = Completion.NONE
        if not cleaned.get("allow_code_voting") and not cleaned.get("allow_account_voting"):
            self.add_error(
                "allow_code_voting",
                _("Allow voting with a code letter, with an account, or both."),
            )
        self._clean_schedule(cleaned)
        limits = self._category_budgets(cleaned)
        if limits and cleaned.get("rule") == Rule.MES:
            self.add_error(
                f"category_budget_{next(iter(limits))}",
                _(
                    "Budgets per category only work with “most votes first” (greedy): the "
                    "counting of the Method of Equal Shares cannot limit the spending per "
                    "category. Choose greedy, or leave these amounts empty."
                ),
            )
        for value, cents in limits.items():
            if budget and cents > budget:
                self.add_error(
                    f"category_budget_{value}",
                    _("The budget of a category cannot be more than the whole budget."),
                )
        return cleaned

    def to_data(self) -> RoundData:
        c = self.cleaned_data
        ballot = c["ballot_type"]
        schedule = self.schedule
        return RoundData(
            title=c["title"],
            description=c.get("description", ""),
            areas=list(c["areas"]),
            organisation=c["organisation"],
            budget_cents=c["budget"],
            ballot_type=ballot,
            max_choices=c.get("max_choices") if ballot == BallotType.APPROVAL else None,
            min_spend_cents=c.get("min_spend") if ballot == BallotType.KNAPSACK else None,
            points_total=c.get("points_total") if ballot == BallotType.POINTS else None,
            max_points_per_plan=(
                c.get("max_points_per_plan") if ballot == BallotType.POINTS else None
            ),
            rule=c["rule"],
            completion=c["completion"],
            tie_break=c["tie_break"],
            min_voter_age=c["min_voter_age"],
            allow_code_voting=c.get("allow_code_voting", False),
            allow_account_voting=c.get("allow_account_voting", False),
            # a new round is a draft until it is published ("Publish")
            is_public=self.instance.is_public if self.instance is not None else False,
            supporters_needed=c.get("supporters_needed"),
            leftover_text=c.get("leftover_text", ""),
            schedule=schedule,
            criteria=c.get("criteria", "").splitlines(),
            category_budgets=self._category_budgets(c),
        )


class PlanForm(platform_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    summary = forms.CharField(
        label=_("Short summary"),
        max_length=280,
        help_text=_("One or two sentences. This is shown on the ballot."),
    )
    description = forms.CharField(
        label=_("What do you want to do, and why?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=5000,
    )
    area = forms.ModelChoiceField(
        label=_("Where"), queryset=Area.objects.none(), required=False, empty_label=_("Whole round")
    )
    category = forms.ChoiceField(
        label=_("What is the plan about?"),
        choices=[("", _("Choose a category"))] + PlanCategory.choices,
        required=False,
    )
    address = forms.CharField(
        label=_("Address or place"),
        max_length=200,
        required=False,
        help_text=_(
            "For example: Assendorperstraat 12, or: the playground behind the library. "
            "It is shown with your plan."
        ),
    )
    # the place picked on the map; filled by the server from a click, never typed
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-90"),
        max_value=Decimal("90"),
        localize=True,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=Decimal("-180"),
        max_value=Decimal("180"),
        localize=True,
        widget=forms.HiddenInput,
    )
    initiative = forms.ModelChoiceField(
        label=_("On behalf of an initiative (optional)"),
        queryset=None,
        required=False,
        empty_label=_("No, I submit this myself"),
    )
    partner_organisation = forms.ModelChoiceField(
        label=_("Together with an organisation (optional)"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("No partner organisation"),
        help_text=_("For a joint plan of an initiative and a professional organisation."),
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(
        label=_("What is on the photo?"),
        max_length=200,
        required=False,
        help_text=_("A short description for people who cannot see the photo."),
    )

    def __init__(self, *args, budget_round: BudgetRound, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_round = budget_round
        self.picker = location_picker(budget_round)
        self.fields["area"].queryset = budget_round.areas.all()
        initiatives = access.initiatives_for(user)
        partners = Organisation.objects.exclude(kind=OrganisationKind.MUNICIPALITY)
        first_area = budget_round.areas.order_by("pk").first()
        if first_area is not None:
            # only the initiatives and organisations of the round's municipality
            code = first_area.municipality_code
            initiatives = initiatives.in_municipality(code)
            partners = partners.in_municipality(code)
        self.fields["initiative"].queryset = initiatives
        self.fields["partner_organisation"].queryset = partners
        if not self.fields["initiative"].queryset.exists():
            del self.fields["initiative"]
            del self.fields["partner_organisation"]

    @staticmethod
    def initial_from(plan: Plan) -> dict:
        return {
            "title": plan.title,
            "summary": plan.summary,
            "description": plan.description,
            "area": plan.area_id,
            "latitude": plan.latitude,
            "longitude": plan.longitude,
            "address": plan.address,
            "initiative": plan.initiative_id,
            "partner_organisation": plan.partner_organisation_id,
            "photo_alt": plan.photo_alt,
            "category": plan.category,
        }

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:  # decoded and re-encoded without metadata (GPS), or refused
            photo = uploads.clean_image(photo)
        return photo

    def clean(self):
        cleaned = super().clean()
        lat, lon = cleaned.get("latitude"), cleaned.get("longitude")
        if (
            (lat is None) != (lon is None)
            and "latitude" not in self.errors
            and "longitude" not in self.errors
        ):
            self.add_error(
                "longitude" if lon is None else "latitude",
                _("Give both latitude and longitude, or neither."),
            )
        elif lat is not None and lon is not None and self.picker is not None:
            self._check_place(cleaned, lat, lon)
        if cleaned.get("partner_organisation") and not cleaned.get("initiative"):
            self.add_error(
                "initiative", _("A joint plan with an organisation needs an initiative too.")
            )
        if cleaned.get("photo") and not cleaned.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo in a few words."))
        return cleaned

    def _check_place(self, cleaned, lat, lon) -> None:
        """The place on the map lies in one of the round's areas, and in the chosen one."""
        place_area = self.picker.area_at(lat, lon)
        chosen = cleaned.get("area")
        if place_area is None:
            self.add_error(
                "area",
                _(
                    "The place on the map lies outside the areas of this round. "
                    "Click inside an area."
                ),
            )
        elif chosen is None and "area" not in self.errors:
            cleaned["area"] = place_area
        elif chosen is not None and chosen.pk != place_area.pk:
            self.add_error(
                "area",
                _(
                    "The place on the map lies in %(area)s. Choose that area, "
                    "or click another place on the map."
                )
                % {"area": place_area.name},
            )

    def to_data(self, cost_lines) -> PlanData:
        c = self.cleaned_data
        photo = c.get("photo")
        return PlanData(
            title=c["title"],
            summary=c["summary"],
            description=c["description"],
            area=c.get("area"),
            latitude=c.get("latitude"),
            longitude=c.get("longitude"),
            address=c.get("address", ""),
            initiative=c.get("initiative"),
            partner_organisation=c.get("partner_organisation"),
            photo=photo or None,
            remove_photo=photo is False,
            photo_alt=c.get("photo_alt", ""),
            cost_lines=cost_lines,
            category=c.get("category", ""),
        )


class CostLineForm(platform_forms.Form):
    description = forms.CharField(label=_("What"), max_length=200, required=False)
    amount = EuroField(label=_("Amount in euros"), required=False)

    def clean(self):
        cleaned = super().clean()
        desc, amount = cleaned.get("description"), cleaned.get("amount")
        if desc and amount is None and "amount" not in self.errors:
            self.add_error("amount", _("Enter the amount for this cost line."))
        if amount is not None and not desc:
            self.add_error("description", _("Say what this amount is for."))
        return cleaned


class BaseCostLineFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        if not self.lines():
            raise forms.ValidationError(
                _("Add at least one cost line with an amount."), code="no_costs"
            )

    def lines(self) -> list[tuple[str, int]]:
        return [
            (f.cleaned_data["description"], f.cleaned_data["amount"])
            for f in self.forms
            if f.cleaned_data.get("description") and f.cleaned_data.get("amount")
        ]

    def total_cents(self) -> int:
        total = 0
        for f in self.forms:
            cleaned = getattr(f, "cleaned_data", None) or {}
            total += cleaned.get("amount") or 0
        return total


#: A plan may have any number of cost lines; this cap only stops a runaway form.
MAX_COST_LINES = 100

CostLineFormSet = forms.formset_factory(
    CostLineForm,
    formset=BaseCostLineFormSet,
    extra=2,
    max_num=MAX_COST_LINES,
    validate_max=True,
    absolute_max=MAX_COST_LINES,
)


def posted_cost_rows(data, prefix: str = "costs") -> list[dict]:
    """The cost rows as typed (not cleaned), to show them again with one more row or a point.

    Reads at most ``MAX_COST_LINES`` rows; a missing or broken row count reads as none.
    """
    try:
        count = int(data.get(f"{prefix}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        count = 0
    return [
        {
            "description": data.get(f"{prefix}-{i}-description", ""),
            "amount": data.get(f"{prefix}-{i}-amount", ""),
        }
        for i in range(max(0, min(count, MAX_COST_LINES)))
    ]


def cost_line_initial(plan: Plan) -> list[dict]:
    return [
        {"description": line.description, "amount": line.amount_cents}
        for line in plan.cost_lines.all()
    ]


def last_criteria_met(plan: Plan) -> list[int]:
    """The criteria ticked in the plan's latest assessment (to start the next one from)."""
    from .models import CriterionCheck

    latest = plan.assessments.order_by("-created_at", "-pk").values("pk")[:1]
    return list(
        CriterionCheck.objects.filter(
            assessment__in=latest, met=True, criterion__isnull=False
        ).values_list("criterion_id", flat=True)
    )


class AssessmentForm(platform_forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (PlanStatus.FEASIBLE, _("Feasible: the plan goes on the ballot")),
            (PlanStatus.NOT_FEASIBLE, _("Not feasible")),
        ],
        widget=forms.RadioSelect,
    )
    public_reason = forms.CharField(
        label=_("Reason (public)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Everyone can read this. Required when the plan is not feasible."),
    )
    cost = EuroField(
        label=_("Cost in euros"),
        help_text=_("Change this only if the plan will cost more or less than submitted."),
    )
    cost_explanation = forms.CharField(
        label=_("Why the cost changed (public)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    criteria_met = forms.ModelMultipleChoiceField(
        label=_("Criteria the plan meets"),
        queryset=AssessmentCriterion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every criterion of the round that the plan meets."),
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "decision": plan.status
                if plan.status in (PlanStatus.FEASIBLE, PlanStatus.NOT_FEASIBLE)
                else None,
                "public_reason": plan.public_reason,
                "cost": plan.cost_cents,
                "cost_explanation": plan.cost_explanation,
                "criteria_met": last_criteria_met(plan),
            },
        )
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["criteria_met"].queryset = plan.budget_round.criteria.all()
        prefix = f"plan{plan.pk}"
        self.auto_id = f"id_{prefix}_%s"

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("decision") == PlanStatus.NOT_FEASIBLE
            and not (cleaned.get("public_reason") or "").strip()
        ):
            self.add_error(
                "public_reason", _("Explain why the plan is not feasible; the reason is public.")
            )
        cost = cleaned.get("cost")
        if (
            cost is not None
            and cost != self.plan.cost_cents
            and not (cleaned.get("cost_explanation") or "").strip()
        ):
            self.add_error(
                "cost_explanation",
                _("Explain why the cost was changed; the explanation is public."),
            )
        return cleaned


class MergeForm(platform_forms.Form):
    keep = forms.ModelChoiceField(
        label=_("Merge into this plan"), queryset=Plan.objects.none(), empty_label=None
    )
    public_reason = forms.CharField(
        label=_("Reason (public)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, plan: Plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["keep"].queryset = (
            plan.budget_round.plans.exclude(pk=plan.pk)
            .exclude(status__in=[PlanStatus.MERGED, PlanStatus.WITHDRAWN, PlanStatus.DRAFT])
            .order_by("title")
        )
        self.auto_id = f"id_merge{plan.pk}_%s"


class ProgressForm(platform_forms.Form):
    happened_on = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=dt.date.today,
    )
    status = forms.ChoiceField(label=_("Status"), choices=ExecutionStatus.choices)
    text = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    photo = forms.FileField(
        label=_("Photo (optional)"),
        required=False,
        help_text=_("JPG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    photo_alt = forms.CharField(label=_("What is on the photo?"), max_length=200, required=False)

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:  # decoded and re-encoded without metadata (GPS), or refused
            photo = uploads.clean_image(photo)
        return photo

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("photo") and not cleaned.get("photo_alt"):
            self.add_error("photo_alt", _("Describe the photo in a few words."))
        return cleaned


class NoteForm(platform_forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Only civil servants of the municipality see this note."),
    )


class QuestionForm(platform_forms.Form):
    question = forms.CharField(
        label=_("Question to the submitter"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("The submitter gets a message and answers on the page of the plan."),
    )


class AnswerForm(platform_forms.Form):
    answer = forms.CharField(
        label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
