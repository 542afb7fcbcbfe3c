"""The pair's life cycle, check-ins and reminders, batch proposals and retention,
through the real services and the real matching core."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from buurtbasis.buddies import adapters, services
from buurtbasis.buddies.models import (
    BatchStatus,
    CheckIn,
    Household,
    HouseholdStatus,
    Pair,
    PairStatus,
)
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.platform.testing import delivered, run_queued_tasks

from .helpers import active_pair, household, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def test_a_pair_goes_from_proposed_through_both_acceptances_to_active_with_check_ins():
    t = town()
    contact = t.resident
    newcomer = household(t, "newcomer", contact=contact)
    local = household(t, "local", area=t.next_buurt)
    matcher = Origin(actor=t.matcher)
    pair = services.propose_pair(newcomer=newcomer, local=local, origin=matcher)
    assert pair.status == PairStatus.PROPOSED
    assert set(Household.objects.values_list("status", flat=True)) == {HouseholdStatus.PAIRED}
    # The contact person heard of the proposal.
    assert Notification.objects.filter(recipient=contact, kind="buddies.pair_proposed").exists()

    services.accept(pair=pair, side="newcomer", origin=Origin(actor=contact), on_behalf=False)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED and not pair.newcomer_on_behalf
    assert pair.newcomer_accepted_by == contact

    start = datetime.date(2025, 8, 31)
    services.accept(pair=pair, side="local", origin=matcher, on_behalf=True, start=start)
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    assert pair.local_on_behalf and pair.local_accepted_by == t.matcher
    assert pair.starts_on == start and pair.ends_on == datetime.date(2026, 2, 28)
    weeks = list(pair.checkins.values_list("week", "due_on"))
    assert weeks == [(w, start + datetime.timedelta(weeks=w)) for w in (2, 6, 12, 24)]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"buddies.pair_proposed", "buddies.pair_accepted", "buddies.pair_active"} <= actions


def test_steps_out_of_order_are_refused_with_a_clear_message():
    t = town()
    pair = active_pair(t)
    origin = Origin(actor=t.matcher)
    with pytest.raises(services.BuddyError, match="niet meer"):
        services.accept(pair=pair, side="newcomer", origin=origin, on_behalf=True)
    with pytest.raises(services.BuddyError, match="reden"):
        services.end_early(pair=pair, reason="  ", origin=origin)
    with pytest.raises(services.BuddyError, match="na afloop"):
        services.evaluate(pair=pair, newcomer_text="Fijn", local_text="", origin=origin)
    busy = pair.newcomer
    other = household(t, "local")
    with pytest.raises(services.BuddyError, match="wacht niet"):
        services.propose_pair(newcomer=busy, local=other, origin=origin)
    with pytest.raises(services.BuddyError):
        services.propose_pair(newcomer=other, local=busy, origin=origin)


def test_ending_early_puts_both_back_to_waiting_and_rematching_never_offers_the_old_partner():
    t = town()
    pair = active_pair(t)
    spare = household(t, "local", label="Familie Reserve")
    services.end_early(pair=pair, reason="Verhuisd", origin=Origin(actor=t.matcher))
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED_EARLY and pair.end_reason == "Verhuisd"
    assert not pair.checkins.filter(done_on__isnull=True).exists()
    newcomer = Household.objects.get(pk=pair.newcomer_id)
    assert newcomer.status == HouseholdStatus.WAITING
    found = adapters.suggestions(
        newcomer,
        [h for h in Household.objects.filter(kind="local", status="waiting")],
        excluded_ids=services.former_partners(newcomer),
    )
    assert [s.household.pk for s in found["suggestions"]] == [spare.pk]
    # The page's cached matcher too: never the old partner, and new rows count at once.
    cached = adapters.suggestions_for(Household.objects.get(pk=newcomer.pk))
    assert [s.household.label for s in cached["suggestions"]] == ["Familie Reserve"]
    household(t, "local", label="Familie Nieuw")
    cached = adapters.suggestions_for(Household.objects.get(pk=newcomer.pk))
    labels = {s.household.label for s in cached["suggestions"]}
    assert labels == {"Familie Reserve", "Familie Nieuw"}
    with pytest.raises(services.BuddyError, match="eerder"):
        services.propose_pair(newcomer=newcomer, local=pair.local, origin=Origin(actor=t.matcher))
    services.evaluate(
        pair=pair, newcomer_text="Jammer, het was leuk.", local_text="", origin=Origin()
    )
    pair.refresh_from_db()
    assert pair.status == PairStatus.EVALUATED and pair.evaluated_at


def test_a_check_in_note_is_masked_and_short():
    t = town()
    pair = active_pair(t)
    checkin = pair.checkins.first()
    services.record_checkin(
        checkin=checkin,
        origin=Origin(actor=t.matcher),
        note="Gesproken met Jan de Vries, bel 06-12345678 of mail jan@example.org.",
    )
    checkin.refresh_from_db()
    assert "12345678" not in checkin.note and "jan@example.org" not in checkin.note
    assert checkin.done_by == t.matcher and len(checkin.note) <= 300
    with pytest.raises(services.BuddyError):
        services.record_checkin(checkin=checkin, origin=Origin(actor=t.matcher))


def test_reminders_reach_the_matchers_before_and_when_overdue_once_each():
    t = town()
    start = timezone.localdate()
    pair = active_pair(t, start=start)
    first = pair.checkins.order_by("due_on").first()
    assert first.week == 2
    # Far before: nothing.
    assert services.send_checkin_reminders(today=start + datetime.timedelta(days=3)) == {
        "due": 0,
        "overdue": 0,
    }
    with delivered():
        counts = services.send_checkin_reminders(today=first.due_on - datetime.timedelta(days=2))
    assert counts == {"due": 1, "overdue": 0}
    notes = Notification.objects.filter(recipient=t.matcher, kind="buddies.checkin_due")
    assert notes.count() == 1 and "week 2" in notes.get().text
    assert any(t.matcher.email in m.to for m in mail.outbox)
    # Run again the same day: no second reminder. Other roles hear nothing.
    services.send_checkin_reminders(today=first.due_on - datetime.timedelta(days=2))
    assert notes.count() == 1
    assert not Notification.objects.filter(recipient__in=[t.worker, t.other_matcher]).exists()
    late = services.send_checkin_reminders(today=first.due_on + datetime.timedelta(days=1))
    assert late == {"due": 0, "overdue": 1}
    overdue = Notification.objects.get(recipient=t.matcher, kind="buddies.checkin_overdue")
    assert "week 2" in overdue.text
    # A recorded check-in is never reminded.
    second = pair.checkins.get(week=6)
    services.record_checkin(checkin=second, origin=Origin(actor=t.matcher))
    assert services.send_checkin_reminders(today=second.due_on + datetime.timedelta(days=5)) == {
        "due": 0,
        "overdue": 0,
    }


def test_the_scheduled_reminder_job_is_registered_and_runs():
    from buurtbasis.buddies import tasks
    from buurtbasis.platform import schedule

    names = {job.name for job in schedule.registered()}
    assert {"buddies.checkin_reminders", "buddies.erase_expired"} <= names
    t = town()
    pair = active_pair(t, start=timezone.localdate() - datetime.timedelta(days=13))
    tasks.send_checkin_reminders.enqueue()
    run_queued_tasks()
    assert Notification.objects.filter(
        recipient=t.matcher, kind="buddies.checkin_due", link__contains=f"/paar/{pair.pk}/"
    ).exists()


def test_a_batch_proposal_pairs_for_the_highest_total_and_the_matcher_chooses(settings):
    t = town()
    arabic = [{"code": "ar", "level": "native"}]
    n1 = household(t, "newcomer", label="N1", languages=arabic)
    n2 = household(t, "newcomer", label="N2", languages=[{"code": "ti", "level": "native"}])
    l1 = household(t, "local", label="L1", languages=arabic)
    household(t, "local", label="L2", languages=[{"code": "nl", "level": "native"}])
    batch = services.request_batch(programme=t.programme, origin=Origin(actor=t.matcher))
    assert batch.status == BatchStatus.DONE and batch.result["decision"] is False
    got = {(p["newcomer"], p["local"]) for p in batch.result["pairs"]}
    assert (n1.match_id, l1.match_id) in got
    # A must-have language: only Arabic speakers take part.
    strict = services.request_batch(
        programme=t.programme, origin=Origin(actor=t.matcher), language_code="ar"
    )
    assert [(p["newcomer"], p["local"]) for p in strict.result["pairs"]] == [
        (n1.match_id, l1.match_id)
    ]
    assert n2.match_id in strict.result["left_out"]
    # Nothing is decided until the matcher proposes chosen pairs.
    assert not Pair.objects.exists()
    pairs, problems = services.propose_from_batch(
        batch=strict, chosen=[(n1.pk, l1.pk), (n2.pk, l1.pk)], origin=Origin(actor=t.matcher)
    )
    assert [(p.newcomer, p.local) for p in pairs] == [(n1, l1)]
    # A chosen pair that is not in the proposal is skipped, and the matcher is told.
    assert len(problems) == 1 and "niet (meer) in dit voorstel" in problems[0]
    assert pairs[0].status == PairStatus.PROPOSED and "Arabisch" in pairs[0].explanation


def test_a_large_batch_is_computed_in_the_background(settings):
    settings.BUDDIES_BACKGROUND_FROM = 1
    t = town()
    household(t, "newcomer")
    household(t, "local")
    with delivered():  # commits, then runs the queued task
        batch = services.request_batch(programme=t.programme, origin=Origin(actor=t.matcher))
        assert batch.status == BatchStatus.PENDING
    batch.refresh_from_db()
    assert batch.status == BatchStatus.DONE and len(batch.result["pairs"]) == 1


def test_volunteered_facts_never_change_a_score_without_consent():
    t = town()
    a = household(t, "newcomer", sensitive={"religion": "islam"}, consent_sensitive=False)
    b = household(t, "local", sensitive={"religion": "islam"}, consent_sensitive=True)
    c = household(t, "local", label="Zonder")
    found = adapters.suggestions(a, [b, c])
    scores = {s.household.pk: s.score for s in found["suggestions"]}
    cached = adapters.suggestions_for(a)
    assert {s.household.pk: s.score for s in cached["suggestions"]} == scores
    assert scores[b.pk] == scores[c.pk]
    assert all("achtergrond" not in s.explanation for s in found["suggestions"])
    # Emptying the facts takes the consent with it.
    services.update_household(household=b, data={"sensitive": {}}, origin=Origin())
    b.refresh_from_db()
    assert b.consent_sensitive is False


def test_retention_erases_details_months_after_the_evaluation_and_only_then(settings):
    settings.BUDDIES_RETENTION_MONTHS = 12
    t = town()
    pair = active_pair(t, start=timezone.localdate() - datetime.timedelta(days=200))
    waiting = household(t, "newcomer", label="Wacht nog")
    services.complete(pair=pair, origin=Origin())
    services.evaluate(pair=pair, newcomer_text="Goed", local_text="Prima", origin=Origin())
    today = timezone.localdate()
    assert services.erase_expired(today=today) == 0
    assert services.erase_expired(today=today + datetime.timedelta(days=400)) == 2
    newcomer = Household.objects.get(pk=pair.newcomer_id)
    assert newcomer.erased_at and newcomer.languages == [] and newcomer.label == "—"
    assert Pair.objects.get(pk=pair.pk).evaluation_local == ""
    waiting.refresh_from_db()
    assert waiting.erased_at is None and waiting.languages


def test_retention_erases_households_that_wait_or_stay_in_intake_without_activity(settings):
    settings.BUDDIES_WAITING_RETENTION_MONTHS = 24
    t = town()
    intake = household(t, "newcomer", label="Nog in intake", ready=False)
    waiting = household(t, "local", label="Wacht lang")
    today = timezone.localdate()
    # After a declined proposal the household waits again: the decline is recent activity.
    late = household(t, "newcomer", label="Later voorgesteld")
    other = household(t, "local", label="Andere")
    pair = services.propose_pair(newcomer=late, local=other, origin=Origin(actor=t.matcher))
    services.decline(pair=pair, side="local", origin=Origin(actor=t.matcher))
    assert services.erase_expired(today=today) == 0
    long_ago = timezone.now() - datetime.timedelta(days=740)
    Household.objects.update(created_at=long_ago, updated_at=long_ago)
    assert services.erase_expired(today=today) == 2
    for row in (intake, waiting):
        row.refresh_from_db()
        assert row.erased_at and row.label == "—" and row.languages == []
    assert not Household.objects.filter(pk__in=[late.pk, other.pk], erased_at__isnull=False)


def test_a_household_without_an_area_boundary_uses_its_parent():
    t = town()
    t.buurt.boundary = None
    t.buurt.save()
    h = household(t, "newcomer")
    lat, lon = adapters.centroid(t.wijk)
    assert (h.lat, h.lon) == (pytest.approx(lat), pytest.approx(lon))


def test_check_in_weeks_come_from_the_settings(settings):
    settings.BUDDIES_CHECKIN_WEEKS = "1,4"
    t = town()
    pair = active_pair(t)
    assert list(pair.checkins.values_list("week", flat=True)) == [1, 4]
    assert CheckIn.objects.count() == 2


def test_a_declined_proposal_lets_both_wait_again_and_never_comes_back():
    t = town()
    newcomer = household(t, "newcomer")
    local = household(t, "local")
    matcher = Origin(actor=t.matcher)
    pair = services.propose_pair(newcomer=newcomer, local=local, origin=matcher)
    services.decline(pair=pair, side="local", origin=matcher, reason="Te weinig tijd")
    pair.refresh_from_db()
    assert pair.status == PairStatus.DECLINED and pair.end_reason == "Te weinig tijd"
    statuses = set(Household.objects.values_list("status", flat=True))
    assert statuses == {HouseholdStatus.WAITING}
    assert adapters.suggestions_for(Household.objects.get(pk=newcomer.pk))["suggestions"] == []
    with pytest.raises(services.BuddyError):
        services.accept(pair=pair, side="newcomer", origin=matcher, on_behalf=True)
    assert AuditEvent.objects.filter(action="buddies.pair_declined").exists()


def test_a_decline_names_one_of_the_two_households_or_is_refused():
    t = town()
    matcher = Origin(actor=t.matcher)
    pair = services.propose_pair(
        newcomer=household(t, "newcomer"), local=household(t, "local"), origin=matcher
    )
    for side in ("", "both", "matcher", "newcomer_accepted_at"):
        with pytest.raises(services.BuddyError, match="Onbekende kant"):
            services.decline(pair=pair, side=side, origin=matcher)
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED
    assert not AuditEvent.objects.filter(action="buddies.pair_declined").exists()
    services.decline(pair=pair, side="newcomer", origin=matcher)
    event = AuditEvent.objects.get(action="buddies.pair_declined")
    assert event.details == {"side": "newcomer"}


def test_a_household_that_was_in_a_pair_keeps_its_kind():
    t = town()
    pair = active_pair(t)
    with pytest.raises(services.BuddyError, match="soort"):
        services.update_household(
            household=pair.newcomer, data={"kind": "local"}, origin=Origin(actor=t.matcher)
        )
    services.update_household(
        household=pair.newcomer, data={"adults": 3}, origin=Origin(actor=t.matcher)
    )
    assert Household.objects.get(pk=pair.newcomer_id).adults == 3


def test_explanations_follow_the_page_language():
    from django.utils import translation

    t = town()
    newcomer = household(t, "newcomer")
    household(t, "local", area=t.next_buurt)
    with translation.override("en"):
        english = adapters.suggestions_for(newcomer)["suggestions"][0].explanation
    with translation.override("nl"):
        dutch = adapters.suggestions_for(newcomer)["suggestions"][0].explanation
    assert english.startswith("both speak Arabic") and english.endswith(" km")
    assert dutch.startswith("beide spreken Arabisch") and "," in dutch.split()[-2]


def test_a_pair_is_completed_only_when_its_term_is_over():
    t = town()
    pair = active_pair(t)
    with pytest.raises(services.BuddyError, match="Eerder stoppen"):
        services.complete(pair=pair, origin=Origin(actor=t.matcher))
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE
    old = active_pair(t, start=timezone.localdate() - datetime.timedelta(days=200))
    services.complete(pair=old, origin=Origin(actor=t.matcher))
    old.refresh_from_db()
    assert old.status == PairStatus.COMPLETED
