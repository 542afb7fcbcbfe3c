"""Pages of hand-over and continuity: who may do what (roles and municipalities), forms
without JavaScript, rate limit, bounded queries."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.continuity import services
from buurtbasis.continuity.models import HandOver, Response
from buurtbasis.platform.tenancy import ensure_tenant

from .helpers import origin, setup

pytestmark = pytest.mark.django_db

ROTTERDAM = "/g/rotterdam"


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def as_user(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page_url(s):
    return reverse("continuity:initiative", args=[s.initiative.slug])


def _handover(s):
    response = services.respond(role=s.role, message="Ik help graag.", origin=origin(s.candidate))
    return services.choose_successor(response=response, origin=origin(s.initiator))


def test_everyone_sees_open_roles_but_only_managers_see_reason_and_responses():
    s = setup()
    services.respond(role=s.role, message="Geheim bericht van mij", origin=origin(s.candidate))
    for user in (None, UserFactory(), s.candidate, s.t.civil_servant):
        html = as_user(user).get(page_url(s)).content.decode()
        assert "Coördinator" in html
        assert "Ik verhuis." not in html and "Geheim bericht van mij" not in html
    for user in (s.initiator, s.t.worker):
        html = as_user(user).get(page_url(s)).content.decode()
        assert "Ik verhuis." in html and "Geheim bericht van mij" in html
        assert s.candidate.email not in html


def test_the_public_list_is_per_municipality():
    s = setup()
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    r = setup("GM0599", "Rotterdam")
    zwolle = as_user(None).get(reverse("continuity:list")).content.decode()
    rotterdam = as_user(None).get(ROTTERDAM + reverse("continuity:list")).content.decode()
    assert "Moestuin Zwolle" in zwolle and "Moestuin Rotterdam" not in zwolle
    assert "Moestuin Rotterdam" in rotterdam and "Moestuin Zwolle" not in rotterdam
    # another municipality's initiative is not found under this one
    assert as_user(None).get(page_url(r)).status_code == 404
    assert as_user(None).get(ROTTERDAM + page_url(s)).status_code == 404
    # the wijk filter
    html = as_user(None).get(reverse("continuity:list"), {"wijk": s.t.wijk.slug}).content
    assert "Moestuin Zwolle" in html.decode()


def test_the_list_takes_a_fixed_number_of_queries():
    s = setup()
    client = as_user(None)
    client.get(reverse("continuity:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("continuity:list"))
    for n in range(6):
        setup(t=s.t, suffix=f" {n}")
    with CaptureQueriesContext(connection) as many:
        html = client.get(reverse("continuity:list")).content.decode()
    assert "Moestuin Zwolle 5" in html
    assert len(many) == len(few)


def test_a_resident_responds_without_javascript_and_the_initiator_chooses():
    s = setup()
    client = as_user(s.candidate)
    url = reverse("continuity:respond", args=[s.role.pk])
    assert client.get(url).status_code == 200
    empty = client.post(url, {"message": ""})
    assert empty.status_code == 200 and "error-summary" in empty.content.decode()
    answer = client.post(url, {"message": "Ik heb op zaterdag tijd."})
    assert answer.status_code == 302
    response = Response.objects.get(responder=s.candidate)
    # a stranger and the candidate cannot choose; the community worker can
    for user in (UserFactory(), s.candidate, s.t.civil_servant):
        got = as_user(user).post(
            reverse("continuity:answer", args=[response.pk]), {"action": "choose"}
        )
        assert got.status_code == 403
    got = as_user(s.t.worker).post(
        reverse("continuity:answer", args=[response.pk]), {"action": "choose"}
    )
    handover = HandOver.objects.get()
    assert got.status_code == 302 and got["Location"].endswith(f"/overdracht/{handover.pk}/")


def test_responding_is_rate_limited(settings):
    settings.RATELIMIT_ENABLED = True
    cache.clear()  # ids repeat between tests: start with empty counters
    s = setup()
    client = as_user(s.candidate)
    roles = [s.role] + [
        services.add_role(
            search=s.search, kind="other", title=f"Rol {n}", origin=origin(s.initiator)
        )
        for n in range(5)
    ]
    codes = [
        client.post(reverse("continuity:respond", args=[r.pk]), {"message": "Ik wil"}).status_code
        for r in roles
    ]
    assert codes[:5] == [302] * 5 and codes[5] == 200
    assert Response.objects.filter(responder=s.candidate).count() == 5


def test_the_checklist_is_for_the_parties_and_managers_only():
    s = setup()
    handover = _handover(s)
    url = reverse("continuity:handover", args=[handover.pk])
    for user in (s.initiator, s.candidate, s.t.worker):
        assert as_user(user).get(url).status_code == 200
    for user in (UserFactory(), s.t.civil_servant):
        assert as_user(user).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302  # to the log-in
    item = handover.items.first()
    tick = reverse("continuity:tick", args=[handover.pk, item.pk])
    assert as_user(UserFactory()).post(tick, {"done": "1"}).status_code == 404
    assert as_user(s.candidate).post(tick, {"done": "1"}).status_code == 302
    item.refresh_from_db()
    assert item.done_by == s.candidate


def test_a_community_worker_of_another_municipality_cannot_manage():
    s = setup()
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    r = setup("GM0599", "Rotterdam")
    handover = _handover(s)
    # Rotterdam's worker, on Zwolle's pages and via Rotterdam's prefix
    assert (
        as_user(r.t.worker).get(reverse("continuity:handover", args=[handover.pk])).status_code
        == 404
    )
    assert as_user(r.t.worker).post(
        reverse("continuity:start", args=[s.initiative.slug])
    ).status_code in (403, 200)
    got = as_user(r.t.worker).post(reverse("continuity:close", args=[s.initiative.slug]))
    assert got.status_code == 403
    s.search.refresh_from_db()
    assert s.search.is_open


def test_completing_through_the_page_shows_the_new_initiator_on_the_initiative():
    s = setup()
    handover = _handover(s)
    client = as_user(s.initiator)
    url = reverse("continuity:complete", args=[handover.pk])
    refused = client.post(url, {"outgoing_choice": "former"})
    assert refused.status_code == 400 and "error-summary" in refused.content.decode()
    for item in handover.items.all():
        client.post(reverse("continuity:tick", args=[handover.pk, item.pk]), {"done": "1"})
    done = client.post(url, {"outgoing": s.initiator.pk, "outgoing_choice": "former"})
    assert done.status_code == 302 and done["Location"] == s.initiative.get_absolute_url()
    html = as_user(UserFactory()).get(s.initiative.get_absolute_url()).content.decode()
    assert "Kandidaat Zwolle" in html and "Initiatiefnemer Zwolle" in html  # former initiator
    assert list(s.initiative.members.all()) == [s.candidate]


def test_a_resident_cannot_start_a_search():
    s = setup()
    services.close_search(search=s.search, origin=origin(s.initiator))
    got = as_user(UserFactory()).post(
        reverse("continuity:start", args=[s.initiative.slug]),
        {"kind": "coordinator", "hours_per_month": 4},
    )
    assert got.status_code == 403
    got = as_user(s.t.worker).post(
        reverse("continuity:start", args=[s.initiative.slug]),
        {"kind": "treasurer", "hours_per_month": 2, "reason": "Te druk"},
    )
    assert got.status_code == 302
    assert services.open_search(s.initiative).roles.get().title == "Penningmeester"


def test_the_wijkprofiel_shows_the_initiatives_of_the_wijk_looking_for_people():
    s = setup()
    html = as_user(None).get(reverse("areas:profile", args=[s.t.wijk.slug])).content.decode()
    assert "profile-successors-heading" in html and page_url(s) in html
    services.close_search(search=s.search, origin=origin(s.initiator))
    html = as_user(None).get(reverse("areas:profile", args=[s.t.wijk.slug])).content.decode()
    assert "profile-successors-heading" not in html and page_url(s) not in html
