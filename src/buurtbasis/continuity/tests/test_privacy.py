"""Export and erasure of the personal data hand-over keeps."""

import pytest

from buurtbasis.accounts import services as account_services
from buurtbasis.continuity import services
from buurtbasis.continuity.models import HandOver, Response
from buurtbasis.platform.privacy import export_personal_data

from .helpers import holds_role, origin, setup

pytestmark = pytest.mark.django_db


def test_export_lists_responses_and_hand_overs_and_erasure_removes_the_messages():
    s = setup()
    holds_role(s)
    response = services.respond(
        role=s.role, message="Mijn persoonlijke bericht", origin=origin(s.candidate)
    )
    handover = services.choose_successor(response=response, origin=origin(s.initiator))
    item = handover.items.first()
    services.tick(item=item, origin=origin(s.candidate))
    data = export_personal_data(s.candidate)["continuity"]
    assert data["responses"][0]["message"] == "Mijn persoonlijke bericht"
    assert data["handovers"][0]["as"] == "incoming"
    assert len(data["checklist_items_ticked"]) == 1
    assert export_personal_data(s.initiator)["continuity"]["handovers"][0]["as"] == "outgoing"

    account_services.delete_account(user=s.candidate)
    assert not Response.objects.filter(message="Mijn persoonlijke bericht").exists()
    # the hand-over stays as the initiative's history, without the person's name
    kept = HandOver.objects.get(pk=handover.pk)
    assert kept.incoming is None or kept.incoming.display_name != "Kandidaat Zwolle"
