"""Views of the stories app, posted as plain forms (no JavaScript), and tenancy."""

from __future__ import annotations

import pytest
from django.urls import reverse

from buurtbasis.accounts.tests.factories import UserFactory
from buurtbasis.platform.audit import Origin
from buurtbasis.platform.models import AuditEvent

from .. import adapters, services
from ..models import Story, StoryRound
from .factories import area, make_worker, open_round, tell, welfare_org, worker_for

pytestmark = pytest.mark.django_db

LONELY = "Sinds mijn man overleden is voel ik me vaak alleen. Niemand om mee te praten op zondag."


def _url(name, story_round=None, **kwargs):
    if story_round is not None:
        kwargs["slug"] = story_round.slug
    return reverse(f"stories:{name}", kwargs=kwargs or None)


def _form(story_round, **overrides):
    """What a browser without JavaScript sends: every slider has a value."""
    data = {"text": LONELY, "consent": "public_anon", "teller_role": "resident", "age_band": ""}
    for q in story_round.questions.all():
        if q.kind == "dyad":
            data[f"q{q.pk}"] = "50"
        elif q.kind == "triad":
            data.update({f"q{q.pk}_a": "33", f"q{q.pk}_b": "33", f"q{q.pk}_c": "33"})
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def story_round():
    return open_round()


def test_the_tell_page_works_for_anonymous_visitors_in_dutch(client, story_round):
    response = client.get(_url("tell", story_round))
    assert response.status_code == 200
    html = response.content.decode()
    assert story_round.prompt in html
    assert 'type="range"' in html and "n.v.t." in html
    assert "stories/triad.js" in html
    assert " je " not in html and " jij " not in html


def test_a_story_told_without_javascript_is_saved_and_the_code_is_shown_once(client, story_round):
    triad = story_round.questions.get(kind="triad")
    dyad = story_round.questions.get(kind="dyad")
    response = client.post(
        _url("tell", story_round),
        _form(
            story_round,
            **{f"q{triad.pk}_a": "60", f"q{triad.pk}_b": "30", f"q{triad.pk}_c": "30"},
            **{f"q{dyad.pk}_na": "on"},
        ),
    )
    assert response.status_code == 302 and response["Location"] == _url("thanks", story_round)
    story = Story.objects.get()
    values = {a.question.kind: a.value for a in story.answers.select_related("question")}
    assert values["triad"] == [0.5, 0.25, 0.25] and values["dyad"] is None
    assert story.teller is None
    first = client.get(_url("thanks", story_round)).content.decode()
    assert "Uw intrekcode" in first or "withdrawal code" in first.lower()
    assert story_round.next_steps in first
    code = first.split('class="bb-code"><strong>')[1].split("<")[0]
    second = client.get(_url("thanks", story_round)).content.decode()
    assert code not in second
    response = client.post(_url("withdraw"), {"code": code})
    assert response.status_code == 200
    assert Story.objects.visible().count() == 0


