"""Forms of the stories app: setting up a round, telling a story, withdrawing one."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from buurtbasis.areas.models import Area
from buurtbasis.organisations.models import Organisation, OrganisationKind
from buurtbasis.platform import forms as platform_forms

from . import access
from .models import (
    AgeBand,
    Consent,
    ConsentHow,
    ContactChannel,
    QuestionKind,
    StoryRound,
    TellerRole,
)
from .services import (
    MAX_STORY_LENGTH,
    QuestionData,
    RoundData,
    StoryData,
    StoryError,
    parse_questions,
    parse_themes,
)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class RangeInput(forms.NumberInput):
    input_type = "range"


DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"]


def _lines(questions, kind) -> str:
    return "\n".join(" | ".join([q.text, *q.labels]) for q in questions if q.kind == kind)


class RoundForm(platform_forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    prompt = forms.CharField(
        label=_("Prompt"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What residents respond to, for example “Tell about a moment when…”."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_("Why this round is held, in plain language."),
    )
    next_steps = forms.CharField(
        label=_("What happens next"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Shown on the thank-you page after someone tells a story."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    areas = forms.ModelMultipleChoiceField(
        label=_("Areas"), queryset=Area.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS
    )
    themes = forms.CharField(
        label=_("Themes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
        help_text=_(
            "One theme per line: the name, a colon and a one-line description, for example "
            "“Loneliness: being alone, nobody to talk to”."
        ),
    )
    dyad_questions = forms.CharField(
        label=_("Sliders between two poles"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_(
            "One per line: the question and the two poles, separated by “|”, for example "
            "“How did it feel? | bad | good”."
        ),
    )
    triad_questions = forms.CharField(
        label=_("Triangle between three forces (at most one)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
        help_text=_(
            "The question and the three corners, separated by “|”, for example "
            "“Who made the difference? | myself | neighbours | professionals”."
        ),
    )
    choice_questions = forms.CharField(
        label=_("Multiple-choice questions"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
        help_text=_(
            "One per line: the question and the options, separated by “|”, for example "
            "“When did it happen? | this year | earlier”."
        ),
    )

    def __init__(self, *args, user, municipality: str, instance: StoryRound | None = None, **kw):
        self.instance = instance
        if instance is not None and "initial" not in kw:
            questions = list(instance.questions.all())
            kw["initial"] = {
                "title": instance.title,
                "prompt": instance.prompt,
                "description": instance.description,
                "next_steps": instance.next_steps,
                "organisation": instance.organisation_id,
                "areas": list(instance.areas.all()),
                "opens_at": instance.opens_at,
                "closes_at": instance.closes_at,
                "themes": "\n".join(
                    f"{t.label}: {t.description}" if t.description else t.label
                    for t in instance.themes.all()
                ),
                "dyad_questions": _lines(questions, QuestionKind.DYAD),
                "triad_questions": _lines(questions, QuestionKind.TRIAD),
                "choice_questions": _lines(questions, QuestionKind.CHOICE),
            }
        super().__init__(*args, **kw)
        if access.is_platform_admin(user):
            orgs = Organisation.objects.filter(kind=OrganisationKind.WELFARE).in_municipality(
                municipality
            )
        else:
            orgs = access.worker_organisations(user, municipality)
        if instance is not None:
            orgs = Organisation.objects.filter(pk=instance.organisation_id)
            self.fields["organisation"].disabled = True
        self.fields["organisation"].queryset = orgs
        self.fields["areas"].queryset = (
            Area.objects.in_municipality(municipality)
            .filter(level__in=["wijk", "buurt"])
            .order_by("-year", "code")
        )

    def clean(self):
        data = super().clean()
        for name, parse in (
            ("themes", parse_themes),
            ("dyad_questions", lambda t: parse_questions(t, QuestionKind.DYAD)),
            ("triad_questions", lambda t: parse_questions(t, QuestionKind.TRIAD)),
            ("choice_questions", lambda t: parse_questions(t, QuestionKind.CHOICE)),
        ):
            if name in data:
                try:
                    data[f"parsed_{name}"] = parse(data[name])
                except StoryError as exc:
                    self.add_error(name, exc.message)
        return data

    def to_data(self) -> RoundData:
        d = self.cleaned_data
        questions: list[QuestionData] = [
            *d["parsed_dyad_questions"],
            *d["parsed_triad_questions"],
            *d["parsed_choice_questions"],
        ]
        return RoundData(
            title=d["title"],
            prompt=d["prompt"],
            description=d["description"],
            next_steps=d["next_steps"],
            organisation=d["organisation"],
            areas=list(d["areas"]),
            opens_at=d["opens_at"],
            closes_at=d["closes_at"],
            themes=d["parsed_themes"],
            questions=questions,
        )


CONSENT_CHOICES = [
    (
        Consent.PUBLIC_ANON,
        _(
            "You may show my story on the website, without names, addresses or phone "
            "numbers. Everyone can read it."
        ),
    ),
    (
        Consent.PROFESSIONALS_ONLY,
        _(
            "Only the community workers and civil servants of this round may read my story. "
            "It is not shown on the website."
        ),
    ),
    (
        Consent.ANALYSIS_ONLY,
        _("My story may only be counted, together with other stories. Nobody quotes it."),
    ),
]


#: Where a dyad's slider and a triad's three sliders start (untouched).
DYAD_START = 50
TRIAD_START = 33


class StoryForm(platform_forms.Form):
    """A story and the answers about it; the question fields are added per round.

    Per question (``q<id>``): a dyad is a slider 0..100 with an "n.v.t." box; a triad
    three sliders ``q<id>_a/_b/_c`` (the triangle script sets them) with an "n.v.t."
    box; a choice radio buttons.

    "No answer" is the default: the "n.v.t." box starts ticked. The script unticks it
    when the teller moves the slider and says so in ``scripted``; then the box decides.
    Without the script a box cannot untick itself, so a ticked box with the slider at
    its starting point is no answer, and a slider the teller moved is an answer.
    """

    text = forms.CharField(
        label=_("Your story"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_STORY_LENGTH,
        help_text=_("Write it the way you would tell it. Names of other people are not needed."),
    )
    area = forms.ModelChoiceField(
        label=_("Where did it happen?"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("I would rather not say"),
    )
    consent = forms.ChoiceField(
        label=_("What may we do with your story?"),
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
    )
    may_contact = forms.BooleanField(label=_("You may contact me about my story"), required=False)
    contact_channel = forms.ChoiceField(
        label=_("How may we contact you?"),
        choices=[c for c in ContactChannel.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )
    contact_detail = forms.CharField(
        label=_("Your e-mail address or phone number"),
        max_length=120,
        required=False,
        help_text=_("Only used to contact you about this story."),
    )
    age_band = forms.ChoiceField(
        label=_("How old are you?"), choices=AgeBand.choices, required=False
    )
    teller_role = forms.ChoiceField(
        label=_("You tell this story as a"),
        choices=TellerRole.choices,
        widget=forms.RadioSelect,
        initial=TellerRole.RESIDENT,
    )

    #: Set to "1" by the page's script: the "n.v.t." boxes follow the sliders.
    scripted = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, story_round: StoryRound, on_behalf: bool = False, **kw):
        super().__init__(*args, **kw)
        self.story_round = story_round
        self.questions = list(story_round.questions.all())
        areas = story_round.areas.all()
        self.fields["area"].queryset = areas
        if len(areas) == 1:
            self.fields["area"].initial = areas[0].pk
        self.fields["contact_detail"].widget.attrs["autocomplete"] = "email"
        self.question_fields: list[dict] = []
        for q in self.questions:
            name = f"q{q.pk}"
            entry = {"question": q, "name": name}
            if q.kind == QuestionKind.DYAD:
                self.fields[name] = forms.IntegerField(
                    label=q.text,
                    min_value=0,
                    max_value=100,
                    initial=DYAD_START,
                    required=False,
                    widget=RangeInput(attrs={"min": 0, "max": 100, "step": 1}),
                    help_text=_("From “%(left)s” (left) to “%(right)s” (right).")
                    % {"left": q.labels[0], "right": q.labels[1]},
                )
                self.fields[f"{name}_na"] = forms.BooleanField(
                    label=_("Does not apply (n.v.t.)"), required=False, initial=True
                )
                entry["fields"] = [self[name]]
            elif q.kind == QuestionKind.TRIAD:
                subfields = []
                for suffix, label in zip("abc", q.labels, strict=False):
                    self.fields[f"{name}_{suffix}"] = forms.IntegerField(
                        label=label,
                        min_value=0,
                        max_value=100,
                        initial=TRIAD_START,
                        required=False,
                        widget=RangeInput(attrs={"min": 0, "max": 100, "step": 1}),
                    )
                    subfields.append(self[f"{name}_{suffix}"])
                self.fields[f"{name}_na"] = forms.BooleanField(
                    label=_("Does not apply (n.v.t.)"), required=False, initial=True
                )
                entry["fields"] = subfields
            else:
                self.fields[name] = forms.TypedChoiceField(
                    label=q.text,
                    choices=[(str(i), label) for i, label in enumerate(q.labels)],
                    coerce=int,
                    empty_value=None,
                    widget=forms.RadioSelect,
                    required=False,
                )
                entry["fields"] = [self[name]]
            if f"{name}_na" in self.fields:
                entry["na"] = self[f"{name}_na"]
            self.question_fields.append(entry)
        if on_behalf:
            self.fields["consent_how"] = forms.ChoiceField(
                label=_("How did the teller give consent?"),
                choices=[c for c in ConsentHow.choices if c[0] != ConsentHow.ONLINE],
                widget=forms.RadioSelect,
            )
            self.fields["consent"].label = _("What may we do with the story?")
            self.fields["text"].label = _("The story")
            self.fields["teller_role"].label = _("The teller tells this story as a")
            self.fields["age_band"].label = _("Age of the teller")

    def answers(self) -> dict[int, object]:
        d = self.cleaned_data
        out: dict[int, object] = {}
        for q in self.questions:
            name = f"q{q.pk}"
            if q.kind == QuestionKind.DYAD:
                value = d.get(name)
                untouched = value is None or value == DYAD_START
                if value is None or (d.get(f"{name}_na") and (d.get("scripted") or untouched)):
                    out[q.pk] = None
                else:
                    out[q.pk] = value / 100
            elif q.kind == QuestionKind.TRIAD:
                weights = [d.get(f"{name}_{s}") for s in "abc"]
                untouched = all(w == TRIAD_START for w in weights)
                if any(w is None for w in weights) or (
                    d.get(f"{name}_na") and (d.get("scripted") or untouched)
                ):
                    out[q.pk] = None
                else:
                    out[q.pk] = weights
            else:
                out[q.pk] = d.get(name)
        return out

    def to_data(self) -> StoryData:
        d = self.cleaned_data
        return StoryData(
            text=d["text"],
            consent=d["consent"],
            area=d.get("area"),
            may_contact=d.get("may_contact", False),
            contact_channel=d.get("contact_channel") or "",
            contact_detail=d.get("contact_detail") or "",
            age_band=d.get("age_band") or "",
            teller_role=d.get("teller_role") or TellerRole.RESIDENT,
            answers=self.answers(),
            consent_how=d.get("consent_how") or ConsentHow.ONLINE,
        )


class WithdrawForm(platform_forms.Form):
    code = forms.CharField(
        label=_("Withdrawal code"),
        max_length=40,
        help_text=_("The code from the thank-you page, for example K7QF-93MA-XW2P."),
    )


class ThemeLabelForm(platform_forms.Form):
    theme = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.BooleanField(required=False, widget=forms.HiddenInput)
