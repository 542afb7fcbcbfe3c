"""Fixtures for the notification tests: test kinds with their own templates, people."""

from __future__ import annotations

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from buurtbasis.platform import notifications

TEST_TEMPLATES = {
    "t/news_subject.txt": '{% load i18n %}{% translate "Notifications" %}: {{ thing }}',
    "t/news_body.txt": "{% autoescape off %}Body about {{ thing }}: {{ link }}{% endautoescape %}",
    "t/news_body.html": "<p>Body about {{ thing }}</p>",
    "t/news_line.txt": "Line about {{ thing }}",
    "t/secret_subject.txt": '{% load i18n %}{% translate "Notifications" %} (secret)',
    "t/secret_body.txt": "{% autoescape off %}Your link: {{ link }}{% endautoescape %}",
}

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def test_kinds(settings):
    """Two kinds whose templates live in memory: an in-app one and a required mail-only one."""
    template_settings = settings.TEMPLATES[0]
    settings.TEMPLATES = [
        {
            **template_settings,
            "APP_DIRS": False,
            "OPTIONS": {
                **template_settings["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", TEST_TEMPLATES),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    saved_kinds = dict(notifications._KINDS)
    saved_followable = dict(notifications._FOLLOWABLE)
    notifications.register_kind(
        "test.news",
        label="News about a thing",
        subject="t/news_subject.txt",
        text="t/news_body.txt",
        html="t/news_body.html",
        line="t/news_line.txt",
    )
    notifications.register_kind(
        "test.digest_news",
        label="Daily news",
        subject="t/news_subject.txt",
        text="t/news_body.txt",
        line="t/news_line.txt",
        default=notifications.Delivery.DIGEST,
    )
    notifications.register_kind(
        "test.secret",
        label="A secret link",
        subject="t/secret_subject.txt",
        text="t/secret_body.txt",
        required=True,
    )
    # Groups stand in for a followable object (a round, a plan, an initiative):
    # the ground floor's tests use no app above it. Only groups named "public*" may be followed.
    notifications.register_followable(
        Group, can_follow=lambda user, obj: obj.name.startswith("public")
    )
    yield
    notifications._KINDS.clear()
    notifications._KINDS.update(saved_kinds)
    notifications._FOLLOWABLE.clear()
    notifications._FOLLOWABLE.update(saved_followable)


@pytest.fixture
def make_person(db):
    def make(language: str | None = "nl", **fields):
        number = next(_numbers)
        user = get_user_model().objects.create_user(
            email=f"persoon{number}@example.nl", password="lang-genoeg-wachtwoord-42", **fields
        )
        if language:
            notifications.set_language(user, language)
        return user

    return make
