"""Practice pages: the draft from the platform's facts, the review, access across roles and
municipalities, search, "initiatives like mine", the AVG."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.initiatives.models import TargetGroup, Theme
from buurtbasis.logbook.tests.helpers import initiative, town
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification
from buurtbasis.practices import access, adapters, drafting, privacy, services, similarity
from buurtbasis.practices.models import PracticeState, SimilarItem

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical(settings):
    settings.PRACTICES_SIMILAR_BACKEND = "lexical"
    adapters.forget()
    yield
    adapters.forget()


@pytest.fixture
def zwolle():
    return town("GM0193", "Zwolle")


@pytest.fixture
def rotterdam():
    return town("GM0599", "Rotterdam")


def hosted(t, name="Moestuin Binnenstad", **kw):
    """An initiative hosted by the town's welfare organisation (its worker reviews)."""
    made = initiative(
        t,
        name=name,
        description=kw.pop("description", "Elke zaterdag kweken we groente in bakken."),
        **kw,
    )
    made.host_organisation = t.welfare
    made.save()
    return made


def published(t, made=None):
    made = made or hosted(t)
    member = made.members.first()
    practice = services.start_practice(made, origin=Origin(actor=member))
    services.submit_practice(practice, origin=Origin(actor=member))
    return services.publish_practice(practice, origin=Origin(actor=t.worker))


def test_the_draft_is_made_from_the_initiative_its_history_and_people(zwolle):
    group = TargetGroup.objects.create(slug="tuiniers", name="Tuinliefhebbers")
    made = hosted(zwolle, target_groups=[group])
    draft = drafting.draft(made)
    assert "Samen groente kweken." in draft.fields["what_it_does"]
    assert "Elke zaterdag" in draft.fields["what_it_does"]
    assert "Tuinliefhebbers" in draft.fields["for_whom"]
    assert "Welzijn Zwolle" in draft.fields["took_partners"]
    # Who to ask names no person: not the name, not the e-mail address.
    assert "moestuin@example.org" not in draft.fields["who_to_ask"]
    assert zwolle.resident.display_name not in draft.fields["who_to_ask"]
    sources = {f.source for f in draft.facts}
    assert len(sources) >= 3


def test_only_initiators_start_and_the_draft_keeps_themes_and_a_version(zwolle):
    theme = Theme.objects.create(slug="green", name="Greenery")
    made = hosted(zwolle, themes=[theme])
    with pytest.raises(services.PracticeError):
        services.start_practice(made, origin=Origin(actor=zwolle.worker))
    practice = services.start_practice(made, origin=Origin(actor=zwolle.resident))
    assert practice.state == PracticeState.DRAFT
    assert list(practice.themes.all()) == [theme]
    assert practice.municipality_code == "GM0193"
    assert practice.district == zwolle.wijk
    assert practice.versions.get().what == "drafted"
    assert not practice.is_public
    # A second start returns the same practice.
    assert services.start_practice(made, origin=Origin(actor=zwolle.resident)) == practice


def test_submit_notifies_the_hosts_worker_who_publishes_and_the_initiators_hear(zwolle):
    made = hosted(zwolle)
    practice = services.start_practice(made, origin=Origin(actor=zwolle.resident))
    services.submit_practice(practice, origin=Origin(actor=zwolle.resident))
    assert Notification.objects.filter(recipient=zwolle.worker, kind="practices.submitted").exists()
    # Submitted: the initiators wait for the review.
    with pytest.raises(services.PracticeError):
        services.edit_practice(practice, {"went_well": "x"}, origin=Origin(actor=zwolle.resident))
    # An initiator cannot publish their own practice.
    with pytest.raises(services.PracticeError):
        services.publish_practice(practice, origin=Origin(actor=zwolle.resident))
    practice = services.publish_practice(practice, origin=Origin(actor=zwolle.worker))
    assert practice.is_public and practice.state == PracticeState.PUBLISHED
    assert "groente" in practice.search_lemmas
    assert Notification.objects.filter(
        recipient=zwolle.resident, kind="practices.reviewed"
    ).exists()
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"practices.drafted", "practices.submitted", "practices.published"} <= actions


