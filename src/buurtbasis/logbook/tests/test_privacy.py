"""The personal-data export lists what a person wrote in the logbook and the signals;
deleting the account keeps the rows without the name."""

import pytest

from buurtbasis.accounts import services as account_services
from buurtbasis.logbook import services
from buurtbasis.logbook import services_signals as signals
from buurtbasis.logbook.models import LogEntry, Signal
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.privacy import export_personal_data

from .helpers import story, town

pytestmark = pytest.mark.django_db


def test_the_export_lists_notes_signals_and_answers_and_deletion_keeps_them_unnamed():
    t = town()
    services.add_note(
        area=t.wijk, title="Sleutel", body="Bij de school.", origin=Origin(actor=t.worker)
    )
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    signals.answer(signal=signal, text="Er komt licht.", origin=Origin(actor=t.civil_servant))
    worker = export_personal_data(t.worker)["logbook"]
    assert [n["title"] for n in worker["notes"]] == ["Sleutel"]
    assert [s["what"] for s in worker["signals_made"]] == ["Donkere bushalte"]
    civil = export_personal_data(t.civil_servant)["logbook"]
    assert [a["answer"] for a in civil["answers_given"]] == ["Er komt licht."]
    name, email = t.worker.display_name, t.worker.email
    account_services.delete_account(user=t.worker)
    note = LogEntry.objects.select_related("author").get(kind="note")
    assert note.body == "Bij de school."
    assert note.author.display_name != name and note.author.email != email
    assert Signal.objects.get().created_by_id == t.worker.pk
