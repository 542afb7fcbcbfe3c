"""Signals with answers: making one from stories, the statuses of Signalen with their
allowed steps, the audit trail, the answer to the tellers who allowed contact only."""

import datetime

import pytest
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.logbook import services_signals as signals
from buurtbasis.logbook.blocks import todo_signals
from buurtbasis.logbook.models import EntryKind, LogEntry, SignalChange, SignalStatus
from buurtbasis.logbook.services import LogbookError
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.platform.testing import delivered
from buurtbasis.stories import services as story_services

from .helpers import contact_story, story, town

pytestmark = pytest.mark.django_db


def make(t, stories=None, **kw):
    kw.setdefault("urgency", "normal")
    return signals.make_signal(
        area=kw.pop("area", t.buurt),
        title=kw.pop("title", "Donkere bushalte"),
        description=kw.pop("description", "Bewoners voelen zich 's avonds onveilig."),
        department=kw.pop("department", t.department),
        stories=stories if stories is not None else [story(t)],
        origin=Origin(actor=kw.pop("actor", t.worker)),
        **kw,
    )


def test_a_community_worker_makes_a_signal_from_stories():
    t = town()
    one, two = story(t), story(t, "Ook bij het station is het donker.")
    signal = make(t, stories=[one, two], urgency="high")
    assert signal.status == SignalStatus.REPORTED
    assert signals.story_count(signal) == 2
    assert signal.due_at - signal.created_at == datetime.timedelta(days=5)
    assert list(signal.changes.values_list("from_status", "to_status")) == [("", "gemeld")]
    entry = LogEntry.objects.get(kind=EntryKind.SIGNAL)
    assert (entry.area, entry.audience, entry.title) == (t.buurt, "professionals", signal.title)
    assert AuditEvent.objects.filter(action="logbook.signal_status").count() == 1


def test_a_withdrawn_story_no_longer_counts():
    t = town()
    one, two = story(t), story(t)
    signal = make(t, stories=[one, two])
    story_services.withdraw_story(story=two, origin=Origin(), reason="code")
    assert signals.story_count(signal) == 1


def test_the_signal_text_is_masked():
    t = town()
    signal = make(t, description="Mevrouw Jansen van de Kerkstraat 4 belt 06-12345678.")
    assert "Jansen" not in signal.description
    assert "06-12345678" not in signal.description


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"actor": "civil_servant"}, "forbidden"),
        ({"actor": "resident"}, "forbidden"),
        ({"actor": "other_worker"}, "forbidden"),
        ({"department": "other"}, "department"),
        ({"stories": "none"}, "no_stories"),
        ({"stories": "foreign"}, "foreign_story"),
        ({"stories": "withdrawn"}, "foreign_story"),
        ({"title": ""}, "empty"),
        ({"urgency": "whenever"}, "urgency"),
    ],
)
def test_a_signal_that_cannot_be_made_gets_a_clear_error(change, code):
    t = town()
    other = town("GM0599", "Rotterdam")
    kw = {}
    if "actor" in change:
        kw["actor"] = {
            "civil_servant": t.civil_servant,
            "resident": t.resident,
            "other_worker": other.worker,
        }[change["actor"]]
    if "department" in change:
        kw["department"] = other.department
    stories = None
    if change.get("stories") == "none":
        stories = []
    elif change.get("stories") == "foreign":
        stories = [story(other)]
    elif change.get("stories") == "withdrawn":
        stories = [story(t, withdrawn=True)]
    if "title" in change:
        kw["title"] = change["title"]
    if "urgency" in change:
        kw["urgency"] = change["urgency"]
    with pytest.raises(LogbookError) as error:
        make(t, stories=stories, **kw)
    assert error.value.code == code


def test_statuses_follow_the_allowed_steps_and_every_change_is_kept_with_why():
    t = town()
    signal = make(t)
    civil = Origin(actor=t.civil_servant)
    worker = Origin(actor=t.worker)
    signal = signals.change_status(signal=signal, to_status="in_behandeling", origin=civil)
    with pytest.raises(LogbookError) as error:  # a reason is needed
        signals.change_status(signal=signal, to_status="reactie_gevraagd", origin=civil)
    assert error.value.code == "empty"
    signal = signals.change_status(
        signal=signal, to_status="reactie_gevraagd", reason="Welke bushalte?", origin=civil
    )
    # the worker who made it gives the response; a civil servant step is not theirs
    with pytest.raises(LogbookError):
        signals.change_status(signal=signal, to_status="in_behandeling", origin=worker)
    signal = signals.change_status(
        signal=signal, to_status="reactie_ontvangen", reason="Halte Stationsplein", origin=worker
    )
    with pytest.raises(LogbookError) as error:  # not a step from here
        signals.change_status(signal=signal, to_status="heropend", reason="x", origin=civil)
    assert error.value.code == "transition"
    changes = list(SignalChange.objects.filter(signal=signal).order_by("pk"))
    assert [(c.from_status, c.to_status, c.reason, c.changed_by) for c in changes] == [
        ("", "gemeld", "", t.worker),
        ("gemeld", "in_behandeling", "", t.civil_servant),
        ("in_behandeling", "reactie_gevraagd", "Welke bushalte?", t.civil_servant),
        ("reactie_gevraagd", "reactie_ontvangen", "Halte Stationsplein", t.worker),
    ]
    assert AuditEvent.objects.filter(action="logbook.signal_status").count() == 4
    # the maker heard about the steps the civil servant took
    assert (
        Notification.objects.filter(recipient=t.worker, kind="logbook.signal_changed").count() == 2
    )