def test_changes_asked_need_a_comment_and_come_back_to_the_initiators(zwolle):
    practice = services.start_practice(hosted(zwolle), origin=Origin(actor=zwolle.resident))
    services.submit_practice(practice, origin=Origin(actor=zwolle.resident))
    with pytest.raises(services.PracticeError):
        services.ask_changes(practice, "  ", origin=Origin(actor=zwolle.worker))
    practice = services.ask_changes(
        practice, "Schrijf wat er misging.", origin=Origin(actor=zwolle.worker)
    )
    assert practice.state == PracticeState.CHANGES_ASKED
    practice = services.edit_practice(
        practice, {"went_less_well": "Water in de zomer."}, origin=Origin(actor=zwolle.resident)
    )
    services.submit_practice(practice, origin=Origin(actor=zwolle.resident))
    assert [v.what for v in practice.versions.order_by("number")] == [
        "drafted",
        "submitted",
        "changes_asked",
        "edited",
        "submitted",
    ]


def test_an_edit_of_a_published_practice_waits_for_review_and_the_public_keeps_the_old_text(
    zwolle, client
):
    practice = published(zwolle)
    services.edit_practice(
        practice, {"went_well": "Een geheim nieuw inzicht."}, origin=Origin(actor=zwolle.resident)
    )
    practice.refresh_from_db()
    assert practice.state == PracticeState.DRAFT and practice.is_public
    page = client.get(practice.get_absolute_url())
    assert page.status_code == 200
    assert "Een geheim nieuw inzicht." not in page.content.decode()
    client.force_login(zwolle.resident)
    assert "Een geheim nieuw inzicht." in client.get(practice.get_absolute_url()).content.decode()


def test_unpublish_takes_it_out_of_the_list_and_the_index(zwolle, client):
    practice = published(zwolle)
    similarity.index([practice.initiative_id], [practice.pk])
    assert SimilarItem.objects.filter(kind="practice", object_id=practice.pk).exists()
    services.unpublish_practice(practice, "Verouderd", origin=Origin(actor=zwolle.worker))
    similarity.index([], [practice.pk])
    assert SimilarItem.objects.get(kind="practice", object_id=practice.pk).removed
    assert client.get(practice.get_absolute_url()).status_code == 404
    assert practice.title not in client.get(reverse("practices:list")).content.decode()


def test_who_reviews_across_roles_and_municipalities(zwolle, rotterdam):
    practice = services.start_practice(hosted(zwolle), origin=Origin(actor=zwolle.resident))
    assert access.can_review(zwolle.worker, practice)
    assert not access.can_review(rotterdam.worker, practice)  # another municipality
    assert not access.can_review(zwolle.civil_servant, practice)
    assert not access.can_review(zwolle.resident, practice)  # an initiator
    other_worker = UserFactory(roles=[(Role.COMMUNITY_WORKER, rotterdam.welfare)])
    assert not access.can_review(other_worker, practice)
    # Without a host: the workers of an organisation working in the initiative's wijk.
    unhosted = initiative(zwolle, name="Taalcafé")
    p2 = services.start_practice(unhosted, origin=Origin(actor=zwolle.resident))
    assert access.can_review(zwolle.worker, p2)
    assert not access.can_review(rotterdam.worker, p2)
    assert list(access.reviewers(p2)) == [zwolle.worker]


def test_drafts_are_hidden_from_others_and_views_refuse_strangers(zwolle, rotterdam, client):
    practice = services.start_practice(hosted(zwolle), origin=Origin(actor=zwolle.resident))
    url = practice.get_absolute_url()
    assert client.get(url).status_code == 404
    client.force_login(rotterdam.worker)
    assert client.get(url).status_code == 404
    assert client.get(reverse("practices:edit", args=[practice.pk])).status_code == 403
    assert client.post(reverse("practices:submit", args=[practice.pk])).status_code == 403
    client.force_login(zwolle.worker)
    assert client.get(url).status_code == 200  # the reviewer reads the draft
    assert client.get(reverse("practices:edit", args=[practice.pk])).status_code == 403


