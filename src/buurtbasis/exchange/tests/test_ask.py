"""Asking the initiators of another initiative: consent, the conversation, rate limits,
closing, reporting, blocking, and who may read a thread (roles x municipalities)."""

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.exchange import services
from buurtbasis.exchange.models import Thread
from buurtbasis.organisations.models import Role
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent, Notification, OutgoingEmail

from .helpers import opt_in, two_towns

pytestmark = pytest.mark.django_db


def _ask(asker, initiative, subject="Hoe vindt u vrijwilligers?", text="Wij zoeken er nog."):
    return services.ask_question(
        initiative=initiative, subject=subject, text=text, origin=Origin(actor=asker)
    )


def test_questions_are_off_until_the_initiators_turn_them_on():
    zwolle, rotterdam = two_towns()
    with pytest.raises(services.ExchangeError, match="ontvangen geen vragen"):
        _ask(zwolle.initiator, rotterdam.initiative)
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    assert thread.asker == zwolle.initiator
    assert AuditEvent.objects.filter(action="exchange.questions_turned_on").exists()


def test_only_initiators_decide_about_consent(client):
    zwolle, rotterdam = two_towns()
    with pytest.raises(services.ExchangeError):
        services.set_accepts_questions(
            initiative=rotterdam.initiative, accepts=True, origin=Origin(actor=rotterdam.worker)
        )
    client.force_login(zwolle.initiator)
    url = reverse("exchange:settings", args=[rotterdam.initiative.slug])
    assert client.post(url, {"accepts": "1"}).status_code == 403
    client.force_login(rotterdam.initiator)
    response = client.post(url, {"accepts": "1"})
    assert response.status_code == 302
    assert rotterdam.initiative.question_settings.accepts_questions


def test_a_question_across_municipalities_reaches_the_initiators_without_addresses():
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    note = Notification.objects.get(recipient=rotterdam.initiator)
    assert note.link.endswith(thread.get_absolute_url())
    outgoing = OutgoingEmail.objects.get(to=rotterdam.initiator.email)
    assert zwolle.initiator.email not in outgoing.subject + outgoing.text + outgoing.html
    services.reply(
        thread=thread, text="Via de buurtkrant.", origin=Origin(actor=rotterdam.initiator)
    )
    answer = OutgoingEmail.objects.get(to=zwolle.initiator.email)
    assert rotterdam.initiator.email not in answer.subject + answer.text + answer.html
    assert Notification.objects.filter(
        recipient=zwolle.initiator, kind="exchange.question_answered"
    ).exists()
    thread.refresh_from_db()
    assert not thread.waiting_for_initiators


