"""Export and erasure of questions and replies."""

import pytest

from buurtbasis.accounts import services as account_services
from buurtbasis.exchange import services
from buurtbasis.exchange.models import BlockedAsker, Message, ThreadStatus
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.privacy import export_personal_data

from .helpers import opt_in, two_towns

pytestmark = pytest.mark.django_db


def _conversation():
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = services.ask_question(
        initiative=rotterdam.initiative,
        subject="Vrijwilligers",
        text="Mijn vraag met mijn telefoon 06-12345678.",
        origin=Origin(actor=zwolle.initiator),
    )
    services.reply(thread=thread, text="Ons antwoord.", origin=Origin(actor=rotterdam.initiator))
    return zwolle, rotterdam, thread


def test_the_export_holds_the_questions_and_messages_a_person_wrote():
    zwolle, rotterdam, thread = _conversation()
    data = export_personal_data(zwolle.initiator)["exchange"]
    assert data["questions_asked"][0]["subject"] == "Vrijwilligers"
    assert [m["text"] for m in data["messages_written"]] == [
        "Mijn vraag met mijn telefoon 06-12345678."
    ]
    other = export_personal_data(rotterdam.initiator)["exchange"]
    assert [m["text"] for m in other["messages_written"]] == ["Ons antwoord."]
    assert other["questions_asked"] == []


def test_deleting_the_askers_account_removes_their_text_and_keeps_the_other_sides(client):
    zwolle, rotterdam, thread = _conversation()
    account_services.delete_account(user=zwolle.initiator)
    thread.refresh_from_db()
    assert thread.asker is None and thread.subject == ""
    assert thread.status == ThreadStatus.CLOSED
    texts = list(thread.messages.values_list("text", "erased"))
    assert texts == [("", True), ("Ons antwoord.", False)]
    assert not Message.objects.filter(text__contains="06-12345678").exists()
    client.force_login(rotterdam.initiator)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Ons antwoord." in page
    assert "Dit bericht is verwijderd." in page
    assert "06-12345678" not in page


def test_deleting_an_initiators_account_keeps_the_thread_for_the_asker(client):
    zwolle, rotterdam, thread = _conversation()
    services.block_asker(thread=thread, origin=Origin(actor=rotterdam.initiator))
    account_services.delete_account(user=rotterdam.initiator)
    thread.refresh_from_db()
    assert thread.subject == "Vrijwilligers"
    texts = list(thread.messages.values_list("text", flat=True))
    assert texts == ["Mijn vraag met mijn telefoon 06-12345678.", ""]
    # the block stays for the initiative, without naming who blocked
    assert BlockedAsker.objects.get().blocked_by is None
    client.force_login(zwolle.initiator)
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "Dit bericht is verwijderd." in page


def test_deleting_the_blocked_askers_account_lifts_the_block():
    zwolle, rotterdam, thread = _conversation()
    services.block_asker(thread=thread, origin=Origin(actor=rotterdam.initiator))
    account_services.delete_account(user=zwolle.initiator)
    assert not BlockedAsker.objects.exists()


def test_the_reason_of_a_report_is_exported_and_erased_with_the_reporter():
    zwolle, rotterdam, thread = _conversation()
    services.report_thread(
        thread=thread, reason="Hij vraagt om mijn adres.", origin=Origin(actor=rotterdam.initiator)
    )
    data = export_personal_data(rotterdam.initiator)["exchange"]
    assert [r["reason"] for r in data["reports_made"]] == ["Hij vraagt om mijn adres."]
    assert export_personal_data(zwolle.initiator)["exchange"]["reports_made"] == []
    account_services.delete_account(user=rotterdam.initiator)
    thread.refresh_from_db()
    assert thread.reported_at is not None  # the conversation stays reported
    assert thread.reported_by is None and thread.report_reason == ""


def test_the_audit_trail_holds_no_subject_of_a_question():
    zwolle, rotterdam, thread = _conversation()
    services.report_thread(thread=thread, reason="Ongepast.", origin=Origin(actor=zwolle.initiator))
    events = AuditEvent.objects.filter(object_type="exchange.thread")
    assert {e.action for e in events} >= {"exchange.question_asked", "exchange.thread_reported"}
    for event in events:
        assert event.object_id == str(thread.pk)
        assert "Vrijwilligers" not in event.object_repr
        assert "Vrijwilligers" not in str(event.details)
    account_services.delete_account(user=zwolle.initiator)
    assert not AuditEvent.objects.filter(object_repr__contains="Vrijwilligers").exists()
