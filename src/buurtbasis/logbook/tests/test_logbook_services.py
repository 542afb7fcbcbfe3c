"""The logbook's writes: automatic entries (idempotent), notes (masked, professionals only),
append-only rows, where an entry goes."""

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets import services as budget_services
from buurtbasis.budgets.models import Outcome
from buurtbasis.budgets.tests.factories import BudgetRoundFactory
from buurtbasis.hosting import services as hosting_services
from buurtbasis.initiatives import services as initiative_services
from buurtbasis.logbook import services
from buurtbasis.logbook.management.commands.backfill_logbook import backfill
from buurtbasis.logbook.models import AppendOnlyError, Audience, EntryKind, LogEntry
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .helpers import initiative, town

pytestmark = pytest.mark.django_db


def kinds(**filters):
    return sorted(LogEntry.objects.filter(**filters).values_list("kind", flat=True))


def test_an_initiative_is_logged_when_registered_started_handed_over_and_ended():
    t = town()
    ini = initiative(t)
    for status in ("active", "paused", "active", "handed_over", "ended"):
        initiative_services.change_status(initiative=ini, to_status=status, by=t.resident)
    entries = LogEntry.objects.filter(source_id=ini.pk).order_by("pk")
    assert [(e.kind, e.details["status"]) for e in entries] == [
        ("initiative_started", "idea"),
        ("initiative_started", "active"),
        ("initiative_started", "active"),  # started again after the pause
        ("initiative_handed_over", "handed_over"),
        ("initiative_ended", "ended"),
    ]
    assert {e.area for e in entries} == {t.buurt}
    assert {e.title for e in entries} == {"Moestuin Binnenstad"}
    assert {e.audience for e in entries} == {Audience.PUBLIC}
    assert {e.municipality_code for e in entries} == {"GM0193"}


def test_a_private_idea_stays_with_the_professionals():
    t = town()
    initiative(t, is_public=False)
    assert list(LogEntry.objects.values_list("audience", flat=True)) == [Audience.PROFESSIONALS]


def test_several_buurten_of_one_wijk_become_one_entry_on_the_wijk():
    t = town()
    initiative(t, areas=[t.buurt, t.other_buurt])
    assert list(LogEntry.objects.values_list("area", flat=True)) == [t.wijk.pk]


def test_entry_areas_keeps_one_buurt_a_gemeente_and_separate_wijken():
    t = town()
    other = town("GM0599", "Rotterdam")
    assert services.entry_areas([t.buurt]) == [t.buurt]
    assert services.entry_areas([t.buurt, t.wijk]) == [t.wijk]
    assert services.entry_areas([t.gemeente]) == [t.gemeente]
    assert services.entry_areas([t.buurt, other.buurt]) == [t.buurt, other.buurt]


def test_a_round_is_logged_when_published_and_once_when_its_results_are_stored():
    t = town()
    civil = UserFactory(roles=[(Role.CIVIL_SERVANT, t.municipality)])
    budget_round = BudgetRoundFactory(
        organisation=t.municipality, areas=[t.wijk], is_public=False, title="Buurtbudget Centrum"
    )
    assert not LogEntry.objects.exists()  # a draft is nobody's business yet
    budget_services.publish_round(budget_round=budget_round, actor=civil)
    outcome = Outcome.objects.create(
        budget_round=budget_round,
        funded_plan_ids=[1, 2],
        total_cost_cents=40_000,
        budget_cents=50_000,
        n_ballots=120,
        engine_version="test",
        pabulib_sha256="0" * 64,
        pabulib_text="",
    )
    outcome.save()  # a recount saves again: nothing new
    budget_round.save()
    assert kinds() == ["results_published", "round_opened"]
    results = LogEntry.objects.get(kind=EntryKind.RESULTS_PUBLISHED)
    assert results.details == {
        "funded": 2,
        "total_cents": 40_000,
        "budget_cents": 50_000,
        "ballots": 120,
    }
    assert results.area == t.wijk and results.audience == Audience.PUBLIC


def test_a_hosting_agreement_is_logged_for_professionals_when_it_starts_and_ends():
    t = town()
    ini = initiative(t)
    initiative_services.change_status(initiative=ini, to_status="active", by=t.resident)
    agreement = hosting_services.request_hosting(
        initiative=ini, host=t.welfare, message="Graag", origin=Origin(actor=t.resident)
    )
    hosting_services.offer(
        agreement=agreement,
        start_date=datetime.date(2026, 1, 1),
        fee_basis_points=0,
        approval_threshold_cents=0,
        approver_bands=[],
        required_receipts="",
        origin=Origin(actor=t.worker),
    )
    assert kinds(kind="hosting") == []
    agreement = hosting_services.accept(agreement=agreement, origin=Origin(actor=t.resident))
    hosting_services.end(agreement=agreement, reason="Klaar", origin=Origin(actor=t.worker))
    entries = LogEntry.objects.filter(kind=EntryKind.HOSTING).order_by("pk")
    assert [e.details for e in entries] == [
        {"state": "active", "host": "Welzijn Zwolle"},
        {"state": "ended", "host": "Welzijn Zwolle"},
    ]
    assert {e.audience for e in entries} == {Audience.PROFESSIONALS}


