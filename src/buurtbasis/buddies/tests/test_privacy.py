"""Buddy households and the AVG: the contact person's export and erasure."""

import pytest

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.buddies.models import Household, Pair
from buurtbasis.platform.privacy import export_personal_data

from .helpers import active_pair, household, town

pytestmark = pytest.mark.django_db


def test_the_contact_person_downloads_the_household_and_its_pairs():
    t = town()
    contact = UserFactory()
    pair = active_pair(t, contact=contact, sensitive={"religion": "islam"})
    household(t, "local", label="Niet van mij")
    data = export_personal_data(contact)["buddies"]
    assert [h["label"] for h in data["households"]] == [pair.newcomer.label]
    assert data["households"][0]["volunteered_facts"] == {"religion": "islam"}
    assert data["households"][0]["consent_to_use_them"] is False
    assert [p["status"] for p in data["pairs"]] == ["active"]
    assert data["retention"]


def test_deleting_the_account_erases_the_household_details_but_keeps_the_pair_row():
    from buurtbasis.accounts.services import delete_account

    t = town()
    contact = UserFactory()
    pair = active_pair(t, contact=contact)
    other = household(t, "local", label="Blijft")
    delete_account(user=contact)
    erased = Household.objects.get(pk=pair.newcomer_id)
    assert erased.erased_at and erased.contact is None and erased.label == "—"
    assert erased.children_ages == [] and erased.languages == [] and erased.lat is None
    assert Pair.objects.filter(pk=pair.pk).exists()
    other.refresh_from_db()
    assert other.erased_at is None and other.label == "Blijft"


def test_an_invited_person_sees_the_invitation_in_the_download_and_erasure_removes_it():
    from buurtbasis.accounts.services import delete_account

    t = town()
    person = UserFactory(email="uitgenodigd@example.org")
    invited = household(t, "newcomer", label="Uitgenodigd", invited_email="uitgenodigd@example.org")
    data = export_personal_data(person)["buddies"]
    assert data["invitations"] == [{"programme": t.programme.name, "email": person.email}]
    delete_account(user=person)
    invited.refresh_from_db()
    assert invited.invited_email == "" and invited.contact is None
