import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.initiatives.models import Status

from .factories import InitiativeFactory, ThemeFactory, WijkFactory

pytestmark = pytest.mark.django_db
URL = reverse("initiatives:list")


def _names(response):
    return sorted(i.name for i in response.context["page"].object_list)


def test_it_searches_name_pitch_and_description_case_insensitively(client):
    InitiativeFactory(name="Buurtmoestuin Wipstrik", pitch="Tuinieren", description="")
    InitiativeFactory(name="Taalcafé", pitch="Nederlands oefenen met een MOESTUIN-praatje")
    InitiativeFactory(name="Klussendienst", pitch="Klussen", description="Ook de moestuin")
    InitiativeFactory(name="Repair Café", pitch="Repareren", description="Fietsen")
    response = client.get(URL, {"q": "moestuin"})
    assert _names(response) == ["Buurtmoestuin Wipstrik", "Klussendienst", "Taalcafé"]
    assert _names(client.get(URL, {"q": "moestuin klussen"})) == ["Klussendienst"]


def test_it_filters_on_wijk_theme_status_and_need(client):
    wijk = WijkFactory(code="WK019313")
    theme = ThemeFactory(slug="street-food")
    InitiativeFactory(name="A", areas=[wijk], themes=[theme], status=Status.ACTIVE, needs_room=True)
    InitiativeFactory(name="B", areas=[wijk], status=Status.ACTIVE)
    InitiativeFactory(name="C", themes=[theme], needs_room=True)
    assert _names(client.get(URL, {"wijk": "WK019313"})) == ["A", "B"]
    assert _names(client.get(URL, {"theme": "street-food"})) == ["A", "C"]
    assert _names(client.get(URL, {"status": "active", "need": "room"})) == ["A"]
    combined = {"need": "room", "theme": "street-food", "wijk": "WK019313"}
    assert _names(client.get(URL, combined)) == ["A"]


def test_it_ignores_a_broken_filter_but_keeps_the_others(client):
    InitiativeFactory(name="A", status=Status.ACTIVE)
    InitiativeFactory(name="B")
    response = client.get(URL, {"status": "active", "need": "unicorns"})
    assert response.status_code == 200
    assert _names(response) == ["A"]


def test_it_leaves_out_private_ideas(client):
    InitiativeFactory(name="Open")
    InitiativeFactory(name="Geheim", is_public=False)
    assert _names(client.get(URL)) == ["Open"]


def test_it_paginates_and_keeps_the_filters_in_the_page_links(client):
    for n in range(25):
        InitiativeFactory(name=f"Moestuin {n}", status=Status.ACTIVE)
    response = client.get(URL, {"status": "active"})
    html = response.content.decode()
    assert len(response.context["page"].object_list) == 20
    assert "?status=active&amp;page=2" in html
    assert len(client.get(URL, {"status": "active", "page": 2}).context["page"].object_list) == 5
    assert client.get(URL, {"page": "zeven"}).status_code == 200


def test_it_answers_htmx_with_only_the_results(client):
    InitiativeFactory(name="Taalcafé")
    response = client.get(URL, {"q": "taal"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results")
    html = response.content.decode()
    assert "Taalcafé" in html
    assert "<html" not in html


def _count_queries(client, n):
    theme = ThemeFactory()
    for _ in range(n):
        InitiativeFactory(themes=[theme], needs_money=True)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(n, 20)
    return len(ctx.captured_queries)


def test_it_runs_the_same_number_of_queries_for_3_and_30_initiatives(client):
    few = _count_queries(client, 3)
    many = _count_queries(client, 27)  # 30 in total
    assert few == many
    assert many <= 10
