import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent
from buurtbasis.platform.tenancy import ensure_tenant
from buurtbasis.referrals import services
from buurtbasis.referrals.models import Referral, Status

from .helpers import CONTACT, NAME, REASON, consent_until, refer, town

pytestmark = pytest.mark.django_db

NOTE = "Vertrouwelijk: schuld bij de energieleverancier besproken."
ROTTERDAM = "/g/rotterdam"


def _get(client, url, user=None):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def _html(response) -> str:
    return response.content.decode()


def _loop(t, referral):
    origin = Origin(actor=t.professional)
    services.add_note(referral, text=NOTE, origin=origin)
    referral = services.take_step(referral, to_status="accepted", origin=origin)
    return services.take_step(referral, to_status="first_contact", origin=origin)


def _secrets_absent(html: str) -> None:
    for secret in (NAME, CONTACT, REASON, NOTE):
        assert secret not in html, secret


def test_the_referrer_sees_the_steps_but_never_details_or_notes(client):
    t = town()
    referral = _loop(t, refer(t))
    for url in (
        reverse("referrals:mine-detail", args=[referral.pk]),
        reverse("referrals:mine"),
        reverse("referrals:home"),
        reverse("portal:dashboard"),
    ):
        response = _get(client, url, t.volunteer)
        assert response.status_code == 200, url
        _secrets_absent(_html(response))
    html = _html(_get(client, reverse("referrals:mine-detail", args=[referral.pk]), t.volunteer))
    assert "Eerste contact gelegd" in html and "Geaccepteerd" in html


def test_nothing_reported_back_shows_only_sent(client):
    t = town()
    referral = _loop(t, refer(t, report_back="nothing"))
    html = _html(_get(client, reverse("referrals:mine-detail", args=[referral.pk]), t.volunteer))
    assert "Eerste contact gelegd" not in html and "Geaccepteerd" not in html
    _secrets_absent(html)


def test_the_case_page_is_for_the_receiving_organisation_only(client):
    t = town()
    referral = _loop(t, refer(t))
    url = reverse("referrals:case", args=[referral.pk])
    admin = UserFactory(is_superuser=True)
    for person in (t.volunteer, t.worker, t.care_professional, t.civil_servant, t.resident, admin):
        response = _get(client, url, person)
        assert response.status_code == 403, person
        _secrets_absent(_html(response))
    assert _get(client, url).status_code == 302  # to the log-in
    before = AuditEvent.objects.filter(action="referrals.details_viewed").count()
    response = _get(client, url, t.colleague)
    assert response.status_code == 200
    html = _html(response)
    assert NAME in html and CONTACT in html and REASON in html and NOTE in html
    viewed = AuditEvent.objects.filter(action="referrals.details_viewed")
    assert viewed.count() == before + 1 and viewed.first().actor == t.colleague
    # Nor do the others act on it through the forms.
    for name in ("referrals:step", "referrals:note", "referrals:export", "referrals:erase"):
        client.force_login(t.volunteer)
        response = client.post(reverse(name, args=[referral.pk]), {"to": "started", "text": "x"})
        assert response.status_code == 403, name
    assert Referral.objects.get(pk=referral.pk).status == Status.FIRST_CONTACT


def test_the_referrer_page_is_for_the_referrer_only(client):
    t = town()
    referral = refer(t)
    url = reverse("referrals:mine-detail", args=[referral.pk])
    for person in (t.worker, t.professional, t.resident):
        assert _get(client, url, person).status_code == 403


def test_an_organisation_sees_only_referrals_addressed_to_it(client):
    t = town()
    debt = refer(t)
    care = refer(t, service=t.care_service)
    html = _html(_get(client, reverse("referrals:inbox"), t.professional))
    assert reverse("referrals:case", args=[debt.pk]) in html
    assert reverse("referrals:case", args=[care.pk]) not in html
    html = _html(_get(client, reverse("referrals:inbox"), t.care_professional))
    assert reverse("referrals:case", args=[care.pk]) in html
    assert reverse("referrals:case", args=[debt.pk]) not in html
    assert _get(client, reverse("referrals:inbox"), t.volunteer).status_code == 403