def test_the_backfill_adds_nothing_when_the_receivers_wrote_everything():
    t = town()
    ini = initiative(t)
    initiative_services.change_status(initiative=ini, to_status="active", by=t.resident)
    before = LogEntry.objects.count()
    assert backfill() == 0  # everything is already there
    assert LogEntry.objects.count() == before == 2


def test_the_backfill_writes_entries_for_rows_made_without_the_receivers():
    from django.db.models.signals import post_save

    from buurtbasis.initiatives.models import StatusChange
    from buurtbasis.logbook import receivers

    t = town()
    post_save.disconnect(
        receivers.initiative_changed, sender=StatusChange, dispatch_uid="logbook.initiative_changed"
    )
    try:
        ini = initiative(t)
        initiative_services.change_status(initiative=ini, to_status="active", by=t.resident)
    finally:
        post_save.connect(
            receivers.initiative_changed,
            sender=StatusChange,
            dispatch_uid="logbook.initiative_changed",
        )
    assert LogEntry.objects.count() == 0
    assert backfill() == 2
    assert backfill() == 0
    assert kinds() == ["initiative_started", "initiative_started"]


def test_entries_are_append_only():
    t = town()
    initiative(t)
    entry = LogEntry.objects.get()
    entry.title = "Anders"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).update(title="Anders")
    with pytest.raises(AppendOnlyError):
        LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get().title == "Moestuin Binnenstad"


def test_the_database_refuses_a_second_entry_for_the_same_event():
    t = town()
    initiative(t)
    entry = LogEntry.objects.get()
    with pytest.raises(IntegrityError):
        LogEntry.objects.create(
            municipality_code=entry.municipality_code,
            area=entry.area,
            kind=entry.kind,
            title="dubbel",
            source_type=entry.source_type,
            source_id=entry.source_id,
            event_key=entry.event_key,
        )


def test_a_note_is_masked_audited_and_for_professionals_only():
    t = town()
    initiative(t, name="Moestuin Binnenstad")
    note = services.add_note(
        area=t.buurt,
        title="Afspraak met Welzijn Zwolle",
        body=(
            "Moestuin Binnenstad krijgt de sleutel van het buurthuis. Contact: Fatima, "
            "06-12345678, fatima@example.org, Kerkstraat 12a, 8011 AB."
        ),
        for_handover=True,
        origin=Origin(actor=t.worker),
    )
    assert note.title == "Afspraak met Welzijn Zwolle"
    assert "Moestuin Binnenstad" in note.body
    for secret in ("Fatima", "06-12345678", "fatima@example.org", "Kerkstraat 12", "8011 AB"):
        assert secret not in note.body
    assert "[telefoon]" in note.body and "[e-mail]" in note.body
    assert note.audience == Audience.PROFESSIONALS and note.for_handover
    assert note.author == t.worker
    assert AuditEvent.objects.filter(action="logbook.note_added", actor=t.worker).count() == 1


@pytest.mark.parametrize("who", ["resident", "stranger", "other_worker"])
def test_only_professionals_of_the_municipality_write_notes(who):
    t = town()
    other = town("GM0599", "Rotterdam")
    actor = {"resident": t.resident, "stranger": None, "other_worker": other.worker}[who]
    with pytest.raises(services.LogbookError) as error:
        services.add_note(area=t.wijk, title="T", body="B", origin=Origin(actor=actor))
    assert error.value.code == "forbidden"
    assert not LogEntry.objects.filter(kind="note").exists()


@pytest.mark.parametrize(
    ("title", "body", "happened_on", "code"),
    [
        ("", "tekst", None, "empty"),
        ("Titel", "   ", None, "empty"),
        ("Titel\u202e", "tekst", None, "control"),
        ("Titel", "x" * 5001, None, "too_long"),
        ("Titel", "tekst", timezone.localdate() + datetime.timedelta(days=1), "future"),
    ],
)
def test_a_note_with_bad_input_gets_a_clear_error(title, body, happened_on, code):
    t = town()
    with pytest.raises(services.LogbookError) as error:
        services.add_note(
            area=t.wijk,
            title=title,
            body=body,
            happened_on=happened_on,
            origin=Origin(actor=t.civil_servant),
        )
    assert error.value.code == code


