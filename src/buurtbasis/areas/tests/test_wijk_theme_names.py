"""The wijk page shows an initiative's themes in the reader's language, not the stored English."""

import pytest
from django.utils import translation

from buurtbasis.areas.models import Area
from buurtbasis.initiatives.models import Theme

from .factories import make_initiative

pytestmark = pytest.mark.django_db


def test_the_wijk_page_shows_theme_names_in_dutch(client, zwolle):
    wijk = Area.objects.get(code="WK019310")
    theme, _ = Theme.objects.get_or_create(
        slug="greenery", defaults={"name": "Greenery and nature"}
    )
    theme.name = "Greenery and nature"
    theme.save()
    own, _ = Theme.objects.get_or_create(slug="jeu-de-boules", name="Jeu de boules")
    make_initiative(areas=[wijk], name="Geveltuinen Binnenstad").themes.set([theme, own])
    with translation.override("nl"):
        html = client.get(wijk.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<span class="tag">Groen en natuur</span>' in html
    assert "Greenery and nature" not in html
    assert '<span class="tag">Jeu de boules</span>' in html  # a theme added by hand, as typed