def test_the_answer_reaches_the_maker_and_only_the_tellers_who_allowed_contact(mailoutbox):
    t = town()
    consenting = UserFactory(display_name="Verteller")
    silent = UserFactory(display_name="Stille verteller")
    stories = [
        contact_story(t, teller=consenting),
        contact_story(t, teller=consenting),  # one teller, two stories: told once
        story(t, teller=silent, may_contact=False),
        contact_story(t, email="anoniem@example.org"),
        contact_story(t),  # through the community worker: no message from the site
        contact_story(t, email="weg@example.org"),
    ]
    signal = make(t, stories=stories)
    # withdrawn after the signal was made: hears nothing
    story_services.withdraw_story(story=stories[-1], origin=Origin(), reason="code")
    with delivered():
        reply = signals.answer(
            signal=signal,
            text="Wij plaatsen in maart extra verlichting.",
            origin=Origin(actor=t.civil_servant),
        )
    signal.refresh_from_db()
    assert signal.status == SignalStatus.HANDLED
    assert reply.tellers_notified == 2
    told = Notification.objects.filter(kind="logbook.story_answered")
    assert [n.recipient for n in told] == [consenting]
    assert told[0].link == f"/signalen/{signal.pk}/antwoord/"
    assert not Notification.objects.filter(recipient=silent).exists()
    addresses = sorted(address for m in mailoutbox for address in m.to)
    assert "anoniem@example.org" in addresses
    assert "weg@example.org" not in addresses
    anonymous = next(m for m in mailoutbox if m.to == ["anoniem@example.org"])
    assert "Wij plaatsen in maart extra verlichting." in anonymous.body
    assert LogEntry.objects.filter(kind=EntryKind.SIGNAL_ANSWERED, source_id=signal.pk).count() == 1
    assert AuditEvent.objects.filter(action="logbook.signal_answered").count() == 1


def test_only_a_civil_servant_answers_and_not_twice():
    t = town()
    signal = make(t)
    with pytest.raises(LogbookError) as error:
        signals.answer(signal=signal, text="Ja", origin=Origin(actor=t.worker))
    assert error.value.code == "forbidden"
    signals.answer(signal=signal, text="Ja", origin=Origin(actor=t.civil_servant))
    with pytest.raises(LogbookError) as error:
        signals.answer(signal=signal, text="Nog eens", origin=Origin(actor=t.civil_servant))
    assert error.value.code == "transition"


def test_a_reopened_signal_gets_a_new_due_date_and_a_second_answer():
    t = town()
    signal = make(t, urgency="low")
    signals.answer(signal=signal, text="Eerste antwoord", origin=Origin(actor=t.civil_servant))
    signal = signals.change_status(
        signal=signal,
        to_status="heropend",
        reason="Het is nog steeds donker.",
        origin=Origin(actor=t.worker),
    )
    assert signal.due_at > timezone.now() + datetime.timedelta(days=29)
    signals.answer(signal=signal, text="Tweede antwoord", origin=Origin(actor=t.civil_servant))
    assert signal.answers.count() == 2
    assert LogEntry.objects.filter(kind=EntryKind.SIGNAL_ANSWERED).count() == 2


def test_overdue_signals_come_first_on_the_todo_list():
    t = town()
    late = make(t, title="Te laat", urgency="high")
    soon = make(t, title="Op tijd", urgency="low")
    handled = make(t, title="Klaar", urgency="high")
    signals.answer(signal=handled, text="Gedaan", origin=Origin(actor=t.civil_servant))
    later = timezone.now() + datetime.timedelta(days=6)
    assert late.is_overdue(later) and not soon.is_overdue(later)
    assert [s.title for s in todo_signals(t.code, now=later)] == ["Te laat", "Op tijd"]


def test_a_worker_cannot_make_a_signal_from_stories_of_another_organisations_round():
    from buurtbasis.accounts.tests.factories import OrganisationFactory
    from buurtbasis.organisations.models import OrganisationKind, Role

    t = town()
    other = OrganisationFactory(
        name="Welzijn Anders", kind=OrganisationKind.WELFARE, areas=[t.wijk]
    )
    stranger = UserFactory(roles=[(Role.COMMUNITY_WORKER, other)])
    with pytest.raises(LogbookError) as raised:
        make(t, stories=[story(t)], actor=stranger)
    assert raised.value.code == "foreign_round"


def test_the_answer_and_a_status_reason_are_masked_before_tellers_see_them(mailoutbox):
    t = town()
    signal = make(t, stories=[contact_story(t, email="anoniem@example.org")])
    civil = Origin(actor=t.civil_servant)
    signal = signals.change_status(signal=signal, to_status="in_behandeling", origin=civil)
    signal = signals.change_status(
        signal=signal,
        to_status="reactie_gevraagd",
        reason="Bel meneer Bakker van Openbare ruimte op 06-12345678.",
        origin=civil,
    )
    change = SignalChange.objects.filter(signal=signal).latest("pk")
    assert change.reason == "Bel meneer [naam] van Openbare ruimte op [telefoon]."
    signal = signals.change_status(
        signal=signal,
        to_status="reactie_ontvangen",
        reason="Halte Stationsplein",
        origin=Origin(actor=t.worker),
    )
    with delivered():
        reply = signals.answer(
            signal=signal,
            text=f"Fatima uit Binnenstad ({t.welfare.name}): mail k.jansen@example.nl, "
            "IBAN NL91 ABNA 0417 1643 00.",
            origin=civil,
        )
    assert "Fatima" not in reply.text
    assert "k.jansen@example.nl" not in reply.text
    assert "[rekening]" in reply.text
    assert f"Binnenstad ({t.welfare.name})" in reply.text  # area and organisation stay
    body = next(m.body for m in mailoutbox if m.to == ["anoniem@example.org"])
    assert "Fatima" not in body and "k.jansen@example.nl" not in body
