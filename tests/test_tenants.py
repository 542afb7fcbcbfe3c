"""Two municipalities in one installation: who sees and manages what where.

Zwolle is served on zwolle.test, Rotterdam on rotterdam.test (and both under
/g/<slug>/ on any host). A welzijnsorganisatie works in both.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.areas.models import Area, AreaLevel
from buurtbasis.budgets import services as budget_services
from buurtbasis.budgets.services import BudgetError, RoundData
from buurtbasis.budgets.tests.factories import BudgetRoundFactory, PlanFactory
from buurtbasis.initiatives.tests.factories import InitiativeFactory
from buurtbasis.organisations.models import OrganisationKind, Role
from buurtbasis.platform.tenancy import ensure_tenant

pytestmark = pytest.mark.django_db

ZWOLLE = {"HTTP_HOST": "zwolle.test"}
ROTTERDAM = {"HTTP_HOST": "rotterdam.test"}


class World:
    pass


def _area(code, name, level, parent=None):
    return Area.objects.create(
        year=2024, code=code, name=name, level=level, parent=parent, slug=name.lower()
    )


@pytest.fixture
def world(settings):
    settings.ALLOWED_HOSTS = ["zwolle.test", "rotterdam.test", "testserver"]
    w = World()
    ensure_tenant(cbs_code="GM0193", name="Zwolle", slug="zwolle", hosts=["zwolle.test"])
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam", hosts=["rotterdam.test"])
    w.zwolle = _area("GM0193", "Zwolle", AreaLevel.MUNICIPALITY)
    w.rotterdam = _area("GM0599", "Rotterdam", AreaLevel.MUNICIPALITY)
    w.assendorp = _area("WK019313", "Assendorp", AreaLevel.DISTRICT, w.zwolle)
    w.feijenoord = _area("WK059910", "Feijenoord", AreaLevel.DISTRICT, w.rotterdam)

    w.gemeente_zwolle = OrganisationFactory(
        name="Gemeente Zwolle", kind=OrganisationKind.MUNICIPALITY, areas=[w.zwolle]
    )
    w.gemeente_rotterdam = OrganisationFactory(
        name="Gemeente Rotterdam", kind=OrganisationKind.MUNICIPALITY, areas=[w.rotterdam]
    )
    w.both = OrganisationFactory(name="Welzijn Verbindt", areas=[w.assendorp, w.feijenoord])
    w.zwolle_only = OrganisationFactory(name="Wijkwijs Zwolle", areas=[w.assendorp])

    w.servant_zwolle = UserFactory(roles=[(Role.CIVIL_SERVANT, w.gemeente_zwolle)])
    w.servant_rotterdam = UserFactory(roles=[(Role.CIVIL_SERVANT, w.gemeente_rotterdam)])
    w.worker_both = UserFactory(roles=[(Role.COMMUNITY_WORKER, w.both)])
    w.worker_zwolle = UserFactory(roles=[(Role.COMMUNITY_WORKER, w.zwolle_only)])

    w.tuin_zwolle = InitiativeFactory(
        name="Moestuin Assendorp", areas=[w.assendorp], host_organisation=w.both, status="active"
    )
    w.tuin_rotterdam = InitiativeFactory(
        name="Moestuin Feijenoord",
        areas=[w.feijenoord],
        host_organisation=w.both,
        status="active",
    )
    w.koor_zwolle = InitiativeFactory(
        name="Buurtkoor Assendorp",
        areas=[w.assendorp],
        host_organisation=w.zwolle_only,
        status="active",
    )
    w.idea_rotterdam = InitiativeFactory(
        name="Geheim plan Feijenoord", areas=[w.feijenoord], status="idea", is_public=False
    )

    w.round_zwolle = BudgetRoundFactory(
        title="Buurtbudget Assendorp", organisation=w.gemeente_zwolle, areas=[w.assendorp]
    )
    w.round_rotterdam = BudgetRoundFactory(
        title="Buurtbudget Feijenoord",
        organisation=w.gemeente_rotterdam,
        areas=[w.feijenoord],
        phase="assessment",
    )
    w.plan_rotterdam = PlanFactory(budget_round=w.round_rotterdam, title="Bankjes aan de Maas")
    w.draft_rotterdam = BudgetRoundFactory(
        title="Wijkbudget Feijenoord concept",
        organisation=w.gemeente_rotterdam,
        areas=[w.feijenoord],
        is_public=False,
    )
    return w


def _block(client, host, key):
    """The context of one block of "my dashboard" (None when the block is not shown)."""
    blocks = client.get(reverse("portal:dashboard"), **host).context["blocks"]
    return next((b.context for b in blocks if b.key == key), None)


def _get(client, url, host, user=None):
    if user is not None:
        client.force_login(user)
    return client.get(url, **host)


# -- lists show only the current municipality's items ------------------------------------------


def test_the_initiatives_list_and_search_show_only_this_municipality(client, world):
    zwolle = _get(client, reverse("initiatives:list") + "?q=moestuin", ZWOLLE).content.decode()
    rotterdam = _get(client, reverse("initiatives:list") + "?q=moestuin", ROTTERDAM)
    rotterdam = rotterdam.content.decode()
    assert "Moestuin Assendorp" in zwolle and "Moestuin Feijenoord" not in zwolle
    assert "Moestuin Feijenoord" in rotterdam and "Moestuin Assendorp" not in rotterdam
    # the wijk filter offers this municipality's wijken only
    assert "Assendorp" in zwolle and "Feijenoord" not in zwolle


def test_the_organisations_list_shows_who_works_here(client, world):
    zwolle = _get(client, reverse("organisations:list"), ZWOLLE).content.decode()
    rotterdam = _get(client, reverse("organisations:list"), ROTTERDAM).content.decode()
    assert "Gemeente Zwolle" in zwolle and "Gemeente Rotterdam" not in zwolle
    assert "Wijkwijs Zwolle" in zwolle and "Wijkwijs Zwolle" not in rotterdam
    # the welzijnsorganisatie that works in both municipalities is listed in both
    assert "Welzijn Verbindt" in zwolle and "Welzijn Verbindt" in rotterdam


def test_the_rounds_list_shows_only_this_municipality(client, world):
    zwolle = _get(client, reverse("budgets:round-list"), ZWOLLE).content.decode()
    rotterdam = _get(client, reverse("budgets:round-list"), ROTTERDAM).content.decode()
    assert "Buurtbudget Assendorp" in zwolle and "Buurtbudget Feijenoord" not in zwolle
    assert "Buurtbudget Feijenoord" in rotterdam and "Buurtbudget Assendorp" not in rotterdam


def test_the_home_page_and_wijk_pages_show_this_municipality(client, world):
    zwolle = _get(client, "/", ZWOLLE)
    rotterdam = _get(client, "/", ROTTERDAM)
    assert zwolle.context["municipality"] == world.zwolle
    assert rotterdam.context["municipality"] == world.rotterdam
    assert world.tuin_zwolle in zwolle.context["recent_initiatives"]
    assert world.tuin_rotterdam not in zwolle.context["recent_initiatives"]
    index = _get(client, reverse("areas:index"), ROTTERDAM).content.decode()
    assert "Feijenoord" in index and "Assendorp" not in index
    other_wijk = world.feijenoord.get_absolute_url()
    assert _get(client, other_wijk, ZWOLLE).status_code == 404
    assert _get(client, other_wijk, ROTTERDAM).status_code == 200
    assert _get(client, reverse("areas:by-slug", args=["feijenoord"]), ZWOLLE).status_code == 404


def test_the_path_prefix_shows_the_other_municipality_on_one_host(client, world):
    page = client.get("/g/rotterdam/initiatieven/", HTTP_HOST="testserver").content.decode()
    assert "Moestuin Feijenoord" in page and "Moestuin Assendorp" not in page
    assert "/g/rotterdam/initiatieven/" in page  # links stay in Rotterdam


# -- detail pages of another municipality's objects are 404 ------------------------------------


def test_another_municipalitys_detail_pages_are_not_found(client, world):
    other = [
        world.tuin_rotterdam.get_absolute_url(),
        world.round_rotterdam.get_absolute_url(),
        reverse("budgets:plan-detail", args=[world.round_rotterdam.slug, world.plan_rotterdam.pk]),
        reverse("organisations:detail", args=[world.gemeente_rotterdam.slug]),
    ]
    for url in other:
        assert _get(client, url, ZWOLLE).status_code == 404, url
        assert _get(client, url, ROTTERDAM).status_code == 200, url


def test_the_organisation_in_both_shows_the_initiatives_it_hosts_here(client, world):
    url = reverse("organisations:detail", args=[world.both.slug])
    zwolle = _get(client, url, ZWOLLE).content.decode()
    rotterdam = _get(client, url, ROTTERDAM).content.decode()
    assert "Moestuin Assendorp" in zwolle and "Moestuin Feijenoord" not in zwolle
    assert "Moestuin Feijenoord" in rotterdam and "Moestuin Assendorp" not in rotterdam
    # it names the areas it works in elsewhere, but links only to this municipality's
    assert "Assendorp" in rotterdam
    assert f'href="{reverse("areas:by-slug", args=["assendorp"])}"' not in rotterdam
    assert f'href="{reverse("areas:by-slug", args=["feijenoord"])}"' in rotterdam


# -- civil servants: never another municipality's non-public data ------------------------------


def test_a_civil_servant_of_zwolle_cannot_see_or_manage_rotterdams_draft_round(client, world):
    client.force_login(world.servant_zwolle)
    draft = world.draft_rotterdam
    for host in (ZWOLLE, ROTTERDAM):
        assert client.get(draft.get_absolute_url(), **host).status_code == 404
        edit = reverse("budgets:round-edit", args=[draft.slug])
        assert client.get(edit, **host).status_code == 404
        listing = client.get(reverse("budgets:round-list"), **host).content.decode()
        assert "Wijkbudget Feijenoord concept" not in listing
    # assessing Rotterdam's plans: not in Zwolle, forbidden in Rotterdam
    assess = reverse("budgets:assessment", args=[world.round_rotterdam.slug])
    assert client.get(assess, **ZWOLLE).status_code == 404
    assert client.get(assess, **ROTTERDAM).status_code == 403


def test_rotterdams_civil_servant_sees_the_draft_only_in_rotterdam(client, world):
    client.force_login(world.servant_rotterdam)
    draft = world.draft_rotterdam
    assert client.get(draft.get_absolute_url(), **ROTTERDAM).status_code == 200
    listing = client.get(reverse("budgets:round-list"), **ROTTERDAM).content.decode()
    assert "Wijkbudget Feijenoord concept" in listing
    assert client.get(draft.get_absolute_url(), **ZWOLLE).status_code == 404
    assess = reverse("budgets:assessment", args=[world.round_rotterdam.slug])
    assert client.get(assess, **ROTTERDAM).status_code == 200


def test_a_civil_servant_cannot_make_a_round_with_another_municipalitys_areas(world):
    data = RoundData(
        title="Buurtbudget Feijenoord door Zwolle",
        description="",
        areas=[world.feijenoord],
        organisation=world.gemeente_zwolle,
        budget_cents=1_000_000,
        max_choices=3,
    )
    with pytest.raises(BudgetError) as error:
        budget_services.create_round(data=data, actor=world.servant_zwolle)
    assert error.value.code == "areas"
    assert "Feijenoord" in error.value.message


def test_the_round_form_offers_only_this_municipalitys_areas(client, world):
    client.force_login(world.servant_zwolle)
    response = client.get(reverse("budgets:round-create"), **ZWOLLE)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.fields["areas"].queryset) == [world.zwolle, world.assendorp]
    assert list(form.fields["organisation"].queryset) == [world.gemeente_zwolle]
    # in Rotterdam a civil servant of Zwolle may not create rounds at all
    assert client.get(reverse("budgets:round-create"), **ROTTERDAM).status_code == 403


def test_the_wijk_overview_shows_no_other_municipalitys_counts(client, world):
    client.force_login(world.servant_rotterdam)
    rows = _block(client, ROTTERDAM, "initiatives.wijken")["rows"]
    assert [r.area for r in rows] == [world.feijenoord]
    assert rows[0].total == 2  # the private idea is counted for Rotterdam's civil servant
    rows = _block(client, ZWOLLE, "initiatives.wijken")["rows"]
    assert rows == []  # no counts of Zwolle's private ideas for Rotterdam's civil servant


# -- community workers: hosted initiatives of their organisations, per municipality -----------


def test_the_worker_of_the_organisation_in_both_sees_each_municipalitys_initiatives(client, world):
    client.force_login(world.worker_both)
    zwolle = list(_block(client, ZWOLLE, "initiatives.worker")["hosted"])
    rotterdam = _block(client, ROTTERDAM, "initiatives.worker")["hosted"]
    assert zwolle == [world.tuin_zwolle]
    assert list(rotterdam) == [world.tuin_rotterdam]


def test_a_worker_sees_only_initiatives_their_own_organisation_hosts(client, world):
    client.force_login(world.worker_zwolle)
    hosted = _block(client, ZWOLLE, "initiatives.worker")["hosted"]
    assert list(hosted) == [world.koor_zwolle]
    # ... and may edit that one, not the one the other organisation hosts
    edit_own = reverse("initiatives:edit", args=[world.koor_zwolle.slug])
    assert client.get(edit_own, **ZWOLLE).status_code == 200
    edit_other = reverse("initiatives:edit", args=[world.tuin_zwolle.slug])
    assert client.get(edit_other, **ZWOLLE).status_code == 403


def test_the_start_form_offers_only_this_municipalitys_wijken(client, world):
    client.force_login(world.worker_zwolle)
    response = client.post(
        reverse("initiatives:start"),
        {
            "name": "Buurtfeest",
            "pitch": "Een feest voor de hele straat.",
            "area": world.feijenoord.pk,
            "contact_email": "feest@example.org",
        },
        **ZWOLLE,
    )
    assert response.status_code == 200
    assert "area" in response.context["form"].errors


# -- the kept ballot page belongs to one host name and path prefix ----------------------------


def test_the_kept_ballot_page_keeps_each_municipalitys_links(client, world, settings):
    from buurtbasis.ballots import pagecache
    from buurtbasis.ballots.tests.factories import make_codes, voting_round

    settings.BALLOTS_ROUND_CACHE_SECONDS = 60
    pagecache.clear()
    budget_round, plans = voting_round(organisation=world.gemeente_zwolle, areas=[world.assendorp])
    first, second = make_codes(budget_round, 2)
    url = reverse("ballots:ballot", args=[budget_round.slug])
    prefixed = client.get("/g/zwolle" + url, {"code": first}, HTTP_HOST="testserver")
    plain = client.get(url, {"code": second}, **ZWOLLE)
    assert prefixed.status_code == plain.status_code == 200
    detail = reverse("budgets:plan-detail", args=[budget_round.slug, plans[0].pk])
    assert f'href="/g/zwolle{detail}"' in prefixed.content.decode()
    assert "/g/zwolle/" not in plain.content.decode()
    assert f'href="{detail}"' in plain.content.decode()


# -- letters point voters to their own municipality's address ----------------------------------


def test_code_letters_point_to_the_rounds_municipality(world, settings):
    from buurtbasis.ballots.letters import ballot_url, render_letters_html
    from buurtbasis.platform.models import Tenant

    settings.SITE_URL = "https://zwolle.test"
    url = ballot_url(world.round_rotterdam, "ABCD-2026-0001")
    assert url.startswith(f"https://rotterdam.test/stemmen/{world.round_rotterdam.slug}/")
    assert ballot_url(world.round_zwolle).startswith("https://zwolle.test/stemmen/")
    # without a host name of its own: the path prefix on the site's address
    Tenant.objects.get(slug="rotterdam").hosts.all().delete()
    start = ballot_url(world.round_rotterdam)
    assert start == f"https://zwolle.test/g/rotterdam/stemmen/{world.round_rotterdam.slug}/"
    html = render_letters_html(world.round_rotterdam, ["ABCD-2026-0001"])
    assert "https://zwolle.test/g/rotterdam/stemmen/" in html


def test_a_letter_made_under_the_path_prefix_has_the_prefix_once(client, world, settings):
    from django.urls import set_script_prefix

    from buurtbasis.ballots.letters import ballot_url
    from buurtbasis.platform.models import Tenant

    settings.SITE_URL = "https://zwolle.test"
    Tenant.objects.get(slug="rotterdam").hosts.all().delete()
    set_script_prefix("/g/rotterdam/")  # as during a request to /g/rotterdam/…
    try:
        start = ballot_url(world.round_rotterdam)
    finally:
        set_script_prefix("/")
    assert start == f"https://zwolle.test/g/rotterdam/stemmen/{world.round_rotterdam.slug}/"


def test_a_plan_offers_only_initiatives_and_partners_of_the_rounds_municipality(world):
    from buurtbasis.budgets.forms import PlanForm

    rotterdammer = world.tuin_rotterdam.created_by
    world.tuin_zwolle.members.add(rotterdammer)
    form = PlanForm(budget_round=world.round_rotterdam, user=rotterdammer)
    assert list(form.fields["initiative"].queryset) == [world.tuin_rotterdam]
    partners = set(form.fields["partner_organisation"].queryset)
    assert world.both in partners and world.zwolle_only not in partners


def test_each_municipality_gets_its_own_name_and_colours(client, world):
    """The theme of the page chrome follows the tenant: its name in the header and its
    colour in the theme stylesheet (it used the Buurtbasis defaults for every tenant)."""
    from buurtbasis.platform.models import Tenant

    Tenant.objects.filter(cbs_code="GM0599").update(primary_colour="#00811f")
    page = _get(client, "/", ROTTERDAM)
    theme = page.context["tenant_theme"]
    assert theme.name == "Buurtbasis Rotterdam"
    assert theme.primary_colour == "#00811f"
    html = page.content.decode()
    assert "Buurtbasis Rotterdam" in html
    stylesheet = client.get(reverse("platform:theme-css"), **ROTTERDAM).content.decode()
    assert "--bb-colour-primary: #00811f;" in stylesheet
    zwolle = _get(client, "/", ZWOLLE).context["tenant_theme"]
    assert zwolle.name == "Buurtbasis Zwolle"
    assert not zwolle.has_custom_colours
