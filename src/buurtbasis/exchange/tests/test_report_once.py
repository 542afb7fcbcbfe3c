"""A report of a conversation is kept as it was made: the other side cannot overwrite
who reported it or why."""

import pytest
from django.urls import reverse
from django.utils import translation

from buurtbasis.exchange import services
from buurtbasis.exchange.models import Thread
from buurtbasis.platform.audit import Origin

from .helpers import opt_in, two_towns

pytestmark = pytest.mark.django_db


def test_a_reported_conversation_keeps_the_first_report(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = services.ask_question(
        initiative=rotterdam.initiative,
        subject="Hoe vindt u vrijwilligers?",
        text="Wij zoeken er nog.",
        origin=Origin(actor=zwolle.initiator),
    )
    services.reply(thread=thread, text="Iets naars.", origin=Origin(actor=rotterdam.initiator))
    services.report_thread(
        thread=thread, reason="Scheldwoorden", origin=Origin(actor=zwolle.initiator)
    )
    with translation.override("nl"), pytest.raises(services.ExchangeError, match="al gemeld"):
        services.report_thread(
            thread=thread, reason="Niets aan de hand", origin=Origin(actor=rotterdam.initiator)
        )
    # the same through the page (the form is hidden, the post is refused with a message)
    client.force_login(rotterdam.initiator)
    response = client.post(
        reverse("exchange:thread_report", args=[thread.pk]),
        {"reason": "Niets aan de hand"},
        follow=True,
    )
    assert response.status_code == 200
    assert "al gemeld" in response.content.decode()
    thread = Thread.objects.get(pk=thread.pk)
    assert (thread.reported_by, thread.report_reason) == (zwolle.initiator, "Scheldwoorden")
