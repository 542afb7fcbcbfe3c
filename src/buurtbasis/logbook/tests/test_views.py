"""Pages of the logbook and the signals: who sees what, tenancy, CSRF, forms without
JavaScript, bounded queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from buurtbasis.logbook import services
from buurtbasis.logbook import services_signals as signals
from buurtbasis.logbook.models import LogEntry, Signal, SignalStatus
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.tenancy import ensure_tenant

from .helpers import contact_story, initiative, story, town

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


def note(t, title="Sleutel buurthuis", body="De sleutel ligt bij Welzijn Zwolle.", **kw):
    return services.add_note(
        area=kw.pop("area", t.wijk), title=title, body=body, origin=Origin(actor=t.worker), **kw
    )


def timeline_url(t):
    return reverse("logbook:timeline", args=[t.wijk.slug])


def get(client, url, user=None, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_residents_see_the_public_part_and_professionals_everything(client):
    t = town()
    initiative(t, name="Moestuin Binnenstad")
    initiative(t, name="Geheime plannen", is_public=False)
    note(t, title="Afspraak met de school")
    anonymous = get(client, timeline_url(t)).content.decode()
    assert "Moestuin Binnenstad" in anonymous
    assert "Geheime plannen" not in anonymous and "Afspraak met de school" not in anonymous
    assert "Een notitie schrijven" not in anonymous
    resident = get(client, timeline_url(t), t.resident).content.decode()
    assert "Afspraak met de school" not in resident
    for user in (t.worker, t.civil_servant):
        html = get(Client(), timeline_url(t), user).content.decode()
        assert "Moestuin Binnenstad" in html and "Geheime plannen" in html
        assert "Afspraak met de school" in html and "Een notitie schrijven" in html


def test_a_professional_of_another_municipality_sees_only_the_public_part(client):
    t = town()
    other = town("GM0599", "Rotterdam")
    note(t, title="Afspraak met de school")
    html = get(client, timeline_url(t), other.worker).content.decode()
    assert "Afspraak met de school" not in html


def test_a_wijk_of_another_municipality_is_not_found_here(client):
    t = town()
    other = town("GM0599", "Rotterdam")
    note(other, title="Rotterdamse notitie")
    assert get(client, reverse("logbook:timeline", args=[other.wijk.slug])).status_code == 404
    ensure_tenant(cbs_code="GM0599", name="Rotterdam", slug="rotterdam")
    response = get(
        client, "/g/rotterdam" + reverse("logbook:timeline", args=[other.wijk.slug]), other.worker
    )
    assert response.status_code == 200
    assert "Rotterdamse notitie" in response.content.decode()
    response = get(client, "/g/rotterdam" + timeline_url(t), t.worker)
    assert response.status_code == 404


def test_the_timeline_searches_words_kind_and_period(client):
    t = town()
    note(t, title="Speeltuin kapot", body="Gemeld bij de gemeente.")
    note(t, title="Koffieochtend", body="Elke dinsdag in het buurthuis.")
    initiative(t, name="Speeltuin Binnenstad")
    client.force_login(t.worker)
    html = client.get(timeline_url(t), {"q": "speeltuin"}).content.decode()
    assert "Speeltuin kapot" in html and "Speeltuin Binnenstad" in html
    assert "Koffieochtend" not in html
    html = client.get(timeline_url(t), {"q": "speeltuin", "kind": "note"}).content.decode()
    assert "Speeltuin kapot" in html and "Speeltuin Binnenstad" not in html
    html = client.get(timeline_url(t), {"date_from": "2001-01-01", "date_to": "2001-12-31"})
    assert "Koffieochtend" not in html.content.decode()


def test_a_period_that_ends_before_it_starts_gets_a_clear_message(client):
    t = town()
    note(t, title="Koffieochtend")
    response = get(client, timeline_url(t), t.worker, date_from="2026-05-01", date_to="2026-04-01")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Het einde van de periode ligt voor het begin." in html
    assert "Koffieochtend" in html  # an invalid filter filters nothing


def test_the_timeline_pages_and_its_queries_do_not_grow_with_the_entries(client):
    t = town()
    for i in range(5):
        initiative(t, name=f"Initiatief {i}")
        note(t, title=f"Notitie {i}")
    client.force_login(t.worker)
    client.get(timeline_url(t))  # warm the session and the content types
    with CaptureQueriesContext(connection) as few:
        client.get(timeline_url(t))
    for i in range(5, 40):
        initiative(t, name=f"Initiatief {i}")
        note(t, title=f"Notitie {i}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(timeline_url(t), {"pagina": 2})
    assert len(many) == len(few) <= 14
    assert "Notitie" in response.content.decode()
    assert 'href="?pagina=3' in response.content.decode()


def test_new_here_is_for_professionals_in_reading_order(client):
    t = town()
    note(t, title="Lees dit eerst", for_handover=True)
    note(t, title="Gewone notitie")
    signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="high",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    active = initiative(t, name="Moestuin Binnenstad")
    from buurtbasis.initiatives import services as initiative_services

    initiative_services.change_status(initiative=active, to_status="active", by=t.resident)
    url = reverse("logbook:new-here", args=[t.wijk.slug])
    assert get(client, url).status_code == 302
    assert get(client, url, t.resident).status_code == 403
    client.force_login(t.civil_servant)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    html = response.content.decode()
    assert len(queries) <= 16
    assert "Lees dit eerst" in html and "Gewone notitie" not in html
    order = [html.index(s) for s in ("Lees dit eerst", "Donkere bushalte", "Moestuin Binnenstad")]
    assert order == sorted(order)


def test_a_professional_writes_a_note_without_javascript_and_csrf_is_checked():
    t = town()
    url = reverse("logbook:add-note", args=[t.wijk.slug])
    client = Client(enforce_csrf_checks=True)
    client.force_login(t.worker)
    data = {
        "area": t.buurt.pk,
        "title": "Afspraak",
        "body": "Met Welzijn Zwolle.",
        "for_handover": "on",
    }
    assert client.post(url, data).status_code == 403  # no token
    page = client.get(url)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    token = token or client.cookies["csrftoken"].value
    response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    entry = LogEntry.objects.get(kind="note")
    assert (entry.area, entry.for_handover, entry.author) == (t.buurt, True, t.worker)


def test_a_note_form_with_errors_comes_back_with_a_message(client):
    t = town()
    client.force_login(t.worker)
    response = client.post(
        reverse("logbook:add-note", args=[t.wijk.slug]),
        {"area": t.wijk.pk, "title": "", "body": "Tekst"},
    )
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not LogEntry.objects.filter(kind="note").exists()


def test_residents_cannot_write_notes(client):
    t = town()
    url = reverse("logbook:add-note", args=[t.wijk.slug])
    assert get(client, url, t.resident).status_code == 403
    assert client.post(url, {"area": t.wijk.pk, "title": "x", "body": "y"}).status_code == 403


def test_a_correction_link_prefills_the_note_form(client):
    t = town()
    old = note(t, title="Sleutel")
    client.force_login(t.worker)
    url = reverse("logbook:add-note", args=[t.wijk.slug])
    response = client.get(url, {"corrigeert": old.pk})
    assert "U verbetert de notitie" in response.content.decode()
    client.post(
        url, {"area": t.wijk.pk, "title": "Sleutel", "body": "Bij de school.", "corrects": old.pk}
    )
    assert LogEntry.objects.get(corrects=old).body == "Bij de school."


# -- signals ------------------------------------------------------------------------------------


def test_a_community_worker_makes_a_signal_with_the_form(client):
    t = town()
    one, two = (
        story(t, "De halte is 's avonds erg donker."),
        story(t, "Ik durf er 's avonds niet te wachten."),
    )
    client.force_login(t.worker)
    page = client.get(reverse("signals:new"), {"verhaal": [one.pk]})
    assert "De halte is &#x27;s avonds erg donker." in page.content.decode()
    response = client.post(
        reverse("signals:new"),
        {
            "title": "Donkere bushalte",
            "description": "Twee bewoners voelen zich onveilig.",
            "area": t.buurt.pk,
            "urgency": "high",
            "department": t.department.pk,
            "stories": [one.pk, two.pk],
        },
    )
    signal = Signal.objects.get()
    assert response.status_code == 302 and response.url == f"/signalen/{signal.pk}/"
    assert signals.story_count(signal) == 2


def test_only_community_workers_open_the_signal_form(client):
    t = town()
    assert get(client, reverse("signals:new"), t.civil_servant).status_code == 403
    assert get(Client(), reverse("signals:new"), t.resident).status_code == 403


def test_a_civil_servant_answers_on_the_signal_page(client):
    t = town()
    teller_story = contact_story(t, teller=t.resident)
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[teller_story],
        origin=Origin(actor=t.worker),
    )
    client.force_login(t.civil_servant)
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Het signaal beantwoorden" in page
    response = client.post(
        reverse("signals:answer", args=[signal.pk]), {"text": "Er komt extra licht."}
    )
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == SignalStatus.HANDLED
    teller = Client()
    teller.force_login(t.resident)
    html = teller.get(reverse("signals:teller", args=[signal.pk])).content.decode()
    assert "Er komt extra licht." in html
    assert get(Client(), reverse("signals:teller", args=[signal.pk]), t.worker).status_code == 404


def test_a_worker_cannot_answer_and_a_resident_cannot_read_signals(client):
    t = town()
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    client.force_login(t.worker)
    page = client.get(reverse("signals:detail", args=[signal.pk])).content.decode()
    assert "Het signaal beantwoorden" not in page
    assert (
        client.post(reverse("signals:answer", args=[signal.pk]), {"text": "Ja"}).status_code == 403
    )
    for url in (reverse("signals:list"), reverse("signals:detail", args=[signal.pk])):
        assert get(Client(), url, t.resident).status_code == 403


def test_a_signal_of_another_municipality_is_not_found(client):
    t = town()
    other = town("GM0599", "Rotterdam")
    signal = signals.make_signal(
        area=other.buurt,
        title="Rotterdams signaal",
        description="Tekst",
        urgency="normal",
        department=other.department,
        stories=[story(other)],
        origin=Origin(actor=other.worker),
    )
    assert (
        get(client, reverse("signals:detail", args=[signal.pk]), t.civil_servant).status_code == 404
    )


def test_a_status_change_without_a_reason_comes_back_with_a_message(client):
    t = town()
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    client.force_login(t.civil_servant)
    url = reverse("signals:status", args=[signal.pk])
    response = client.post(url, {"to_status": "reactie_gevraagd", "reason": ""})
    assert response.status_code == 200 and "Zeg waarom." in response.content.decode()
    response = client.post(url, {"to_status": "reactie_gevraagd", "reason": "Welke halte?"})
    assert response.status_code == 302
    signal.refresh_from_db()
    assert signal.status == "reactie_gevraagd"


def test_the_dashboard_shows_a_civil_servant_the_overdue_signals(client):
    import datetime

    from django.utils import timezone

    t = town()
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="high",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    Signal.objects.filter(pk=signal.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    html = get(client, reverse("portal:dashboard"), t.civil_servant).content.decode()
    assert "Signalen om te beantwoorden" in html and "Donkere bushalte" in html
    assert "te laat" in html
    html = get(Client(), reverse("portal:dashboard"), t.worker).content.decode()
    assert "Signalen om te beantwoorden" not in html
    assert "Een signaal maken van verhalen" in html and "Donkere bushalte" in html
    html = get(Client(), reverse("portal:dashboard"), t.resident).content.decode()
    assert "Donkere bushalte" not in html and "Signalen aan de gemeente" not in html


def test_the_wijk_page_links_to_its_logbook(client):
    t = town()
    html = get(client, reverse("areas:by-slug", args=[t.wijk.slug])).content.decode()
    assert reverse("logbook:timeline", args=[t.wijk.slug]) in html


def test_the_signal_page_never_quotes_a_story_meant_only_for_analysis(client):
    from buurtbasis.stories.models import Consent, Story

    t = town()
    quoted = story(t, "Bij de halte is het donker en er is niemand.")
    counted = story(t, "Mijn buurman Piet zegt dat de lamp al maanden kapot is.")
    Story.objects.filter(pk=counted.pk).update(consent=Consent.ANALYSIS_ONLY)
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[quoted, counted],
        origin=Origin(actor=t.worker),
    )
    html = get(client, reverse("signals:detail", args=[signal.pk]), t.civil_servant)
    html = html.content.decode()
    assert "Bij de halte is het donker" in html
    assert "lamp al maanden kapot" not in html and "alleen voor analyse" in html


def test_the_signal_list_costs_the_same_queries_for_many_signals(client):
    t = town()

    def make_one(i):
        signals.make_signal(
            area=t.buurt,
            title=f"Signaal {i}",
            description="Tekst.",
            urgency="normal",
            department=t.department,
            stories=[story(t)],
            origin=Origin(actor=t.worker),
        )

    make_one(0)
    client.force_login(t.civil_servant)
    client.get(reverse("signals:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("signals:list"))
    for i in range(1, 30):
        make_one(i)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("signals:list"), {"status": "open"})
    assert len(many) == len(few) <= 10
    assert "Signaal 29" in response.content.decode()


def test_a_teller_who_did_not_allow_contact_cannot_open_the_answer(client):
    t = town()
    silent = story(t, teller=t.resident)
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[silent],
        origin=Origin(actor=t.worker),
    )
    assert get(client, reverse("signals:teller", args=[signal.pk]), t.resident).status_code == 404


def test_answering_needs_the_csrf_token():
    t = town()
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[story(t)],
        origin=Origin(actor=t.worker),
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(t.civil_servant)
    response = client.post(reverse("signals:answer", args=[signal.pk]), {"text": "Ja"})
    assert response.status_code == 403
    signal.refresh_from_db()
    assert signal.status == SignalStatus.REPORTED


def test_an_older_story_asked_for_in_the_address_can_be_chosen(client, monkeypatch):
    from buurtbasis.logbook import views_signals

    monkeypatch.setattr(views_signals, "STORY_CHOICES", 1)
    t = town()
    old = story(t, "Een ouder verhaal over de donkere bushalte.")
    story(t, "Een nieuwer verhaal over iets heel anders.")
    client.force_login(t.worker)
    page = client.get(reverse("signals:new"), {"verhaal": [old.pk]}).content.decode()
    assert "Een ouder verhaal" in page and "Een nieuwer verhaal" in page
    response = client.post(
        reverse("signals:new"),
        {
            "title": "Donkere bushalte",
            "description": "Onveilig.",
            "area": t.buurt.pk,
            "urgency": "normal",
            "department": t.department.pk,
            "stories": [old.pk],
        },
    )
    assert response.status_code == 302
    assert list(Signal.objects.get().stories.all()) == [old]


def _other_welfare_worker(t):
    """A community worker of a second welzijnsorganisatie working in the same wijk."""
    from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
    from buurtbasis.organisations.models import OrganisationKind, Role

    other = OrganisationFactory(
        name="Welzijn Anders", kind=OrganisationKind.WELFARE, areas=[t.wijk]
    )
    return UserFactory(display_name="Andere werker", roles=[(Role.COMMUNITY_WORKER, other)])


def test_the_signal_form_offers_only_readable_stories_and_never_analysis_text(client):
    from buurtbasis.stories.models import Consent, Story

    t = town()
    shown = story(t, "De halte is 's avonds erg donker.")
    counted = story(t, "Mijn buurman Piet zegt dat de lamp al maanden kapot is.")
    Story.objects.filter(pk=counted.pk).update(consent=Consent.ANALYSIS_ONLY)
    client.force_login(t.worker)
    html = client.get(reverse("signals:new"), {"verhaal": [counted.pk]}).content.decode()
    assert "erg donker" in html
    assert "lamp al maanden kapot" not in html
    assert f'name="stories" value="{counted.pk}"' in html and "alleen voor analyse" in html
    # A community worker of another organisation is no professional of this round.
    stranger = Client()
    stranger.force_login(_other_welfare_worker(t))
    page = stranger.get(reverse("signals:new"), {"verhaal": [shown.pk]})
    assert page.status_code == 200
    assert "erg donker" not in page.content.decode()
    assert f'name="stories" value="{shown.pk}"' not in page.content.decode()
    posted = stranger.post(
        reverse("signals:new"),
        {
            "title": "Donkere bushalte",
            "description": "Onveilig.",
            "area": t.buurt.pk,
            "urgency": "normal",
            "department": t.department.pk,
            "stories": [shown.pk],
        },
    )
    assert posted.status_code == 200 and not Signal.objects.exists()


def test_the_signal_page_quotes_a_story_only_to_professionals_of_its_round(client):
    t = town()
    shown = story(t, "Bij de halte is het donker en er is niemand.")
    signal = signals.make_signal(
        area=t.buurt,
        title="Donkere bushalte",
        description="Onveilig.",
        urgency="normal",
        department=t.department,
        stories=[shown],
        origin=Origin(actor=t.worker),
    )
    url = reverse("signals:detail", args=[signal.pk])
    assert "Bij de halte is het donker" in get(client, url, t.worker).content.decode()
    other = get(Client(), url, _other_welfare_worker(t))
    assert other.status_code == 200
    html = other.content.decode()
    assert "Bij de halte is het donker" not in html and "Donkere bushalte" in html


# "²" is a digit to str.isdigit(), not to int(): such ids get a 404 or a form error, no 500.
SUPERSCRIPT_TWO = "\u00b2"


def test_a_non_ascii_digit_as_a_story_id_on_the_signal_form_is_no_server_error(client):
    t = town()
    one = story(t, "De halte is 's avonds erg donker.")
    client.force_login(t.worker)
    page = client.get(reverse("signals:new"), {"verhaal": [SUPERSCRIPT_TWO, one.pk]})
    assert page.status_code == 200 and "erg donker" in page.content.decode()
    posted = client.post(
        reverse("signals:new"),
        {
            "title": "Donkere bushalte",
            "description": "Onveilig.",
            "area": t.buurt.pk,
            "urgency": "normal",
            "department": t.department.pk,
            "stories": [SUPERSCRIPT_TWO],
        },
    )
    assert posted.status_code == 200 and not Signal.objects.exists()


def test_a_non_ascii_digit_as_the_note_to_correct_is_no_server_error(client):
    t = town()
    url = reverse("logbook:add-note", args=[t.wijk.slug])
    response = get(client, url, t.worker, corrigeert=SUPERSCRIPT_TWO)
    assert response.status_code == 200
    posted = client.post(url + f"?corrigeert={SUPERSCRIPT_TWO}", {"title": "", "body": ""})
    assert posted.status_code == 200


def test_the_timeline_shows_story_rounds_to_all_and_sessions_to_professionals(client):
    from django.utils import timezone

    from buurtbasis.stories import services_catalysis

    from .helpers import story_round

    t = town()
    r = story_round(t)
    services_catalysis.record_session(
        story_round=r,
        held_on=timezone.localdate(),
        place="Buurthuis De Ster",
        participants=14,
        conclusions="De bushalte moet beter verlicht worden.",
        origin=Origin(actor=t.worker),
    )
    public = get(client, timeline_url(t)).content.decode()
    assert f"Verhalenronde “{r.title}” geopend" in public
    assert "14 mensen deden mee" not in public
    html = get(Client(), timeline_url(t), t.worker).content.decode()
    assert "14 mensen deden mee" in html and "samen de verhalen van" in html
    assert "bushalte moet beter verlicht" not in html


def test_the_signal_page_costs_the_same_queries_for_more_stories(client):
    t = town()

    def page_queries(n):
        signal = signals.make_signal(
            area=t.buurt,
            title="Donkere bushalte",
            description="Onveilig.",
            urgency="normal",
            department=t.department,
            stories=[story(t, f"Verhaal {i} over de donkere halte.") for i in range(n)],
            origin=Origin(actor=t.worker),
        )
        client.force_login(t.civil_servant)
        url = reverse("signals:detail", args=[signal.pk])
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert page_queries(1) == page_queries(6)
