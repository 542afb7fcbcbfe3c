import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from buurtbasis.accounts.tests.factories import OrganisationFactory, UserFactory
from buurtbasis.budgets.models import Phase, Plan
from buurtbasis.platform.tests import images

from .factories import BudgetRoundFactory, InitiativeFactory

pytestmark = pytest.mark.django_db

PNG = images.png(mode="RGBA", color=(40, 120, 40, 200))


def _data(budget_round, **overrides):
    data = {
        "title": "Moestuin aan de Dijkstraat",
        "summary": "Een gezamenlijke moestuin voor de straat.",
        "description": "We willen samen groente kweken en elkaar beter leren kennen.",
        "area": budget_round.areas.first().pk,
        "latitude": "",
        "longitude": "",
        "photo_alt": "",
        "costs-TOTAL_FORMS": "3",
        "costs-INITIAL_FORMS": "0",
        "costs-MIN_NUM_FORMS": "0",
        "costs-MAX_NUM_FORMS": "20",
        "costs-0-description": "Plantenbakken",
        "costs-0-amount": "1.250,50",
        "costs-1-description": "Zaden en aarde",
        "costs-1-amount": "300",
        "costs-2-description": "",
        "costs-2-amount": "",
    }
    data.update(overrides)
    return data


def test_it_submits_a_plan_with_cost_lines_and_a_first_version(client):
    budget_round = BudgetRoundFactory()
    resident = UserFactory()
    client.force_login(resident)
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]), _data(budget_round)
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    assert plan.submitted_by == resident
    assert plan.status == "submitted"
    assert plan.cost_cents == plan.submitted_cost_cents == 155_050
    assert [(c.description, c.amount_cents) for c in plan.cost_lines.all()] == [
        ("Plantenbakken", 125_050),
        ("Zaden en aarde", 30_000),
    ]
    assert plan.versions.count() == 1
    assert plan.versions.get().data["cost_cents"] == 155_050


def test_it_submits_a_joint_plan_of_an_initiative_and_an_organisation(client):
    budget_round = BudgetRoundFactory()
    resident = UserFactory()
    initiative = InitiativeFactory(members=[resident])
    partner = OrganisationFactory()
    client.force_login(resident)
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]),
        _data(budget_round, initiative=initiative.pk, partner_organisation=partner.pk),
    )
    assert response.status_code == 302
    plan = Plan.objects.get()
    assert plan.initiative == initiative
    assert plan.partner_organisation == partner
    assert plan.is_joint


def test_it_refuses_an_initiative_the_person_is_not_part_of(client):
    budget_round = BudgetRoundFactory()
    resident = UserFactory()
    InitiativeFactory(members=[resident])
    other = InitiativeFactory()
    client.force_login(resident)
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]),
        _data(budget_round, initiative=other.pk),
    )
    assert response.status_code == 200
    assert "initiative" in response.context["form"].errors
    assert not Plan.objects.exists()


def test_a_person_without_initiatives_submits_as_a_resident(client):
    budget_round = BudgetRoundFactory()
    other = InitiativeFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]),
        _data(budget_round, initiative=other.pk),
    )
    assert response.status_code == 302
    assert Plan.objects.get().initiative is None


def test_it_needs_a_cost_line(client):
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(
        budget_round,
        **{
            "costs-0-description": "",
            "costs-0-amount": "",
            "costs-1-description": "",
            "costs-1-amount": "",
        },
    )
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors().as_data()[0].code == "no_costs"
    assert not Plan.objects.exists()


def test_it_explains_a_bad_amount_and_keeps_the_input(client):
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, **{"costs-1-amount": "drie tientjes"})
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="drie tientjes"' in html
    assert 'value="Moestuin aan de Dijkstraat"' in html
    assert 'href="#id_costs-1-amount"' in html
    assert not Plan.objects.exists()


def test_it_refuses_a_plan_that_costs_more_than_the_budget(client):
    budget_round = BudgetRoundFactory(budget_cents=100_000)
    client.force_login(UserFactory())
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]), _data(budget_round)
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Plan.objects.exists()


