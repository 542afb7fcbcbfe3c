"""Defects found in review, each with a test that failed before its fix."""

import pytest
from django.test import Client
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.organisations.models import Role

from .helpers import partnership, town

pytestmark = pytest.mark.django_db


def test_the_owner_choice_does_not_show_the_address_of_a_person_without_a_name(settings):
    settings.LANGUAGE_CODE = "nl"
    t = town()
    UserFactory(
        display_name="",
        email="juf.anna@school.example.org",
        roles=[(Role.PARTNER_CONTACT, t.school)],
    )
    p = partnership(t)
    client = Client()
    client.force_login(t.initiators[0])
    html = client.get(reverse("partnerships:detail", args=[p.pk])).content.decode()
    assert 'name="owner"' in html
    assert "juf.anna@school.example.org" not in html