def test_a_correction_is_a_new_note_that_refers_to_the_old_one():
    t = town()
    origin = Origin(actor=t.civil_servant)
    old = services.add_note(area=t.wijk, title="Sleutel", body="Bij het buurthuis.", origin=origin)
    new = services.add_note(
        area=t.wijk, title="Sleutel", body="Bij de school.", corrects=old, origin=origin
    )
    assert new.corrects == old and list(old.corrections.all()) == [new]
    assert LogEntry.objects.get(pk=old.pk).body == "Bij het buurthuis."


def test_a_note_cannot_correct_an_entry_of_another_municipality():
    t = town()
    other = town("GM0599", "Rotterdam")
    foreign = services.add_note(
        area=other.wijk, title="Daar", body="Tekst", origin=Origin(actor=other.worker)
    )
    with pytest.raises(services.LogbookError) as error:
        services.add_note(
            area=t.wijk,
            title="Hier",
            body="Tekst",
            corrects=foreign,
            origin=Origin(actor=t.worker),
        )
    assert error.value.code == "foreign"


def test_a_failing_logbook_never_stops_the_write_that_triggered_it(monkeypatch, caplog):
    t = town()

    def broken(change):
        raise RuntimeError("logbook down")

    monkeypatch.setattr(services, "log_initiative_change", broken)
    ini = initiative(t)
    initiative_services.change_status(initiative=ini, to_status="active", by=t.resident)
    ini.refresh_from_db()
    assert ini.status == "active" and not LogEntry.objects.exists()
    assert "logbook entry not written" in caplog.text
    monkeypatch.undo()
    assert backfill() == 2  # the backfill writes what was missed


# -- story rounds ---------------------------------------------------------------------------------


def _session(story_round, worker):
    from buurtbasis.stories import services_catalysis

    return services_catalysis.record_session(
        story_round=story_round,
        held_on=timezone.localdate(),
        place="Buurthuis De Ster",
        participants=14,
        conclusions="De bushalte moet beter verlicht worden.",
        origin=Origin(actor=worker),
    )


def _story_entries():
    return list(
        LogEntry.objects.filter(kind__startswith="story_round").values_list(
            "kind", "audience", "area__code"
        )
    ) + list(
        LogEntry.objects.filter(kind="sensemaking").values_list("kind", "audience", "area__code")
    )


def test_a_story_round_is_logged_when_opened_and_closed_and_its_sessions_too():
    from buurtbasis.stories import services as story_services

    from .helpers import story_round

    t = town()
    r = story_round(t)  # opened
    wijk = t.wijk.code
    assert _story_entries() == [("story_round_opened", Audience.PUBLIC, wijk)]
    # saving it again (opening it again too) adds nothing
    story_services.set_round_status(story_round=r, status="open", origin=Origin(actor=t.worker))
    r.save()
    story_services.set_round_status(story_round=r, status="closed", origin=Origin(actor=t.worker))
    _session(r, t.worker)
    assert sorted(_story_entries()) == [
        ("sensemaking", Audience.PROFESSIONALS, wijk),
        ("story_round_closed", Audience.PUBLIC, wijk),
        ("story_round_opened", Audience.PUBLIC, wijk),
    ]
    entry = LogEntry.objects.get(kind="sensemaking")
    assert entry.title == r.title and entry.details == {"participants": 14}
    assert backfill() == 0


def test_the_backfill_writes_story_rounds_and_sessions_made_without_the_receivers():
    from django.db.models.signals import post_save

    from buurtbasis.logbook import receivers
    from buurtbasis.stories import services as story_services
    from buurtbasis.stories.models import SenseMakingSession, StoryRound

    from .helpers import story_round

    t = town()
    hooks = [
        (receivers.story_round_status, StoryRound, "logbook.story_round_status"),
        (receivers.sensemaking_recorded, SenseMakingSession, "logbook.sensemaking"),
    ]
    for fn, sender, uid in hooks:
        post_save.disconnect(fn, sender=sender, dispatch_uid=uid)
    try:
        r = story_round(t)
        story_services.set_round_status(
            story_round=r, status="closed", origin=Origin(actor=t.worker)
        )
        _session(r, t.worker)
    finally:
        for fn, sender, uid in hooks:
            post_save.connect(fn, sender=sender, dispatch_uid=uid)
    assert _story_entries() == []
    assert backfill() == 3
    assert backfill() == 0
    assert sorted(k for k, _a, _c in _story_entries()) == [
        "sensemaking",
        "story_round_closed",
        "story_round_opened",
    ]
