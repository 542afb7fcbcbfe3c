"""Pages of partnerships: who may see and do what across roles and the two
municipalities, the aggregation rule in the HTML, forms without JavaScript, bounded
queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buurtbasis.partnerships import services
from buurtbasis.partnerships.models import FollowUpAction, Partnership, PulseAnswer
from buurtbasis.partnerships.pulse import STATEMENT_KEYS
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant

from .helpers import answer, partnership, past_round, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def detail_url(p):
    return reverse("partnerships:detail", args=[p.pk])


def test_who_sees_a_partnership():
    t = town()
    p = partnership(t)
    for user in (t.initiators[1], t.contacts[2], t.civil_servant):
        assert as_user(user).get(detail_url(p)).status_code == 200, user
    for user in (t.stranger, t.housing_contact):
        assert as_user(user).get(detail_url(p)).status_code == 403, user
    anonymous = as_user(None).get(detail_url(p))
    assert anonymous.status_code == 302


def test_another_municipality_sees_nothing_and_its_civil_servant_is_refused():
    t = town()
    other = town("GM0599", "Rotterdam")
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    p = partnership(t)
    # the Zwolle partnership does not exist on the Rotterdam site, even for its participants
    assert as_user(t.contacts[0]).get("/g/rotterdam" + detail_url(p)).status_code == 404
    # a Rotterdam civil servant may not read a Zwolle partnership
    assert as_user(other.civil_servant).get(detail_url(p)).status_code == 403
    # nor the Zwolle overview; the Rotterdam one lists only Rotterdam
    overview = reverse("partnerships:overview")
    assert as_user(other.civil_servant).get(overview).status_code == 403
    q = partnership(other)
    html = as_user(other.civil_servant).get("/g/rotterdam" + overview).content.decode()
    assert q.title in html
    assert "Moestuin Zwolle" not in html
    assert as_user(t.civil_servant).get(overview).status_code == 200
    for user in (t.initiators[0], t.contacts[0], t.stranger):
        assert as_user(user).get(overview).status_code == 403


def test_only_initiative_managers_start_a_partnership_and_it_works_without_javascript():
    t = town()
    url = reverse("partnerships:create", args=[t.initiative.slug])
    for user in (t.stranger, t.contacts[0], t.civil_servant):
        assert as_user(user).get(url).status_code == 403
    client = as_user(t.initiators[1])
    response = client.post(url, {"title": "", "purpose": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "Kies minstens één partnerorganisatie." in html
    response = client.post(
        url,
        {
            "title": "Groen schoolplein",
            "purpose": "Samen vergroenen.",
            "initiator_tasks": "Planten",
            "organisations": [t.school.pk],
        },
    )
    p = Partnership.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(p)
    assert p.sides.count() == 2


def test_partner_contacts_confirm_others_cannot():
    t = town()
    p = partnership(t, confirm=False)
    side = p.sides.get(organisation=t.school)
    url = reverse("partnerships:confirm", args=[p.pk, side.pk])
    assert as_user(t.housing_contact).post(url, {"tasks": "x"}).status_code in (403, 404)
    assert as_user(t.initiators[0]).post(url, {"tasks": "x"}).status_code == 403
    html = as_user(t.contacts[1]).get(detail_url(p)).content.decode()
    assert "Bevestigen voor" in html
    assert as_user(t.contacts[1]).post(url, {"tasks": "Wij openen het plein"}).status_code == 302
    side.refresh_from_db()
    assert side.confirmed_by == t.contacts[1]


def _scores_post(value="4", **extra):
    return {key: value for key in STATEMENT_KEYS} | extra


def test_a_partner_answers_the_pulse_with_radio_buttons_once():
    t = town()
    p = partnership(t)
    r = services.open_round(partnership=p, origin=Origin(actor=t.initiators[0]))
    url = reverse("partnerships:answer", args=[p.pk, r.pk])
    client = as_user(t.contacts[0])
    html = client.get(url).content.decode()
    assert html.count('type="radio"') == 5 * len(STATEMENT_KEYS)
    assert "Helemaal mee eens" in html and "<fieldset" in html
    missing = client.post(url, _scores_post() | {"process_1": ""})
    assert missing.status_code == 200 and "Kies hoe eens u het ermee bent." in (
        missing.content.decode()
    )
    done = client.post(url, _scores_post("5", open_text="Vaker samen koffie"))
    assert done.status_code == 302
    assert PulseAnswer.objects.get().ambition == 5.0
    again = client.get(url)
    assert again.status_code == 302 and PulseAnswer.objects.count() == 1
    assert as_user(t.stranger).get(url).status_code == 403
    assert as_user(t.civil_servant).get(url).status_code == 403


def test_the_page_hides_means_and_open_answers_below_three_answers():
    t = town()
    p = partnership(t)
    r = past_round(p, 1, 5)
    answer(r, t.contacts[0], 1, text="GEHEIM-IDEE-EEN")
    answer(r, t.contacts[1], 2, text="GEHEIM-IDEE-TWEE")
    answer(r, t.initiators[0], 5, text="GENOEMD-IDEE", show_name=True)
    html = as_user(t.civil_servant).get(detail_url(p)).content.decode()
    assert "te weinig antwoorden om te tonen" in html
    # a school mean of 1.5 must not be anywhere
    assert "1,5" not in html and "1.5" not in html
    assert "GEHEIM-IDEE" not in html  # only two anonymous ideas... but three answers:
    # three answers in the round: anonymous ideas may be shown, without names
    answer(r, t.contacts[2], 3, text="GEHEIM-IDEE-DRIE")
    html = as_user(t.civil_servant).get(detail_url(p)).content.decode()
    assert "GEHEIM-IDEE-EEN" in html and "GEHEIM-IDEE-DRIE" in html
    assert "2,0" in html  # the school's mean (1+2+3)/3 with three answers
    assert "Initiatiefnemer 0 Zwolle" in html and "GENOEMD-IDEE" in html  # chose a name
    assert "Leerkracht 0 Zwolle" not in html  # never the name of who did not choose
    assert "Waar u het meest verschilt" in html


def test_open_ideas_are_not_shown_with_two_answers_in_the_round():
    t = town()
    p = partnership(t)
    r = past_round(p, 1, 5)
    answer(r, t.contacts[0], 4, text="GEHEIM-A")
    answer(r, t.initiators[0], 4, text="GEHEIM-B")
    html = as_user(t.initiators[1]).get(detail_url(p)).content.decode()
    assert "GEHEIM-A" not in html and "GEHEIM-B" not in html
    assert "4,0" not in html


def test_the_trend_has_a_chart_and_a_table_with_the_same_figures():
    t = town()
    p = partnership(t)
    for number, days, value in ((1, 200, 4), (2, 100, 3)):
        r = past_round(p, number, days)
        for person in t.contacts:
            answer(r, person, value)
    html = as_user(t.contacts[0]).get(detail_url(p)).content.decode()
    assert html.count("<svg") == 5 and html.count('role="img"') == 5
    assert '<title id="chart-ambition-title">' in html
    assert html.count("<caption") == 5
    assert "4,0" in html and "3,0" in html
    assert 'class="bb-chart__line"' in html


def test_agreements_and_actions_by_participants_overdue_stands_out():
    t = town()
    p = partnership(t)
    client = as_user(t.contacts[0])
    side = p.sides.get(organisation=t.school)
    r = client.post(
        reverse("partnerships:add-agreement", args=[p.pk]),
        {"text": "Plein open op woensdag", "side": side.pk, "due_on": "2026-01-01"},
    )
    assert r.status_code == 302
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    r = client.post(
        reverse("partnerships:add-action", args=[p.pk]),
        {"text": "Ouders uitnodigen", "owner": t.initiators[2].pk, "due_on": yesterday},
    )
    assert r.status_code == 302
    action = FollowUpAction.objects.get()
    html = client.get(detail_url(p)).content.decode()
    assert 'class="bb-overdue"' in html and "te laat" in html
    # someone outside cannot add or complete
    assert (
        as_user(t.stranger)
        .post(reverse("partnerships:action-done", args=[p.pk, action.pk]))
        .status_code
        == 403
    )
    assert (
        as_user(t.civil_servant)
        .post(
            reverse("partnerships:add-action", args=[p.pk]),
            {"text": "x", "owner": t.initiators[2].pk, "due_on": yesterday},
        )
        .status_code
        == 403
    )
    client.post(reverse("partnerships:action-done", args=[p.pk, action.pk]))
    action.refresh_from_db()
    assert action.done_at is not None
    # the dashboard of the owner showed it before; now nothing is due
    owner_dash = as_user(t.initiators[2]).get(reverse("portal:dashboard")).content.decode()
    assert "Ouders uitnodigen" not in owner_dash


def test_dashboard_initiative_and_organisation_blocks():
    t = town()
    p = partnership(t, confirm=False, housing=True)
    services.confirm_side(
        side=p.sides.get(organisation=t.school), tasks="x", origin=Origin(actor=t.contacts[0])
    )
    services.open_round(partnership=p, origin=Origin(actor=t.initiators[0]))
    dash = as_user(t.contacts[1]).get(reverse("portal:dashboard")).content.decode()
    assert "De peiling van Schoolplein groen invullen" in dash
    dash = as_user(t.housing_contact).get(reverse("portal:dashboard")).content.decode()
    assert "Samenwerkingen om te bevestigen" in dash
    page = as_user(t.initiators[0]).get(t.initiative.get_absolute_url()).content.decode()
    assert "Schoolplein groen" in page and "Een samenwerking starten" in page
    assert (
        "Schoolplein groen"
        not in as_user(t.stranger).get(t.initiative.get_absolute_url()).content.decode()
    )
    org_url = reverse("organisations:detail", args=[t.school.slug])
    assert "Schoolplein groen" in as_user(t.contacts[2]).get(org_url).content.decode()
    assert "Schoolplein groen" not in as_user(t.stranger).get(org_url).content.decode()


def test_the_page_and_the_overview_have_bounded_queries(django_assert_max_num_queries):
    t = town()
    ps = [partnership(t) for _ in range(4)]
    for p in ps:
        for number, days in ((1, 200), (2, 100), (3, 10)):
            r = past_round(p, number, days)
            for person in t.contacts + t.initiators:
                answer(r, person, 3 + number % 2)
    client = as_user(t.civil_servant)
    client.get(detail_url(ps[0]))  # warm up sessions and caches
    with django_assert_max_num_queries(30):
        client.get(detail_url(ps[0]))
    client.get(reverse("partnerships:overview"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("partnerships:overview")).status_code == 200
    # the initiative page's block asks once, not once per partnership
    for user in (t.civil_servant, t.contacts[0], t.stranger):
        viewer = as_user(user)
        viewer.get(t.initiative.get_absolute_url())
        with django_assert_max_num_queries(45):
            html = viewer.get(t.initiative.get_absolute_url()).content.decode()
        assert (html.count("Schoolplein groen") == 4) == (user is not t.stranger)


def test_the_overview_lists_partnerships_per_wijk_and_active_initiatives_without_one():
    from buurtbasis.initiatives import services as initiative_services
    from buurtbasis.initiatives.models import Initiative, Status

    t = town()
    partnership(t)
    lonely = initiative_services.start_initiative(
        creator=t.stranger,
        name="Repaircafé Centrum",
        pitch="Samen repareren.",
        areas=[t.wijk],
        contact_email="repair@example.org",
    )
    Initiative.objects.filter(pk=lonely.pk).update(status=Status.ACTIVE)
    initiative_services.start_initiative(
        creator=t.stranger,
        name="Nog een idee",
        pitch="Later.",
        areas=[t.wijk],
        contact_email="idee@example.org",
    )
    html = as_user(t.civil_servant).get(reverse("partnerships:overview")).content.decode()
    without = html.split('id="without-title"')[1]
    assert "Repaircafé Centrum" in without and "Centrum Zwolle" in without
    assert "Nog een idee" not in without  # only active initiatives
    assert "Moestuin Zwolle" not in without
    per_wijk = html.split('id="wijk-title"')[1].split('id="without-title"')[0]
    assert "Centrum Zwolle" in per_wijk and "Schoolplein groen" in per_wijk


def test_the_dashboard_block_has_bounded_queries(django_assert_max_num_queries):
    t = town()
    for _ in range(5):
        p = partnership(t)
        services.open_round(partnership=p, origin=Origin.system())
        services.add_action(
            partnership=p,
            text="Bellen",
            owner=t.contacts[1],
            due_on=timezone.localdate(),
            origin=Origin(actor=t.initiators[0]),
        )
    client = as_user(t.contacts[1])
    client.get(reverse("portal:dashboard"))
    with django_assert_max_num_queries(40):
        html = client.get(reverse("portal:dashboard")).content.decode()
    assert html.count("De peiling van Schoolplein groen invullen") == 5


def test_a_side_changes_what_it_does_others_cannot():
    t = town()
    p = partnership(t)
    school = p.sides.get(organisation=t.school)
    initiators = p.sides.get(organisation=None)
    url = reverse("partnerships:side-tasks", args=[p.pk, school.pk])
    html = as_user(t.contacts[2]).get(detail_url(p)).content.decode()
    assert "Wijzigen wat Basisschool Zwolle doet" in html
    assert as_user(t.initiators[0]).post(url, {"tasks": "Niets"}).status_code == 403
    assert as_user(t.contacts[2]).post(url, {"tasks": "Wij openen de aula"}).status_code == 302
    school.refresh_from_db()
    assert school.tasks == "Wij openen de aula"
    url = reverse("partnerships:side-tasks", args=[p.pk, initiators.pk])
    assert as_user(t.contacts[2]).post(url, {"tasks": "Niets"}).status_code == 403
    assert as_user(t.initiators[2]).post(url, {"tasks": "Wij planten"}).status_code == 302
    initiators.refresh_from_db()
    assert initiators.tasks == "Wij planten"