def test_the_edit_form_saves_and_reports_bad_input_in_dutch(zwolle, client):
    practice = services.start_practice(hosted(zwolle), origin=Origin(actor=zwolle.resident))
    client.force_login(zwolle.resident)
    url = reverse("practices:edit", args=[practice.pk])
    bad = client.post(url, {"title": "", "volunteers": "-3"}, HTTP_ACCEPT_LANGUAGE="nl")
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()
    ok = client.post(
        url,
        {"title": "Onze moestuin", "what_it_does": "Groente kweken.", "volunteers": "6"},
    )
    assert ok.status_code == 302
    practice.refresh_from_db()
    assert practice.title == "Onze moestuin" and practice.volunteers == 6


def test_review_through_the_page(zwolle, client):
    practice = services.start_practice(hosted(zwolle), origin=Origin(actor=zwolle.resident))
    services.submit_practice(practice, origin=Origin(actor=zwolle.resident))
    client.force_login(zwolle.worker)
    url = reverse("practices:review", args=[practice.pk])
    assert client.post(url, {"decision": "changes", "comment": ""}).status_code == 400
    assert client.post(url, {"decision": "publish"}).status_code == 302
    practice.refresh_from_db()
    assert practice.is_public


def test_search_by_lemma_theme_and_municipality_with_bounded_queries(
    zwolle, rotterdam, client, django_assert_max_num_queries
):
    theme = Theme.objects.create(slug="green", name="Greenery")
    for n in range(4):
        published(zwolle, hosted(zwolle, name=f"Moestuin {n}", themes=[theme]))
    published(rotterdam, hosted(rotterdam, name="Buurttuin Feijenoord"))
    published(zwolle, hosted(zwolle, name="Repair Café", description="Samen repareren."))
    url = reverse("practices:list")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"q": "moestuinen"})
    body = page.content.decode()
    assert "Moestuin 0" in body and "Repair Café" not in body
    assert "Buurttuin Feijenoord" not in body  # another municipality
    everywhere = client.get(url, {"q": "groente", "all": "on"}).content.decode()
    assert "Buurttuin Feijenoord" in everywhere
    # Inside Dutch compounds: "tuin" finds the Buurttuin and the moestuinen.
    compound = client.get(url, {"q": "tuin", "all": "on"}).content.decode()
    assert "Buurttuin Feijenoord" in compound and "Moestuin 1" in compound
    themed = client.get(url, {"theme": theme.pk}).content.decode()
    assert "Moestuin 3" in themed and "Repair Café" not in themed


def test_like_mine_finds_the_other_municipality_in_a_fixed_number_of_queries(
    zwolle, rotterdam, django_assert_max_num_queries
):
    mine = hosted(zwolle, name="Moestuin Zwolle")
    for n in range(6):
        hosted(zwolle, name=f"Repair Café {n}", description="Kapotte spullen repareren.")
    there = hosted(rotterdam, name="Buurttuin Feijenoord")
    practice = published(rotterdam, there)
    similarity.rebuild()
    adapters.forget()
    similarity.like_mine(mine)  # loads the matrix once
    with django_assert_max_num_queries(4):
        found = similarity.like_mine(mine)
    names = [s.name for s in found]
    assert names[0] == practice.title  # its practice stands for the Rotterdam initiative
    assert found[0].municipality_code == "GM0599" and not found[0].same_municipality
    assert "Moestuin Zwolle" not in names


def test_the_initiative_page_shows_like_mine_and_the_way_to_start(zwolle, rotterdam, client):
    mine = hosted(zwolle, name="Moestuin Zwolle")
    hosted(rotterdam, name="Buurttuin Feijenoord")
    similarity.rebuild()
    client.force_login(zwolle.resident)
    body = client.get(mine.get_absolute_url()).content.decode()
    assert "Buurttuin Feijenoord" in body
    assert reverse("practices:start", args=[mine.slug]) in body