def test_other_municipality_sees_nothing(client):
    t = town()
    other = town("GM0599", "Rotterdam")
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    referral = refer(t)
    url = reverse("referrals:case", args=[referral.pk])
    assert _get(client, url, other.professional).status_code == 403
    # Under Rotterdam's address the Zwolle referral does not exist, even for its own people.
    assert _get(client, ROTTERDAM + url, t.professional).status_code == 404
    mine = reverse("referrals:mine-detail", args=[referral.pk])
    assert _get(client, ROTTERDAM + mine, t.volunteer).status_code == 404
    # Each map shows its own services.
    zwolle_map = _html(_get(client, reverse("referrals:map")))
    rotterdam_map = _html(_get(client, ROTTERDAM + reverse("referrals:map")))
    assert "Schuldhulpverlening Zwolle" in zwolle_map
    assert "Schuldhulpverlening Rotterdam" not in zwolle_map
    assert "Schuldhulpverlening Rotterdam" in rotterdam_map
    assert "Schuldhulpverlening Zwolle" not in rotterdam_map
    service = reverse("referrals:service", args=[t.debt_service.pk])
    assert _get(client, ROTTERDAM + service).status_code == 404
    # A Zwolle volunteer cannot refer to a Rotterdam service.
    refer_url = reverse("referrals:refer", args=[other.debt_service.pk])
    assert _get(client, ROTTERDAM + refer_url, t.volunteer).status_code == 403


def test_the_map_filters_by_domain_and_wijk_and_hides_professional_contact(client):
    t = town()
    url = reverse("referrals:map")
    html = _html(_get(client, url + "?domein=care"))
    assert "Wijkteam Zwolle" in html and "Schuldhulpverlening Zwolle" not in html
    html = _html(_get(client, f"{url}?wijk={t.other_wijk.pk}"))
    # The debt service serves the whole municipality, the wijkteam only the first wijk.
    assert "Schuldhulpverlening Zwolle" in html and "Wijkteam Zwolle" not in html
    html = _html(_get(client, f"{url}?domein=nonsense&wijk=abc"))
    assert "Wijkteam Zwolle" in html
    detail = reverse("referrals:service", args=[t.debt_service.pk])
    assert "intake@schuldhulp.example.org" not in _html(_get(client, detail))
    assert "intake@schuldhulp.example.org" not in _html(_get(client, detail, t.resident))
    assert "intake@schuldhulp.example.org" in _html(_get(client, detail, t.volunteer))


