"""Pages of the buddy programme: who sees what across roles and municipalities, the
forms without JavaScript, a contact person answering for their own household only, the
dashboard block and bounded queries."""

import pytest
from django.test import Client
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.buddies import services
from buurtbasis.buddies.models import Household, HouseholdStatus, Pair, PairStatus
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant

from .helpers import active_pair, household, town

pytestmark = pytest.mark.django_db

ROTTERDAM = "/g/rotterdam"


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture
def towns():
    zwolle = town()
    rotterdam = town("GM0599", "Rotterdam", lon=4.47, lat=51.92)
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    return zwolle, rotterdam


def as_user(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_only_matchers_and_workers_of_the_programme_open_its_pages(towns):
    t, _other = towns
    h = household(t, "newcomer", label="Familie Haddad")
    urls = [
        reverse("buddies:programme", args=[t.programme.pk]),
        reverse("buddies:household", args=[h.pk]),
        reverse("buddies:household-new", args=[t.programme.pk]),
        reverse("buddies:batch-new", args=[t.programme.pk]),
    ]
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    for user in (t.matcher, t.worker, admin):
        for url in urls:
            assert as_user(user).get(url).status_code == 200, (user, url)
    for user in (t.other_matcher, t.civil_servant, t.resident):
        for url in urls:
            assert as_user(user).get(url).status_code == 403, (user, url)
    for url in urls:
        response = as_user(None).get(url)
        assert response.status_code == 302 and "inloggen" in response.url or "login" in response.url


def test_a_programme_of_another_municipality_is_not_found_and_its_matcher_sees_nothing(towns):
    t, other = towns
    h = household(t, "newcomer", label="Familie Zwolle")
    theirs = household(other, "newcomer", label="Familie Rotterdam")
    # Rotterdam's matcher on Zwolle's site, and on its own site asking for Zwolle's rows.
    assert (
        as_user(other.matcher).get(reverse("buddies:programme", args=[t.programme.pk])).status_code
        == 403
    )
    for url in (
        reverse("buddies:programme", args=[t.programme.pk]),
        reverse("buddies:household", args=[h.pk]),
    ):
        assert as_user(t.matcher).get(ROTTERDAM + url).status_code == 404
        assert as_user(other.matcher).get(ROTTERDAM + url).status_code == 404
    page = as_user(other.matcher).get(
        ROTTERDAM + reverse("buddies:programme", args=[other.programme.pk])
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Familie Rotterdam" in html and "Familie Zwolle" not in html
    assert (
        as_user(t.matcher)
        .get(ROTTERDAM + reverse("buddies:household", args=[theirs.pk]))
        .status_code
        == 403
    )


def test_intake_without_javascript_and_clear_dutch_errors(towns):
    t, _other = towns
    client = as_user(t.matcher)
    url = reverse("buddies:household-new", args=[t.programme.pk])
    bad = client.post(
        url,
        {
            "kind": "newcomer",
            "label": "Familie X",
            "adults": "2",
            "children_ages": "6, twaalf",
            "area": t.buurt.pk,
            "language_1": "ar",
            "level_1": "native",
            "consent_sensitive": "on",
        },
    )
    assert bad.status_code == 200
    html = bad.content.decode()
    assert "hele getallen" in html and "niets om toestemming" in html
    ok = client.post(
        url,
        {
            "kind": "newcomer",
            "label": "Familie X",
            "adults": "2",
            "children_ages": "6, 8",
            "area": t.buurt.pk,
            "language_1": "ar",
            "level_1": "native",
            "language_2": "nl",
            "level_2": "basic",
            "interests": ["koken"],
            "other_interests": "Schaken",
            "availability": ["sat-afternoon"],
            "ready": "1",
        },
    )
    assert ok.status_code == 302
    h = Household.objects.get(label="Familie X")
    assert h.status == HouseholdStatus.WAITING and h.children_ages == [6, 8]
    assert h.interests == ["koken", "schaken"] and h.lat is not None
    assert h.languages == [{"code": "ar", "level": "native"}, {"code": "nl", "level": "basic"}]


def test_the_matcher_sees_explained_suggestions_and_proposes_a_pair(towns):
    t, _other = towns
    newcomer = household(t, "newcomer", label="Familie Haddad")
    near = household(
        t,
        "local",
        label="Familie Jansen",
        area=t.next_buurt,
        languages=[{"code": "ar", "level": "good"}, {"code": "nl", "level": "native"}],
    )
    household(t, "local", label="Familie Ver", area=t.far_buurt)
    client = as_user(t.matcher)
    html = client.get(reverse("buddies:household", args=[newcomer.pk])).content.decode()
    assert "Familie Jansen" in html and "Familie Ver" not in html
    assert "beide spreken Arabisch" in html and "kinderen van 6 en 8" in html and " km" in html
    assert "verder weg dan de maximale afstand" in html
    response = client.post(reverse("buddies:propose", args=[newcomer.pk]), {"other": near.pk})
    pair = Pair.objects.get()
    assert response.status_code == 302 and response.url == reverse("buddies:pair", args=[pair.pk])
    assert pair.status == PairStatus.PROPOSED and "Arabisch" in pair.explanation
    # The far household cannot be proposed by posting its id either.
    far = Household.objects.get(label="Familie Ver")
    other_newcomer = household(t, "newcomer", label="Familie Twee")
    client.post(reverse("buddies:propose", args=[other_newcomer.pk]), {"other": far.pk})
    assert Pair.objects.count() == 1


def test_a_contact_person_answers_only_for_their_own_household(towns):
    t, _other = towns
    contact = UserFactory(display_name="Samir")
    newcomer = household(t, "newcomer", contact=contact)
    local = household(t, "local")
    pair = services.propose_pair(newcomer=newcomer, local=local, origin=Origin(actor=t.matcher))
    url = reverse("buddies:pair", args=[pair.pk])
    assert as_user(t.resident).get(url).status_code == 403
    client = as_user(contact)
    assert "Wij accepteren" in client.get(url).content.decode()
    # Posting for the other side, or a matcher's action, is refused.
    assert client.post(url, {"action": "checkin"}).status_code == 403
    client.post(url, {"action": "accept", "side": "local"})
    pair.refresh_from_db()
    assert pair.newcomer_accepted_at and not pair.local_accepted_at
    assert not pair.newcomer_on_behalf and pair.newcomer_accepted_by == contact
    matcher = as_user(t.matcher)
    matcher.post(url, {"action": "accept", "side": "local"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE and pair.local_on_behalf
    assert pair.checkins.count() == 4


def test_the_matcher_records_a_check_in_ends_early_and_evaluates_without_javascript(towns):
    t, _other = towns
    import datetime

    start = datetime.date(2025, 8, 15)
    pair = active_pair(t, start=start)
    client = as_user(t.matcher)
    url = reverse("buddies:pair", args=[pair.pk])
    first = pair.checkins.order_by("due_on").first()
    client.post(
        url,
        {
            "action": "checkin",
            "checkin": first.pk,
            "checkin-done_on": "2025-09-01",
            "checkin-note": "Gaat goed",
        },
    )
    first.refresh_from_db()
    assert first.done_on and first.note == "Gaat goed"
    empty = client.post(url, {"action": "end", "end-reason": ""})
    assert empty.status_code == 200 and "verplicht" in empty.content.decode().lower()
    client.post(url, {"action": "end", "end-reason": "Verhuisd"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.ENDED_EARLY
    html = client.get(url).content.decode()
    assert "nooit het oude maatje" in html
    client.post(url, {"action": "evaluate", "evaluate-newcomer_text": "Fijn gehad"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.EVALUATED


def test_the_batch_page_proposes_only_the_chosen_pairs(towns):
    t, _other = towns
    n = household(t, "newcomer", label="N")
    loc = household(t, "local", label="L")
    client = as_user(t.matcher)
    response = client.post(reverse("buddies:batch-new", args=[t.programme.pk]), {"max_km": "5"})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert "N + L" in html and "geen besluit" in html
    client.post(response.url, {})
    assert not Pair.objects.exists()
    client.post(response.url, {"pair": f"{n.pk}-{loc.pk}"})
    assert Pair.objects.filter(newcomer=n, local=loc, status=PairStatus.PROPOSED).exists()


def test_a_batch_post_with_only_unknown_pairs_says_so(towns):
    t, _other = towns
    n = household(t, "newcomer", label="N")
    loc = household(t, "local", label="L")
    client = as_user(t.matcher)
    response = client.post(reverse("buddies:batch-new", args=[t.programme.pk]), {"max_km": "5"})
    page = client.post(response.url, {"pair": [f"{loc.pk}-{n.pk}", "9999-9998"]}, follow=True)
    assert not Pair.objects.exists()
    assert "2 gekozen koppels staan niet (meer) in dit voorstel" in page.content.decode()


def test_the_dashboard_shows_overdue_check_ins_to_the_matcher_only(towns):
    import datetime

    from django.utils import timezone

    t, _other = towns
    active_pair(t, start=timezone.localdate() - datetime.timedelta(weeks=3))
    html = as_user(t.matcher).get(reverse("portal:dashboard")).content.decode()
    assert "Te late contactmomenten" in html and "week 2" in html
    html = as_user(t.resident).get(reverse("portal:dashboard")).content.decode()
    assert "Te late contactmomenten" not in html


def test_the_household_list_and_dashboard_cost_the_same_queries_for_many_rows(
    towns, django_assert_max_num_queries
):
    import datetime

    from django.utils import timezone

    t, _other = towns
    client = as_user(t.matcher)
    urls = [reverse("buddies:programme", args=[t.programme.pk]), reverse("portal:dashboard")]
    start = timezone.localdate() - datetime.timedelta(weeks=8)
    active_pair(t, start=start)
    counts = []
    for url in urls:
        client.get(url)
        with django_assert_max_num_queries(60) as few:
            client.get(url)
        counts.append(len(few.captured_queries))
    for _ in range(8):
        active_pair(t, start=start)
        household(t, "newcomer")
    for url, n in zip(urls, counts, strict=True):
        with django_assert_max_num_queries(n):
            client.get(url)


def test_posting_needs_the_csrf_token(towns):
    t, _other = towns
    h = household(t, "newcomer", ready=False)
    client = Client(enforce_csrf_checks=True)
    client.force_login(t.matcher)
    response = client.post(reverse("buddies:household-ready", args=[h.pk]))
    assert response.status_code == 403
    h.refresh_from_db()
    assert h.status == HouseholdStatus.INTAKE


def test_the_organisation_page_leads_to_sign_up_and_its_matchers_to_the_programme(towns):
    t, _other = towns
    url = reverse("organisations:detail", args=[t.programme.organisation.slug])
    html = as_user(t.resident).get(url).content.decode()
    assert reverse("buddies:sign-up", args=[t.programme.pk]) in html
    assert f'href="{reverse("buddies:programme", args=[t.programme.pk])}"' not in html
    html = as_user(t.matcher).get(url).content.decode()
    assert reverse("buddies:programme", args=[t.programme.pk]) in html


def test_a_household_signs_itself_up_and_a_matcher_finishes_the_intake(towns):
    t, _other = towns
    client = as_user(t.resident)
    url = reverse("buddies:sign-up", args=[t.programme.pk])
    page = client.get(url).content.decode()
    assert 'name="label"' not in page and 'name="contact_email"' not in page
    data = {
        "kind": "local",
        "adults": "1",
        "area": t.buurt.pk,
        "language_1": "nl",
        "level_1": "native",
    }
    assert client.post(url, data).status_code == 302
    h = Household.objects.get()
    assert h.contact == t.resident and h.status == HouseholdStatus.INTAKE
    again = client.post(url, data)
    assert "al aangemeld" in again.content.decode() and Household.objects.count() == 1
    html = as_user(t.matcher).get(reverse("buddies:programme", args=[t.programme.pk]))
    assert h.label in html.content.decode()


def test_a_contact_person_does_not_see_what_the_other_household_said_in_the_evaluation(towns):
    t, _other = towns
    contact = UserFactory(display_name="Samir")
    pair = active_pair(t, contact=contact)
    origin = Origin(actor=t.matcher)
    services.end_early(pair=pair, reason="Verhuisd", origin=origin)
    services.evaluate(
        pair=pair,
        newcomer_text="Wij vonden het fijn",
        local_text="Het klikte niet met de ouders",
        origin=origin,
    )
    url = reverse("buddies:pair", args=[pair.pk])
    html = as_user(contact).get(url).content.decode()
    assert "Het klikte niet met de ouders" not in html
    assert "Het klikte niet met de ouders" in as_user(t.matcher).get(url).content.decode()


def test_a_check_in_cannot_be_recorded_on_a_future_date(towns):
    import datetime

    from django.utils import timezone

    t, _other = towns
    pair = active_pair(t)
    first = pair.checkins.order_by("due_on").first()
    future = timezone.localdate() + datetime.timedelta(days=30)
    response = as_user(t.matcher).post(
        reverse("buddies:pair", args=[pair.pk]),
        {"action": "checkin", "checkin": first.pk, "checkin-done_on": future.isoformat()},
        follow=True,
    )
    first.refresh_from_db()
    assert first.done_on is None
    assert response.status_code == 200
    assert "niet op een datum in de toekomst" in response.content.decode()


def test_the_complete_button_shows_only_once_the_term_is_over(towns):
    import datetime

    from django.utils import timezone

    t, _other = towns
    client = as_user(t.matcher)
    fresh = active_pair(t)
    assert (
        "Koppel afronden"
        not in client.get(reverse("buddies:pair", args=[fresh.pk])).content.decode()
    )
    old = active_pair(t, start=timezone.localdate() - datetime.timedelta(days=200))
    assert "Koppel afronden" in client.get(reverse("buddies:pair", args=[old.pk])).content.decode()


def test_a_check_in_cannot_be_recorded_before_the_pair_started(towns):
    import datetime

    t, _other = towns
    start = datetime.date(2025, 8, 15)
    pair = active_pair(t, start=start)
    first = pair.checkins.order_by("due_on").first()
    response = as_user(t.matcher).post(
        reverse("buddies:pair", args=[pair.pk]),
        {"action": "checkin", "checkin": first.pk, "checkin-done_on": "2025-08-14"},
        follow=True,
    )
    first.refresh_from_db()
    assert first.done_on is None
    assert "15 augustus 2025" in response.content.decode()


def test_the_matcher_records_which_household_declines(towns):
    t, _other = towns
    matcher = Origin(actor=t.matcher)
    pair = services.propose_pair(
        newcomer=household(t, "newcomer"), local=household(t, "local"), origin=matcher
    )
    client = as_user(t.matcher)
    url = reverse("buddies:pair", args=[pair.pk])
    assert pair.local.label in client.get(url).content.decode()
    missing = client.post(url, {"action": "decline", "decline-reason": "Geen tijd"})
    assert missing.status_code == 200
    pair.refresh_from_db()
    assert pair.status == PairStatus.PROPOSED
    client.post(url, {"action": "decline", "decline-side": "local", "decline-reason": "Geen tijd"})
    pair.refresh_from_db()
    assert pair.status == PairStatus.DECLINED
    from buurtbasis.platform.models import AuditEvent

    assert AuditEvent.objects.get(action="buddies.pair_declined").details == {"side": "local"}


def test_the_intake_never_reveals_an_account_and_links_it_only_when_its_holder_confirms(towns):
    from buurtbasis.platform.models import Notification

    t, _other = towns
    person = UserFactory(display_name="Ouder", email="ouder@example.org", email_verified=True)
    client = as_user(t.matcher)
    url = reverse("buddies:household-new", args=[t.programme.pk])

    def intake(label, email):
        data = {
            "kind": "newcomer",
            "label": label,
            "adults": "2",
            "area": t.buurt.pk,
            "language_1": "ar",
            "level_1": "native",
            "contact_email": email,
        }
        return client.post(url, data, follow=True)

    known = intake("Familie K", "Ouder@Example.org")
    unknown = intake("Familie O", "niemand@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain[-1][1] == unknown.redirect_chain[-1][1] == 302
    household = Household.objects.get(label="Familie K")
    assert household.contact is None
    assert Household.objects.get(label="Familie O").contact is None
    note = Notification.objects.get(recipient=person, kind="buddies.contact_invited")
    confirm = reverse("buddies:contact-confirm", args=[household.pk])
    assert note.link.endswith(confirm)
    # Nobody else can answer the invitation.
    assert as_user(t.resident).get(confirm).status_code == 404
    assert as_user(t.resident).post(confirm, {"answer": "yes"}).status_code == 404
    own = as_user(person)
    assert own.get(confirm).status_code == 200
    own.post(confirm, {"answer": "yes"})
    household.refresh_from_db()
    assert household.contact == person and household.invited_email == ""
    assert own.get(confirm).status_code == 404
