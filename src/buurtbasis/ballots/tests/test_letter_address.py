"""Code letters: the page shows the exact address that will be printed and a one-page
sample letter; an address that is local or differs from the site being served is refused
in production (DEBUG off) with the reason, and only a warning with DEBUG on."""

import io

import pytest
from django.test import TestCase
from django.urls import reverse

from buurtbasis.ballots import letters
from buurtbasis.ballots.models import LetterRun, VotingCode
from buurtbasis.budgets.tests.factories import civil_servant_for

from .factories import voting_round

pytestmark = pytest.mark.django_db

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(autouse=True)
def _dutch(settings, tmp_path):
    from django.core.files.storage import storages

    settings.LANGUAGE_CODE = "nl"
    settings.ALLOWED_HOSTS = ["testserver", "buurtbasis.example", "127.0.0.1"]
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    storages._storages.pop("private", None)
    yield
    storages._storages.pop("private", None)


@pytest.fixture
def officer_client(client):
    budget_round, _ = voting_round()
    client.force_login(civil_servant_for(budget_round))
    return client, budget_round


def _manage(client, budget_round, host="buurtbasis.example"):
    return client.get(
        reverse("ballots:manage", args=[budget_round.slug]), HTTP_HOST=host
    ).content.decode()


def _print(client, budget_round, host="buurtbasis.example"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("ballots:letters", args=[budget_round.slug]), {"count": 2}, HTTP_HOST=host
        )


def test_the_page_shows_the_exact_address_printed(officer_client, settings):
    client, budget_round = officer_client
    settings.SITE_URL = "https://buurtbasis.example"
    html = _manage(client, budget_round, host="buurtbasis.example")
    # The test client speaks http, the site https: that difference is a reason too.
    assert "https://buurtbasis.example" in html
    expected = letters.ballot_url(budget_round, letters.PREVIEW_CODE)
    assert expected.startswith("https://buurtbasis.example/stemmen/")
    assert expected.replace("&", "&amp;") in html
    assert reverse("ballots:letters-preview", args=[budget_round.slug]) in html


def test_a_local_address_is_refused_in_production_with_the_reason(officer_client, settings):
    client, budget_round = officer_client
    settings.DEBUG = False
    settings.SITE_URL = "http://127.0.0.1:8000"
    html = _manage(client, budget_round, host="127.0.0.1:8000")
    assert "werkt alleen op deze computer of in dit netwerk" in html
    assert "Met dit adres kunnen geen brieven worden gemaakt." in html
    assert "Codes en brieven maken" not in html
    response = _print(client, budget_round, host="127.0.0.1:8000")
    assert response.status_code == 400
    assert "http://127.0.0.1:8000" in response.content.decode()
    assert LetterRun.objects.count() == 0 and VotingCode.objects.count() == 0


def test_an_address_of_another_site_is_refused_in_production(officer_client, settings):
    client, budget_round = officer_client
    settings.DEBUG = False
    settings.SITE_URL = "http://elders.example"
    response = _print(client, budget_round, host="buurtbasis.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "is niet het adres van deze site" in text
    assert "http://elders.example" in text and "http://buurtbasis.example" in text
    assert LetterRun.objects.count() == 0


def test_the_same_address_as_the_site_is_printed(officer_client, settings):
    client, budget_round = officer_client
    settings.DEBUG = False
    settings.SITE_URL = "http://buurtbasis.example"
    html = _manage(client, budget_round)
    assert "Met dit adres kunnen geen brieven" not in html
    assert _print(client, budget_round).status_code == 303
    assert LetterRun.objects.count() == 1


def test_with_debug_on_a_local_address_is_a_warning(officer_client, settings):
    client, budget_round = officer_client
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8000"
    html = _manage(client, budget_round, host="127.0.0.1:8000")
    assert "ontwikkelmodus" in html and "Codes en brieven maken" in html
    assert _print(client, budget_round, host="127.0.0.1:8000").status_code == 303


def test_the_service_refuses_a_local_address_in_production(officer_client, settings):
    from buurtbasis.ballots import services

    _, budget_round = officer_client
    settings.DEBUG = False
    settings.SITE_URL = "http://localhost:8000"
    with pytest.raises(services.VotingError) as refused:
        services.request_letters(budget_round=budget_round, actor=None, count=1)
    assert refused.value.code == "local_site"
    assert LetterRun.objects.count() == 0


def test_the_sample_letter_is_one_page_with_a_code_that_is_never_stored(officer_client, settings):
    client, budget_round = officer_client
    settings.SITE_URL = "http://testserver"
    response = client.get(reverse("ballots:letters-preview", args=[budget_round.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 1
    text = pages[0].extract_text()
    assert "VOORBEELD" in text and letters.PREVIEW_CODE in text
    assert VotingCode.objects.count() == 0 and LetterRun.objects.count() == 0
    # The sample code cannot open a ballot.
    ballot = client.get(
        reverse("ballots:ballot", args=[budget_round.slug]), {"code": letters.PREVIEW_CODE}
    )
    assert "Deze code klopt niet" in ballot.content.decode()


def test_only_managers_get_the_sample_letter(client):
    budget_round, _ = voting_round()
    url = reverse("ballots:letters-preview", args=[budget_round.slug])
    assert client.get(url).status_code == 302
    from buurtbasis.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(url).status_code in (403, 404)