def test_privacy_export_and_erasure_of_the_edit_history(zwolle):
    practice = published(zwolle)
    exported = privacy.export_practices(zwolle.resident)
    assert [v["what"] for v in exported["versions_saved"]] == ["drafted", "submitted"]
    assert privacy.export_practices(zwolle.worker)["reviews"]
    privacy.erase_practices(zwolle.resident)
    privacy.erase_practices(zwolle.worker)
    assert not practice.versions.filter(author__in=[zwolle.resident, zwolle.worker]).exists()
    practice.refresh_from_db()
    assert practice.reviewed_by is None and practice.is_public


def test_a_process_reads_only_the_changed_rows_and_learns_what_was_removed(
    zwolle, rotterdam, django_assert_max_num_queries, monkeypatch
):
    mine = hosted(zwolle, name="Moestuin Zwolle")
    hosted(zwolle, name="Repair Café", description="Kapotte spullen repareren.")
    similarity.rebuild()
    similarity.like_mine(mine)
    base = adapters.neighbours(adapters.LEXICAL).neighbours.base
    # A new like-minded initiative elsewhere: stored by the task, read as a delta.
    there = hosted(rotterdam, name="Buurttuin Feijenoord")
    similarity.index([there.pk], [])
    with django_assert_max_num_queries(5):
        found = similarity.like_mine(mine)
    loaded = adapters.neighbours(adapters.LEXICAL)
    assert loaded.neighbours.base is base  # not read again
    assert ("initiative", there.pk) in loaded.delta_rows
    assert found[0].name == "Buurttuin Feijenoord"
    # It stops being public: the row is kept as removed and leaves the list.
    there.is_public = False
    there.status = "idea"
    there.save()
    similarity.index([there.pk], [])
    assert SimilarItem.objects.get(kind="initiative", object_id=there.pk).removed
    assert "Buurttuin Feijenoord" not in [s.name for s in similarity.like_mine(mine)]
    # Past the delta's limit the next lookup reads every row again.
    monkeypatch.setattr(adapters, "DELTA_MAX", 0)
    similarity.index([mine.pk], [])
    similarity.like_mine(mine)
    assert adapters.neighbours(adapters.LEXICAL).neighbours.base is not base


def test_the_draft_reads_the_buurtbudget_and_the_hosts_ledger():
    from buurtbasis.budgets.models import FundedPlan
    from buurtbasis.budgets.tests.factories import PlanFactory
    from buurtbasis.hosting.tests.expense_helpers import World

    world = World(grant_cents=120_000)
    plan = PlanFactory(initiative=world.initiative, title="Bakken voor de moestuin")
    FundedPlan.objects.create(
        plan=plan,
        budget_round=plan.budget_round,
        amount_cents=80_000,
        initiative=world.initiative,
    )
    assert drafting.budget_facts(world.initiative)[0].figures == {"money_received_cents": 80_000}
    text = drafting.budget_facts(world.initiative)[0].text
    assert "Bakken voor de moestuin" in text and plan.budget_round.title in text
    ledger = drafting.ledger_facts(world.initiative)
    assert ledger and ledger[0].field == "took_money"
    made = drafting.draft(world.initiative)
    # The ledger comes after the buurtbudget: its figures win.
    assert made.figures["money_received_cents"] == ledger[0].figures["money_received_cents"]
    assert "money_spent_cents" in made.figures


def test_the_host_organisations_page_lists_its_published_practices(zwolle, client):
    practice = published(zwolle)
    draft = services.start_practice(
        hosted(zwolle, name="Taalcafé Centrum"), origin=Origin(actor=zwolle.resident)
    )
    body = client.get(reverse("organisations:detail", args=[zwolle.welfare.slug])).content.decode()
    assert practice.get_absolute_url() in body
    assert draft.get_absolute_url() not in body