def test_it_stores_a_photo_and_a_point(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(
        budget_round,
        latitude="52,512345",
        longitude="6.091234",
        photo_alt="Lege plek naast de flat",
    )
    data["photo"] = SimpleUploadedFile("tuin.png", PNG, content_type="image/png")
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    plan = Plan.objects.get()
    assert str(plan.latitude) == "52.512345"
    assert str(plan.longitude) == "6.091234"
    assert plan.photo.name.endswith(".png")
    photo = client.get(reverse("budgets:plan-photo", args=[budget_round.slug, plan.pk]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/png"
    stored = Image.open(io.BytesIO(b"".join(photo.streaming_content)))
    assert (stored.format, stored.size) == ("PNG", (8, 6))


def test_a_plan_photo_is_stored_without_its_gps_position(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, photo_alt="Lege plek naast de flat")
    data["photo"] = SimpleUploadedFile("IMG_0001.JPG", images.jpeg_with_gps(), "image/jpeg")
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    plan = Plan.objects.get()
    assert plan.photo.name.endswith(".jpg")
    stored = (tmp_path / plan.photo.name).read_bytes()
    image = Image.open(io.BytesIO(stored))
    assert not image.getexif()
    assert "xmp" not in image.info and "comment" not in image.info
    assert image.size == (48, 64)  # turned upright


def test_a_polyglot_plan_photo_is_stored_without_the_html(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, photo_alt="Foto")
    data["photo"] = SimpleUploadedFile("tuin.jpg", images.polyglot_jpeg(), "image/jpeg")
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 302, response.context["form"].errors
    photo = client.get(
        reverse("budgets:plan-photo", args=[budget_round.slug, Plan.objects.get().pk])
    )
    assert b"<script" not in b"".join(photo.streaming_content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("virus.png", b"MZ\x90\x00 not an image", "image_type"),
        ("tuin.gif", b"GIF89a......", "image_type"),
        ("foto.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image_type"),
        ("bom.png", images.png_declaring(20_000, 20_000), "image_pixels"),
        ("groot.jpg", b"\xff\xd8\xff" + b"\x00" * (5 * 1024 * 1024 + 1), "image_size"),
    ],
    ids=["exe", "gif", "fake-png", "bomb", "too-large"],
)
def test_it_refuses_a_photo_that_is_not_a_small_image(
    client, settings, tmp_path, name, content, code
):
    settings.MEDIA_ROOT = tmp_path
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, photo_alt="Foto")
    data["photo"] = SimpleUploadedFile(name, content)
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["photo"]] == [code]
    assert not Plan.objects.exists()


def test_it_refuses_plans_after_the_deadline(client):
    budget_round = BudgetRoundFactory()
    Phase.objects.filter(budget_round=budget_round, kind="submission").update(
        ends_at=timezone.now() - timedelta(minutes=1)
    )
    client.force_login(UserFactory())
    response = client.post(
        reverse("budgets:plan-create", args=[budget_round.slug]), _data(budget_round)
    )
    assert response.status_code == 302
    assert not Plan.objects.exists()


def test_check_button_computes_the_total_without_saving(client):
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, check="1")
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 200
    assert response.context["total_cents"] == 155_050
    # the two lines are kept and two empty lines are added
    assert response.context["formset"].total_form_count() == 4
    assert not Plan.objects.exists()
    assert not mail.outbox


def test_it_limits_how_many_plans_one_person_submits_per_hour(client):
    from buurtbasis.budgets.services import MAX_PLANS_PER_HOUR

    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    url = reverse("budgets:plan-create", args=[budget_round.slug])
    for _ in range(MAX_PLANS_PER_HOUR):
        assert client.post(url, _data(budget_round)).status_code == 302
    response = client.post(url, _data(budget_round))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Plan.objects.count() == MAX_PLANS_PER_HOUR


def test_the_plan_page_draws_the_point_on_a_small_map(client):
    from .factories import AreaFactory, PlanFactory

    area = AreaFactory(
        boundary={
            "type": "Polygon",
            "coordinates": [[[6.0, 52.5], [6.1, 52.5], [6.1, 52.55], [6.0, 52.55], [6.0, 52.5]]],
        }
    )
    budget_round = BudgetRoundFactory(areas=[area])
    plan = PlanFactory(
        budget_round=budget_round,
        area=area,
        latitude="52.525000",
        longitude="6.050000",
        title="Bankje <bij> de vijver",
    )
    html = client.get(plan.get_absolute_url()).content.decode()
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="plan-map"' in html
    assert "<circle" in html
    assert "Bankje &lt;bij&gt; de vijver" in html
    assert "Bankje <bij>" not in html
    # without a point there is no map
    plan.latitude = plan.longitude = None
    plan.save()
    assert "<circle" not in client.get(plan.get_absolute_url()).content.decode()


def test_it_refuses_a_plan_title_with_a_line_break(client):
    budget_round = BudgetRoundFactory()
    client.force_login(UserFactory())
    data = _data(budget_round, title="Moestuin\naan de Dijkstraat")
    response = client.post(reverse("budgets:plan-create", args=[budget_round.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["title"] == [
        "Dit veld mag geen regeleinden, tabs of onzichtbare stuurtekens bevatten (zoals een "
        "teken dat de schrijfrichting omdraait)."
    ]
    assert not Plan.objects.exists()
