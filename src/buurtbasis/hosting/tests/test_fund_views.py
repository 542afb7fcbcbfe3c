"""Pages of the initiatives fund: the public fund page, setting up, applying, the civil
servant's list and decision, and who gets a 404 (other municipalities, strangers)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.budgets.tests.factories import InitiativeFactory
from buurtbasis.hosting import fund as funds
from buurtbasis.hosting.models import Grant
from buurtbasis.hosting.models_fund import ApplicationState, FundApplication, InitiativesFund
from buurtbasis.platform.audit import Origin

from .fund_helpers import fund_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "buurtbasis.platform.uploads.PrivateStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def w():
    return fund_world()


def _rotterdam_fund(w) -> InitiativesFund:
    today = timezone.localdate()
    return funds.create_fund(
        cbs_code="GM0599",
        year=today.year,
        name="Initiatievenfonds Rotterdam",
        description="Voor Rotterdammers.",
        budget_cents=500_000,
        max_per_application_cents=100_000,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        origin=Origin(actor=w.rotterdam_servant),
    )


def _apply_data(**extra):
    return {
        "what": "Een buurtfeest op het plein.",
        "for_whom": "Alle buren.",
        "when": "Zaterdag 13 juni",
        "amount": "250,00",
        **extra,
    }


def test_the_fund_page_is_public_and_says_what_is_left_and_how_to_apply(client, w):
    page = client.get(reverse("hosting:fund", args=[w.fund.pk]))
    assert page.status_code == 200
    text = page.text
    assert w.fund.name in text
    assert "Geld voor plannen van bewoners" in text
    assert "€\xa01.000" in text
    assert "Zo vraagt u geld aan" in text
    assert w.fund.name in client.get(reverse("hosting:funds")).text


def test_a_fund_of_another_municipality_is_a_404(client, w):
    there = _rotterdam_fund(w)
    assert there.name not in client.get(reverse("hosting:funds")).text
    client.force_login(w.rotterdam_servant)  # even for its own civil servant, on Zwolle's site
    for name in ("hosting:fund", "hosting:fund-edit", "hosting:fund-applications"):
        assert client.get(reverse(name, args=[there.pk])).status_code == 404
    # on Rotterdam's own site it is there
    response = client.get(f"/g/rotterdam{reverse('hosting:fund', args=[there.pk])}")
    assert response.status_code == 200
    assert "Initiatievenfonds Rotterdam" in response.text


def test_only_the_municipality_civil_servants_set_up_and_change_a_fund(client, w):
    url = reverse("hosting:fund-new")
    for outsider in (w.rotterdam_servant, w.h.initiator, w.h.officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
    client.force_login(w.servant)
    assert client.get(url).status_code == 200
    next_year = timezone.localdate().year + 1
    response = client.post(
        url,
        {
            "name": f"Initiatievenfonds Zwolle {next_year}",
            "year": next_year,
            "description": "Voor de buurt.",
            "budget": "25.000",
            "max_per_application": "1.500,00",
            "opens_on": f"{next_year}-01-01",
            "closes_on": f"{next_year}-12-31",
        },
    )
    fund = InitiativesFund.objects.get(year=next_year)
    assert response.status_code == 302
    assert fund.budget_cents == 2_500_000
    assert fund.max_per_application_cents == 150_000
    # the same year again: a Dutch message, no second fund
    response = client.post(
        url,
        {
            "name": "Nog een",
            "year": next_year,
            "description": "Voor de buurt.",
            "budget": "100",
            "max_per_application": "10",
            "opens_on": f"{next_year}-01-01",
            "closes_on": f"{next_year}-12-31",
        },
    )
    assert response.status_code == 200
    assert f"De gemeente heeft al een initiatievenfonds voor {next_year}." in response.text
    # a bad amount
    response = client.post(reverse("hosting:fund-edit", args=[fund.pk]), {"budget": "-5"})
    assert response.status_code == 200
    assert "Fout:" in response.text


def test_an_initiator_applies_with_a_short_form(client, w):
    client.force_login(w.h.initiator)
    page = client.get(reverse("hosting:fund", args=[w.fund.pk])).text
    apply_url = reverse("hosting:fund-apply", args=[w.fund.pk, w.h.initiative.slug])
    assert apply_url in page
    assert client.get(apply_url).status_code == 200
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (10, 20, 30)).save(out, "PNG")
    response = client.post(
        apply_url,
        _apply_data(attachment=SimpleUploadedFile("offerte.png", out.getvalue(), "image/png")),
    )
    application = FundApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("hosting:fund-application", args=[application.pk])
    assert application.amount_cents == 25_000
    page = client.get(response["Location"]).text
    assert "Wacht op een besluit" in page
    attachment = client.get(reverse("hosting:fund-attachment", args=[application.pk]))
    assert attachment.status_code == 200
    assert attachment["Cache-Control"] == "private, no-store"
    for outsider in (UserFactory(), w.rotterdam_servant, w.h.officer):
        client.force_login(outsider)
        assert (
            client.get(reverse("hosting:fund-attachment", args=[application.pk])).status_code == 404
        )
        assert (
            client.get(reverse("hosting:fund-application", args=[application.pk])).status_code
            == 404
        )


def test_cost_lines_on_the_form_and_bad_input_in_dutch(client, w):
    client.force_login(w.h.initiator)
    apply_url = reverse("hosting:fund-apply", args=[w.fund.pk, w.h.initiative.slug])
    response = client.post(apply_url, _apply_data(amount="800,00"))
    assert response.status_code == 200
    assert "U kunt hoogstens €\xa0750 vragen." in response.text
    response = client.post(apply_url, _apply_data(amount="-3"))
    assert response.status_code == 200
    assert not FundApplication.objects.exists()
    response = client.post(
        apply_url,
        _apply_data(
            amount="",
            line1_description="Muziek",
            line1_amount="150",
            line2_description="Eten",
            line2_amount="99,50",
        ),
    )
    assert response.status_code == 302
    assert FundApplication.objects.get().amount_cents == 24_950


def test_an_initiative_without_a_host_is_told_to_ask_a_host_first(client, w):
    initiator = UserFactory()
    initiative = InitiativeFactory(members=[initiator])
    initiative.areas.set([w.zwolle])
    client.force_login(initiator)
    page = client.get(reverse("hosting:fund", args=[w.fund.pk])).text
    ask = reverse("hosting:initiative", args=[initiative.slug])
    assert f'href="{ask}"' in page
    response = client.get(reverse("hosting:fund-apply", args=[w.fund.pk, initiative.slug]))
    assert response.status_code == 200
    assert "nog geen gastorganisatie" in response.text
    assert ask in response.text
    assert (
        client.post(
            reverse("hosting:fund-apply", args=[w.fund.pk, initiative.slug]), _apply_data()
        ).status_code
        == 200
    )
    assert not FundApplication.objects.exists()


def test_someone_else_cannot_apply_for_an_initiative(client, w):
    client.force_login(UserFactory())
    url = reverse("hosting:fund-apply", args=[w.fund.pk, w.h.initiative.slug])
    assert client.get(url).status_code == 404
    assert client.post(url, _apply_data()).status_code == 404


def test_the_civil_servant_grants_and_the_grant_shows_on_the_hosting_page(client, w):
    application = w.apply(amount_cents=40_000)
    client.force_login(w.servant)
    listing = client.get(reverse("hosting:fund-applications", args=[w.fund.pk]))
    assert listing.status_code == 200
    assert w.h.initiative.name in listing.text
    assert (
        w.h.initiative.name
        in client.get(
            reverse("hosting:fund-applications", args=[w.fund.pk]) + "?status=submitted"
        ).text
    )
    assert (
        w.h.initiative.name
        not in client.get(
            reverse("hosting:fund-applications", args=[w.fund.pk]) + "?status=granted"
        ).text
    )
    url = reverse("hosting:fund-application", args=[application.pk])
    # a lower amount without a reason: a Dutch error, nothing booked
    response = client.post(url, {"decision": "grant", "amount": "300", "reason": ""})
    assert response.status_code == 200
    assert "Schrijf waarom u minder toekent dan gevraagd is." in response.text
    assert not Grant.objects.exists()
    response = client.post(url, {"decision": "grant", "amount": "", "reason": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.GRANTED
    client.force_login(w.h.initiator)
    hosting_page = client.get(reverse("hosting:initiative", args=[w.h.initiative.slug])).text
    assert f"Initiatievenfonds Zwolle {w.fund.year}" in hosting_page
    assert "€\xa0400" in hosting_page
    # a decided application has no decision form any more
    client.force_login(w.servant)
    assert client.post(url, {"decision": "refuse", "reason": "x"}).status_code == 404


def test_a_refusal_and_a_question_through_the_pages(client, w):
    application = w.apply()
    url = reverse("hosting:fund-application", args=[application.pk])
    client.force_login(w.servant)
    response = client.post(url, {"decision": "refuse", "reason": ""})
    assert "Geef een reden voor de afwijzing." in response.text
    client.post(url, {"decision": "question", "reason": "Hoeveel buren komen er?"})
    client.force_login(w.h.initiator)
    page = client.get(url).text
    assert "Hoeveel buren komen er?" in page
    assert "De vraag beantwoorden" in page
    assert client.post(url, {"answer": "Zestig."}).status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.answer == "Zestig."


def test_a_civil_servant_who_is_an_initiator_gets_no_decision_form(client, w):
    w.h.initiative.members.add(w.servant)
    application = w.apply()
    client.force_login(w.servant)
    url = reverse("hosting:fund-application", args=[application.pk])
    page = client.get(url).text
    assert "besluit een collega" in page
    assert 'name="decision"' not in page
    assert client.post(url, {"decision": "grant"}).status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_the_lists_are_for_the_civil_servants_of_the_municipality(client, w):
    url = reverse("hosting:fund-applications", args=[w.fund.pk])
    assert client.get(url).status_code == 302  # log in first
    for outsider in (w.rotterdam_servant, w.h.initiator, w.h.officer):
        client.force_login(outsider)
        assert client.get(url).status_code == 404


def test_the_dashboard_shows_the_civil_servant_what_waits(client, w, django_assert_max_num_queries):
    for _ in range(3):
        w.apply(h=w.hosted_here())
    client.force_login(w.servant)
    dashboard = reverse("portal:dashboard")
    client.get(dashboard)  # warm up
    with django_assert_max_num_queries(60):
        text = client.get(dashboard).text
    assert "3 aanvragen wachten op een besluit" in text
    more = [w.hosted_here() for _ in range(5)]
    for h in more:
        w.apply(h=h)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(dashboard)
    for _h in more:
        w.apply(h=w.hosted_here())
    with CaptureQueriesContext(connection) as large:
        text = client.get(dashboard).text
    assert "13 aanvragen wachten op een besluit" in text
    assert len(large.captured_queries) == len(small.captured_queries)
    client.force_login(w.rotterdam_servant)
    assert "wachten op een besluit" not in client.get(dashboard).text
    client.force_login(w.h.initiator)
    assert "wachten op een besluit" not in client.get(dashboard).text