def test_a_referral_is_made_without_javascript(client):
    t = town()
    client.force_login(t.volunteer)
    url = reverse("referrals:refer", args=[t.debt_service.pk])
    data = {
        "person_name": "Ria",
        "contact": "ria@example.org",
        "reason": "Post stapelt zich op.",
        "shared": ["name", "contact", "reason"],
        "consent_until": consent_until().isoformat(),
        "consent_method": "paper",
        "report_back": "status",
        "professional": str(t.colleague.pk),
    }
    response = client.post(url, data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:mine-detail", args=[referral.pk])
    assert referral.professional == t.colleague and referral.consent_method == "paper"


def test_the_form_refuses_a_bsn_and_warns_for_diagnoses(client):
    t = town()
    client.force_login(t.volunteer)
    url = reverse("referrals:refer", args=[t.debt_service.pk])
    data = {
        "person_name": "Ria",
        "reason": "Haar BSN is 123456782.",
        "shared": ["name", "reason"],
        "consent_until": consent_until().isoformat(),
        "consent_method": "in_person",
        "report_back": "status",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "burgerservicenummer" in _html(response)
    data["reason"] = "Ze heeft een depressie en kan de post niet openen."
    html = _html(client.post(url, data))
    assert "depressie" in html and not Referral.objects.exists()
    data["confirm_words"] = "on"
    assert client.post(url, data).status_code == 302
    assert Referral.objects.count() == 1


def test_the_professional_walks_the_loop_without_javascript(client):
    t = town()
    referral = refer(t)
    client.force_login(t.professional)
    step = reverse("referrals:step", args=[referral.pk])
    assert client.post(step, {"to": "accepted"}).status_code == 302
    assert client.post(step, {"to": "ended"}).status_code == 400  # no outcome chosen
    assert client.post(step, {"to": "first_contact"}).status_code == 302
    assert client.post(step, {"to": "started"}).status_code == 302
    assert client.post(step, {"to": "ended", "category": "helped"}).status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ENDED and referral.outcome == "helped"
    note = reverse("referrals:note", args=[referral.pk])
    assert client.post(note, {"text": "BSN 123456782"}).status_code == 400
    assert client.post(note, {"text": NOTE}).status_code == 302
    export = client.post(reverse("referrals:export", args=[referral.pk]))
    assert export.status_code == 200 and NOTE in export.content.decode()
    erase = reverse("referrals:erase", args=[referral.pk])
    client.post(erase)  # not confirmed
    assert Referral.objects.exists()
    assert client.post(erase, {"confirm": "yes"}).status_code == 302
    assert not Referral.objects.exists()


def test_only_maintainers_edit_the_map(client):
    t = town()
    other = town("GM0599", "Rotterdam")
    new = reverse("referrals:service-new")
    edit = reverse("referrals:service-edit", args=[t.debt_service.pk])
    for person in (t.volunteer, t.professional, t.resident, other.civil_servant):
        assert _get(client, new, person).status_code == 403
        assert _get(client, edit, person).status_code == 403
    assert _get(client, new, t.civil_servant).status_code == 200
    client.force_login(t.worker)
    response = client.post(
        edit,
        {
            "organisation": t.debt_org.pk,
            "name": "Schuldhulp en budgetcoaching",
            "domain": "debt",
            "description": "Hulp bij geld.",
            "areas": [t.wijk.pk],
            "first_contact_days": "4",
            "active": "on",
        },
    )
    assert response.status_code == 302
    t.debt_service.refresh_from_db()
    assert t.debt_service.name == "Schuldhulp en budgetcoaching"
    assert t.debt_service.first_contact_days == 4


def test_overdue_stands_out_for_referrer_and_organisation(client):
    t = town()
    late = refer(t)
    Referral.objects.filter(pk=late.pk).update(
        first_contact_due=timezone.localdate() - datetime.timedelta(days=2)
    )
    for person, link in (
        (t.volunteer, reverse("referrals:mine-detail", args=[late.pk])),
        (t.professional, reverse("referrals:case", args=[late.pk])),
    ):
        html = _html(_get(client, reverse("portal:dashboard"), person))
        assert link in html and "status-overdue" in html
    assert "status-overdue" in _html(_get(client, reverse("referrals:inbox"), t.professional))
    assert "status-overdue" in _html(_get(client, reverse("referrals:mine"), t.volunteer))


def _many(t, n):
    for i in range(n):
        refer(t, person_name=f"P{i}")
        refer(t, service=t.care_service, by=t.worker, person_name=f"Q{i}")


@pytest.mark.parametrize("n", [2, 12])
def test_lists_take_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    t = town()
    _many(t, n)
    Referral.objects.update(first_contact_due=timezone.localdate() - datetime.timedelta(days=1))
    pages = [
        (reverse("referrals:map"), None, 12),
        (reverse("referrals:mine"), t.volunteer, 14),
        (reverse("referrals:inbox"), t.professional, 14),
        (reverse("referrals:inbox") + "?toon=overdue", t.professional, 14),
        (reverse("referrals:home"), t.professional, 16),
    ]
    for url, person, limit in pages:
        client.logout()
        if person is not None:
            client.force_login(person)
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200


def test_the_consent_date_is_filled_in_a_form_a_date_field_reads(client):
    """A date input only shows an ISO date; a Dutch "5-12-2026" left it empty, and the
    form then asked for the date the volunteer thought was filled in."""
    t = town()
    html = _html(_get(client, reverse("referrals:refer", args=[t.debt_service.pk]), t.volunteer))
    assert f'value="{consent_until(90).isoformat()}"' in html


def test_every_page_has_one_heading_and_one_main(client):
    t = town()
    referral = _loop(t, refer(t))
    pages = [
        (reverse("referrals:home"), None),
        (reverse("referrals:map"), None),
        (reverse("referrals:service", args=[t.debt_service.pk]), t.volunteer),
        (reverse("referrals:service-new"), t.civil_servant),
        (reverse("referrals:service-edit", args=[t.debt_service.pk]), t.civil_servant),
        (reverse("referrals:refer", args=[t.debt_service.pk]), t.volunteer),
        (reverse("referrals:mine"), t.volunteer),
        (reverse("referrals:mine-detail", args=[referral.pk]), t.volunteer),
        (reverse("referrals:inbox"), t.professional),
        (reverse("referrals:case", args=[referral.pk]), t.professional),
        (reverse("referrals:home"), t.professional),
    ]
    for url, person in pages:
        html = _html(_get(client, url, person))
        assert html.count("<h1") == 1 and html.count("<main") == 1, url