def test_a_practice_of_another_municipality_links_to_its_initiative_on_that_site(
    zwolle, rotterdam, client, settings
):
    settings.ALLOWED_HOSTS = ["zwolle.example.org", "rotterdam.example.org"]
    from buurtbasis.platform.models import Tenant, TenantHost

    for t, host in ((zwolle, "zwolle.example.org"), (rotterdam, "rotterdam.example.org")):
        tenant = Tenant.objects.create(name=t.gemeente.name, slug=t.gemeente.slug, cbs_code=t.code)
        TenantHost.objects.create(tenant=tenant, host=host)
    practice = published(rotterdam, hosted(rotterdam, name="Buurttuin Feijenoord"))
    body = client.get(practice.get_absolute_url(), HTTP_HOST="zwolle.example.org").content.decode()
    assert f"http://rotterdam.example.org{practice.initiative.get_absolute_url()}" in body


def test_the_draft_reads_volunteer_hours_rooms_and_partners(zwolle):
    import datetime
    import uuid

    from django.utils import timezone

    from buurtbasis.partnerships.models import Partnership, Side
    from buurtbasis.rooms.models import Booking, BookingStatus, Room
    from buurtbasis.volunteering.models import HoursEntry, HoursState

    made = hosted(zwolle)
    helper = UserFactory()
    for user, minutes, state in (
        (zwolle.resident, 120, HoursState.CONFIRMED),
        (helper, 90, HoursState.CONFIRMED),
        (helper, 600, HoursState.PENDING),  # not confirmed: does not count
    ):
        HoursEntry.objects.create(
            user=user,
            initiative=made,
            date=datetime.date(2026, 5, 1),
            minutes=minutes,
            state=state,
            entered_by=user,
        )
    room = Room.objects.create(
        organisation=zwolle.welfare,
        area=zwolle.wijk,
        name="Buurthuis De Kandelaar",
        address="Kerkstraat 1",
        capacity=30,
    )
    start = timezone.now()
    for week, status in (
        (0, BookingStatus.ACCEPTED),
        (1, BookingStatus.ACCEPTED),
        (2, BookingStatus.DECLINED),
    ):
        Booking.objects.create(
            room=room,
            initiative=made,
            series=uuid.uuid4(),
            title="Tuinoverleg",
            expected_people=8,
            starts_at=start + datetime.timedelta(weeks=week),
            ends_at=start + datetime.timedelta(weeks=week, hours=2),
            status=status,
        )
    together = Partnership.objects.create(
        initiative=made,
        municipality_code="GM0193",
        title="Groen met de school",
        purpose="Samen tuinieren met groep 7.",
    )
    Side.objects.create(
        partnership=together,
        organisation=zwolle.welfare,
        tasks="levert de grond",
        confirmed_at=timezone.now(),
    )
    unconfirmed = Partnership.objects.create(
        initiative=made, municipality_code="GM0193", title="Nog niet bevestigd", purpose="-"
    )
    Side.objects.create(partnership=unconfirmed, organisation=zwolle.municipality)

    (hours,) = drafting.volunteer_facts(made)
    assert hours.figures == {"volunteers": 2, "volunteer_hours": 4}  # 3.5 hours, rounded
    (rooms,) = drafting.room_facts(made)
    assert "Buurthuis De Kandelaar" in rooms.text and "2" in rooms.text
    partners = drafting.partner_facts(made)
    assert [p.field for p in partners] == ["took_partners"]
    assert "Groen met de school" in partners[0].text and "levert de grond" in partners[0].text
    draft = drafting.draft(made)
    assert draft.figures["volunteer_hours"] == 4
    assert "Buurthuis De Kandelaar" in draft.fields["took_rooms"]


def test_another_database_with_the_same_version_is_read_again(zwolle):
    from buurtbasis.practices.models import SimilarIndex

    hosted(zwolle, name="Moestuin Zwolle")
    similarity.rebuild()
    before = adapters.neighbours(adapters.LEXICAL)
    # As after a test database is made again or a backup restored: same version, new row.
    SimilarIndex.objects.all().delete()
    SimilarIndex.objects.create(backend=adapters.LEXICAL, version=before.version)
    after = adapters.neighbours(adapters.LEXICAL)
    assert after is not before and after.token != before.token