def test_the_thread_page_shows_no_email_address_of_either_side(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    services.reply(thread=thread, text="Graag!", origin=Origin(actor=rotterdam.initiator))
    pairs = ((zwolle.initiator, rotterdam.initiator), (rotterdam.initiator, zwolle.initiator))
    for reader, other in pairs:
        client.force_login(reader)
        page = client.get(thread.get_absolute_url()).content.decode()
        assert "Graag!" in page
        assert other.email not in page
        assert reader.email not in page


def test_initiators_do_not_ask_their_own_initiative():
    zwolle, _rotterdam = two_towns()
    opt_in(zwolle.initiative)
    with pytest.raises(services.ExchangeError, match="zelf initiatiefnemer"):
        _ask(zwolle.initiator, zwolle.initiative)


def test_empty_and_too_long_questions_get_a_clear_error(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    with pytest.raises(services.ExchangeError, match="Schrijf uw vraag"):
        _ask(zwolle.initiator, rotterdam.initiative, text="   ")
    client.force_login(zwolle.initiator)
    url = reverse("exchange:ask", args=[rotterdam.initiative.slug])
    response = client.post(url, {"subject": "Vraag", "text": "x" * 4001})
    assert response.status_code == 200
    assert "4000" in response.content.decode()
    assert not Thread.objects.exists()


def test_a_person_asks_at_most_five_questions_an_hour_and_two_a_day_to_one_initiative():
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    _ask(zwolle.initiator, rotterdam.initiative)
    _ask(zwolle.initiator, rotterdam.initiative)
    with pytest.raises(services.ExchangeError, match="veel vragen"):
        _ask(zwolle.initiator, rotterdam.initiative)
    others = []
    for n in range(4):
        other = UserFactory()
        from buurtbasis.initiatives.models import Initiative

        target = Initiative.objects.create(
            name=f"Doel {n}", slug=f"doel-{n}", pitch="x", contact_email="d@example.org"
        )
        target.members.set([other])
        opt_in(target)
        others.append(target)
    for target in others[:2]:
        _ask(zwolle.initiator, target)
    # 2 + 1 refused + 2 = 5 counted this hour: the sixth is refused
    with pytest.raises(services.ExchangeError, match="veel vragen"):
        _ask(zwolle.initiator, others[2])
    assert Thread.objects.filter(asker=zwolle.initiator).count() == 4


def test_who_reads_a_thread_across_roles_and_municipalities(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    url = thread.get_absolute_url()
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    superuser = UserFactory(is_superuser=True)
    outsiders = [
        rotterdam.worker,  # community worker of the host organisation
        zwolle.worker,
        rotterdam.civil_servant,
        zwolle.civil_servant,
        admin,
        superuser,
        UserFactory(),
    ]
    for person in outsiders:
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.logout()
    assert client.get(url).status_code == 302  # to the log-in page
    for person in (zwolle.initiator, rotterdam.initiator):
        client.force_login(person)
        assert client.get(url).status_code == 200
    # once reported, the host's community worker and the admins moderate; still no one else
    services.report_thread(thread=thread, reason="Spam", origin=Origin(actor=rotterdam.initiator))
    for person in (rotterdam.worker, admin, superuser):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200
        assert "Spam" in response.content.decode()
        assert 'name="text"' not in response.content.decode()  # moderators do not reply
    for person in (zwolle.worker, rotterdam.civil_servant, zwolle.civil_servant):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_outsiders_cannot_reply_close_report_or_block(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    client.force_login(rotterdam.worker)
    for name, data in (
        ("exchange:thread", {"text": "Hallo"}),
        ("exchange:thread_close", {}),
        ("exchange:thread_report", {"reason": "x"}),
        ("exchange:thread_block", {}),
    ):
        assert client.post(reverse(name, args=[thread.pk]), data).status_code == 404
    thread.refresh_from_db()
    assert thread.is_open and thread.messages.count() == 1
    with pytest.raises(services.ExchangeError):
        services.reply(thread=thread, text="x", origin=Origin(actor=zwolle.worker))


def test_the_asker_cannot_block_and_the_initiators_can(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    with pytest.raises(services.ExchangeError):
        services.block_asker(thread=thread, origin=Origin(actor=zwolle.initiator))
    client.force_login(rotterdam.initiator)
    client.post(reverse("exchange:thread_block", args=[thread.pk]))
    thread.refresh_from_db()
    assert not thread.is_open
    with pytest.raises(services.ExchangeError, match="geen vragen meer van u"):
        _ask(zwolle.initiator, rotterdam.initiative)
    client.force_login(zwolle.initiator)
    response = client.get(reverse("exchange:ask", args=[rotterdam.initiative.slug]))
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="exchange.asker_blocked").exists()


def test_a_closed_thread_takes_no_replies(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative)
    client.force_login(zwolle.initiator)
    client.post(reverse("exchange:thread_close", args=[thread.pk]))
    response = client.post(thread.get_absolute_url(), {"text": "Nog iets"})
    assert response.status_code == 200  # the page again, without the reply form
    assert thread.messages.count() == 1
    with pytest.raises(services.ExchangeError, match="gesloten"):
        services.reply(thread=thread, text="Nog iets", origin=Origin(actor=rotterdam.initiator))


def test_the_ask_form_posts_and_redirects_without_javascript(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    client.force_login(zwolle.initiator)
    url = reverse("exchange:ask", args=[rotterdam.initiative.slug])
    response = client.post(
        url,
        {
            "subject": "Vrijwilligers",
            "text": "Hoe pakt u dat aan?",
            "on_behalf_of": zwolle.initiative.pk,
        },
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(thread.get_absolute_url())
    assert thread.asker_initiative == zwolle.initiative


def test_one_cannot_ask_on_behalf_of_someone_elses_initiative(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    with pytest.raises(services.ExchangeError, match="eigen initiatief"):
        services.ask_question(
            initiative=rotterdam.initiative,
            subject="x",
            text="y",
            on_behalf_of=zwolle.initiative,
            origin=Origin(actor=rotterdam.worker),
        )


def test_the_initiative_page_shows_the_button_only_when_it_makes_sense(client):
    zwolle, rotterdam = two_towns()
    url = zwolle.initiative.get_absolute_url()
    client.force_login(rotterdam.initiator)
    assert "Stel een vraag aan de initiatiefnemers" not in client.get(url).content.decode()
    opt_in(zwolle.initiative)
    page = client.get(url).content.decode()
    assert "Stel een vraag aan de initiatiefnemers" in page
    client.force_login(zwolle.initiator)
    page = client.get(url).content.decode()
    assert "Stel een vraag aan de initiatiefnemers" not in page
    assert "Geen vragen meer ontvangen" in page


def test_the_practice_block_uses_only_the_initiative(rf):
    from django.contrib.auth.models import AnonymousUser

    from buurtbasis.platform.blocks import blocks_for

    zwolle, rotterdam = two_towns()
    opt_in(zwolle.initiative)
    request = rf.get("/")
    request.user = rotterdam.initiator
    shown = blocks_for("practice", request, practice=object(), initiative=zwolle.initiative)
    block = next(b for b in shown if b.key == "exchange.ask")
    assert block.context["can_ask"]
    request.user = AnonymousUser()
    shown = blocks_for("practice", request, practice=None, initiative=zwolle.initiative)
    assert not next(b for b in shown if b.key == "exchange.ask").context["can_ask"]


def test_my_questions_lists_both_sides_in_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    opt_in(zwolle.initiative)
    _ask(zwolle.initiator, rotterdam.initiative)
    _ask(rotterdam.initiator, zwolle.initiative, subject="Vraag terug")
    client.force_login(zwolle.initiator)
    client.get(reverse("exchange:questions"))  # warm the session and caches
    with django_assert_max_num_queries(12):
        page = client.get(reverse("exchange:questions")).content.decode()
    assert "Hoe vindt u vrijwilligers?" in page and "Vraag terug" in page
    for n in range(8):
        other = UserFactory()
        t = services.ask_question(
            initiative=zwolle.initiative, subject=f"Vraag {n}", text="?", origin=Origin(actor=other)
        )
        assert t
    with django_assert_max_num_queries(12):
        client.get(reverse("exchange:questions"))


def test_moderators_find_reported_conversations_and_nobody_else_does(client):
    zwolle, rotterdam = two_towns()
    opt_in(rotterdam.initiative)
    thread = _ask(zwolle.initiator, rotterdam.initiative, subject="Ongewenst")
    services.report_thread(thread=thread, reason="Spam", origin=Origin(actor=rotterdam.initiator))
    url = reverse("exchange:questions")
    admin = UserFactory(roles=[Role.PLATFORM_ADMIN])
    for person in (rotterdam.worker, admin):
        client.force_login(person)
        assert "Ongewenst" in client.get(url).content.decode()
    for person in (zwolle.worker, rotterdam.civil_servant):
        client.force_login(person)
        assert "Ongewenst" not in client.get(url).content.decode()