def test_errors_are_specific_and_in_dutch(client, story_round):
    triad = story_round.questions.get(kind="triad")
    response = client.post(
        _url("tell", story_round),
        _form(
            story_round,
            text="kort",
            consent="",
            **{f"q{triad.pk}_a": "0", f"q{triad.pk}_b": "0", f"q{triad.pk}_c": "0"},
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maak een keuze" in html or "Dit veld is verplicht" in html
    assert Story.objects.count() == 0
    response = client.post(
        _url("tell", story_round),
        _form(story_round, **{f"q{triad.pk}_a": "0", f"q{triad.pk}_b": "0", f"q{triad.pk}_c": "0"}),
    )
    assert "n.v.t." in response.content.decode() and Story.objects.count() == 0


def test_telling_is_rate_limited_per_address(client, story_round, settings):
    settings.RATELIMIT_ENABLED = True
    for _ in range(10):
        assert client.post(_url("tell", story_round), _form(story_round)).status_code == 302
    assert client.post(_url("tell", story_round), _form(story_round)).status_code == 429
    assert Story.objects.count() == 10


def test_a_closed_round_says_so(client):
    closed = open_round(status="closed")
    response = client.get(_url("tell", closed))
    assert "accepteert nu geen verhalen" in response.content.decode() or response.status_code == 200
    assert client.post(_url("tell", closed), _form(closed)).status_code == 200
    assert Story.objects.count() == 0


def test_public_visitors_see_only_public_stories_masked_professionals_see_all(client, story_round):
    tell(story_round, "Bel Jan op 06-12345678, het park is zo mooi geworden met die bomen.")
    tell(
        story_round,
        "Alleen voor de professionals: mijn buurman Ali helpt mij elke dag.",
        consent="professionals",
    )
    public = client.get(_url("round-detail", story_round)).content.decode()
    assert "[telefoon]" in public and "06-12345678" not in public and "Jan " not in public
    assert "helpt mij elke dag" not in public
    client.force_login(worker_for(story_round))
    pro = client.get(_url("round-detail", story_round)).content.decode()
    assert "06-12345678" in pro and "buurman Ali" in pro


def test_a_civil_servant_of_the_municipality_is_a_professional_of_the_round(client, story_round):
    from buurtbasis.accounts.tests.factories import OrganisationFactory
    from buurtbasis.organisations.models import OrganisationKind

    gemeente = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY)
    gemeente.areas.set([area().parent])
    civil = UserFactory(roles=[("civil_servant", gemeente)])
    tell(
        story_round,
        "Mijn buurman Ali helpt mij elke dag met de boodschappen doen.",
        consent="analysis",
    )
    client.force_login(civil)
    assert "buurman Ali" in client.get(_url("round-detail", story_round)).content.decode()
    assert client.get(_url("round-export", story_round, fmt="csv")).status_code == 200
    assert client.get(_url("round-edit", story_round)).status_code == 403


def test_a_worker_sets_up_a_round_through_the_form(client):
    wijk = area()
    org = welfare_org(wijk)
    client.force_login(make_worker(org))
    response = client.post(
        _url("round-create"),
        {
            "title": "Wonen in Noord",
            "prompt": "Vertel over uw huis.",
            "organisation": org.pk,
            "areas": [wijk.pk],
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-03-01T09:00",
            "themes": "Wonen: huur, onderhoud\nBuren: contact",
            "dyad_questions": "Hoe voelt uw huis? | onveilig | veilig",
            "triad_questions": "Wie hielp? | ikzelf | buren | gemeente",
            "choice_questions": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story_round = StoryRound.objects.get(title="Wonen in Noord")
    assert story_round.status == "draft" and story_round.themes.count() == 2
    response = client.post(
        _url("round-create"),
        {
            "title": "Fout",
            "prompt": "x",
            "organisation": org.pk,
            "areas": [wijk.pk],
            "opens_at": "2026-01-01T09:00",
            "closes_at": "2026-03-01T09:00",
            "triad_questions": "Wie? | a | b | c\nNog een? | d | e | f",
        },
    )
    assert response.status_code == 200 and "driehoek" in response.content.decode()


def test_residents_may_not_set_up_record_or_export(client, story_round):
    client.force_login(UserFactory())
    assert client.get(_url("round-create")).status_code == 403
    for name in ("record", "quick-entry", "kitchen-table", "round-edit"):
        assert client.get(_url(name, story_round)).status_code == 403, name
    assert client.get(_url("round-export", story_round, fmt="csv")).status_code == 403


def test_rounds_of_another_municipality_are_not_found(client):
    elsewhere = open_round("WK036301")
    client.force_login(worker_for(elsewhere))
    for name in ("round-detail", "tell", "record", "round-edit", "kitchen-table"):
        assert client.get(_url(name, elsewhere)).status_code == 404, name
    assert client.get(_url("round-export", elsewhere, fmt="csv")).status_code == 404
    assert elsewhere.title not in client.get(_url("round-list")).content.decode()


def test_a_draft_round_is_hidden_from_the_public(client):
    draft = open_round(status="draft")
    assert client.get(_url("round-detail", draft)).status_code == 404
    client.force_login(worker_for(draft))
    assert client.get(_url("round-detail", draft)).status_code == 200


def test_a_worker_records_a_story_on_behalf_and_in_quick_entry(client, story_round):
    worker = worker_for(story_round)
    client.force_login(worker)
    response = client.post(_url("record", story_round), _form(story_round, consent_how="spoken"))
    assert response.status_code == 302
    response = client.post(
        _url("quick-entry", story_round), _form(story_round, consent_how="paper")
    )
    assert response["Location"] == _url("quick-entry", story_round)
    response = client.post(
        _url("quick-entry", story_round), _form(story_round, consent_how="paper")
    )
    assert Story.objects.filter(recorded_by=worker, teller=None).count() == 3
    assert AuditEvent.objects.filter(action="stories.story_recorded_on_behalf").count() == 3
    missing = client.post(_url("record", story_round), _form(story_round))
    assert missing.status_code == 200 and Story.objects.count() == 3


def test_the_kitchen_table_form_prints_the_questions(client, story_round):
    client.force_login(worker_for(story_round))
    html = client.get(_url("kitchen-table", story_round)).content.decode()
    assert "Wie maakte het verschil?" in html and "ikzelf" in html and "@media print" not in html


def test_a_professional_labels_a_theme_on_a_story(client, story_round):
    story, _ = tell(story_round, LONELY)
    theme = story_round.themes.get(label="Groen")
    client.force_login(worker_for(story_round))
    response = client.post(
        _url("story-label", story_round, pk=story.pk), {"theme": theme.pk, "on": "1"}
    )
    assert response.status_code == 302
    assert story.story_themes.get(theme=theme).source == "professional"
    assert "Groen" in client.get(_url("story-detail", story_round, pk=story.pk)).content.decode()


def test_filters_on_the_round_page(client, story_round):
    tell(story_round, LONELY, age_band="65+")
    tell(story_round, "In het park zijn alle bomen gekapt, het grasveld is kaal.", age_band="15-24")
    client.force_login(worker_for(story_round))
    html = client.get(_url("round-detail", story_round) + "?leeftijd=65%2B").content.decode()
    assert "man overleden" in html and "bomen gekapt" not in html
    html = client.get(_url("round-detail", story_round) + "?leeftijd=bogus&wijk=x").content.decode()
    assert "man overleden" in html and "bomen gekapt" in html


# ---------------------------------------------------------------- withdrawal everywhere


def test_a_withdrawn_story_is_gone_from_every_view_export_and_index(client, story_round):
    gone_text = "Deze herinnering aan het park en de bomen wil ik later weer intrekken."
    kept, _ = tell(story_round, "Het park met de bomen is prachtig, ik wandel er elke dag.")
    gone, code = tell(story_round, gone_text)
    adapters.analyse_round(story_round)
    kept.refresh_from_db()
    assert gone.pk in kept.similar
    groen = story_round.themes.get(label="Groen")
    services.withdraw_with_code(code=code, origin=Origin.system())
    adapters.analyse_round(story_round)

    assert gone_text not in client.get(_url("round-detail", story_round)).content.decode()
    worker = worker_for(story_round)
    client.force_login(worker)
    pro = client.get(_url("round-detail", story_round)).content.decode()
    assert gone_text not in pro and "1 verhaal" in pro or "1 story" in pro
    themed = client.get(_url("round-detail", story_round) + f"?thema={groen.pk}").content.decode()
    assert gone_text not in themed
    assert client.get(_url("story-detail", story_round, pk=gone.pk)).status_code == 404
    kept.refresh_from_db()
    assert gone.pk not in kept.similar
    detail = client.get(_url("story-detail", story_round, pk=kept.pk)).content.decode()
    assert gone_text[:30] not in detail
    for fmt in ("csv", "jsonl"):
        assert (
            gone_text.encode() not in client.get(_url("round-export", story_round, fmt=fmt)).content
        )
    list_html = client.get(_url("round-list")).content.decode()
    assert "1 verhaal" in list_html or "1 story" in list_html
    from ..queries import theme_counts

    assert all(t.n_stories <= 1 for t in theme_counts(story_round))


def test_a_signed_in_teller_withdraws_from_my_stories(client, story_round):
    teller = UserFactory()
    client.force_login(teller)
    client.post(_url("tell", story_round), _form(story_round))
    story = Story.objects.get(teller=teller)
    assert LONELY[:20] in client.get(_url("my-stories")).content.decode()
    other = UserFactory()
    client.force_login(other)
    assert client.post(_url("withdraw-own", pk=story.pk)).status_code == 404
    client.force_login(teller)
    client.post(_url("withdraw-own", pk=story.pk))
    assert LONELY[:20] not in client.get(_url("my-stories")).content.decode()
    assert Story.objects.visible().count() == 0


def test_privacy_export_and_erasure(story_round):
    from buurtbasis.platform.privacy import export_personal_data, run_erasers

    teller = UserFactory()
    services.tell_story(
        story_round=story_round,
        data=services.StoryData(text=LONELY, consent="public_anon"),
        origin=Origin(actor=teller),
    )
    data = export_personal_data(teller)
    assert data["stories"]["told"][0]["text"] == LONELY
    run_erasers(teller)
    assert Story.objects.visible().count() == 0
    assert Story.objects.get().teller is None and Story.objects.get().text == ""


def test_the_tellers_contact_details_are_only_for_the_rounds_community_workers(client):
    from django.test import Client

    from buurtbasis.accounts.tests.factories import OrganisationFactory
    from buurtbasis.areas.models import Area
    from buurtbasis.organisations.models import OrganisationKind, Role

    story_round = open_round()
    story, _ = tell(
        story_round,
        LONELY,
        consent="professionals",
        may_contact=True,
        contact_channel="email",
        contact_detail="truus@example.org",
    )
    url = _url("story-detail", story_round, pk=story.pk)
    gemeente = Area.objects.get(level="gemeente", code=f"GM{story_round.municipality_code[2:]}")
    municipality = OrganisationFactory(kind=OrganisationKind.MUNICIPALITY, areas=[gemeente])
    finance = UserFactory(roles=[(Role.FINANCE_OFFICER, story_round.organisation)])
    civil_servant = UserFactory(roles=[(Role.CIVIL_SERVANT, municipality)])
    for reader, sees in ((worker_for(story_round), True), (finance, False), (civil_servant, False)):
        browser = Client()
        browser.force_login(reader)
        response = browser.get(url)
        assert response.status_code == 200
        assert ("truus@example.org" in response.content.decode()) is sees


SUPERSCRIPT_TWO = "\u00b2"  # a digit to str.isdigit(), not to int()


@pytest.mark.parametrize("param", ["wijk", "thema"])
def test_a_non_ascii_digit_as_a_filter_on_the_round_page_is_no_server_error(
    client, story_round, param
):
    tell(story_round, LONELY)
    client.force_login(worker_for(story_round))
    response = client.get(_url("round-detail", story_round), {param: SUPERSCRIPT_TWO})
    assert response.status_code == 200


def test_a_non_ascii_digit_as_the_theme_to_label_is_not_found(client, story_round):
    story, _ = tell(story_round, LONELY)
    client.force_login(worker_for(story_round))
    response = client.post(
        _url("story-label", story_round, pk=story.pk), {"theme": SUPERSCRIPT_TWO, "on": "1"}
    )
    assert response.status_code == 404


def test_a_withdrawn_quote_leaves_the_wijkprofiel_block_at_once(story_round):
    """The block's cache is per process: another process never hears of the withdrawal,
    so the quotes may not come from the cache."""
    from django.utils import timezone

    from .. import blocks

    wijk = story_round.areas.order_by("code").first()
    story, _ = tell(story_round, LONELY, area=wijk)
    first = blocks.wijkprofiel_block(None, area=wijk)
    assert first["count"] == 1 and len(first["quotes"]) == 1
    # Withdrawn in another process: this process's cached figures are not told.
    Story.objects.filter(pk=story.pk).update(withdrawn_at=timezone.now())
    again = blocks.wijkprofiel_block(None, area=wijk)
    assert again is None or again["quotes"] == []


def _untouched(story_round, **overrides):
    """What a browser without JavaScript sends when the teller leaves the questions alone:
    the sliders at their start and the "n.v.t." boxes ticked, as the page shows them."""
    data = {"text": LONELY, "consent": "public_anon", "teller_role": "resident", "age_band": ""}
    for q in story_round.questions.all():
        if q.kind == "dyad":
            data.update({f"q{q.pk}": "50", f"q{q.pk}_na": "on"})
        elif q.kind == "triad":
            data.update(
                {f"q{q.pk}_a": "33", f"q{q.pk}_b": "33", f"q{q.pk}_c": "33", f"q{q.pk}_na": "on"}
            )
    data.update(overrides)
    return data


def _answers():
    story = Story.objects.get()
    return {a.question.kind: a.value for a in story.answers.select_related("question")}


def test_no_answer_is_the_default_of_every_slider(client, story_round):
    html = client.get(_url("tell", story_round)).content.decode()
    for q in story_round.questions.exclude(kind="choice"):
        box = html.split(f'name="q{q.pk}_na"')[1].split(">")[0]
        assert "checked" in box


def test_untouched_sliders_without_javascript_are_no_answer(client, story_round):
    response = client.post(_url("tell", story_round), _untouched(story_round))
    assert response.status_code == 302
    assert _answers() == {"dyad": None, "triad": None, "choice": None}


def test_a_slider_moved_without_javascript_is_an_answer_though_the_box_stayed_ticked(
    client, story_round
):
    dyad = story_round.questions.get(kind="dyad")
    triad = story_round.questions.get(kind="triad")
    data = _untouched(story_round, **{f"q{dyad.pk}": "80", f"q{triad.pk}_a": "66"})
    assert client.post(_url("tell", story_round), data).status_code == 302
    values = _answers()
    assert values["dyad"] == 0.8 and values["triad"] == pytest.approx([0.5, 0.25, 0.25])


def test_with_the_script_the_ticked_box_decides(client, story_round):
    dyad = story_round.questions.get(kind="dyad")
    data = _untouched(story_round, scripted="1", **{f"q{dyad.pk}": "80"})
    assert client.post(_url("tell", story_round), data).status_code == 302
    assert _answers()["dyad"] is None
