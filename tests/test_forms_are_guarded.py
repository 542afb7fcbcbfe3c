"""Every form in every app refuses control characters in text (platform/forms.py).

Walks every module of the project and finds each Form and ModelForm class: a new
form that forgets the platform's base class fails here, not in production.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from django import forms

import buurtbasis
from buurtbasis.platform.forms import TextSafetyMixin


def project_form_classes() -> list[type]:
    found = set()
    for module_info in pkgutil.walk_packages(buurtbasis.__path__, "buurtbasis."):
        name = module_info.name
        if ".tests" in name or ".migrations" in name or name.endswith(".settings"):
            continue
        module = importlib.import_module(name)
        for _attr, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__.startswith("buurtbasis."):
                found.add(value)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_the_walk_finds_the_forms_of_every_app():
    apps = {cls.__module__.split(".")[1] for cls in project_form_classes()}
    assert {"accounts", "organisations", "initiatives", "budgets", "ballots"} <= apps
    assert len(project_form_classes()) >= 25


def test_every_form_class_refuses_control_characters_in_text():
    unguarded = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_form_classes()
        if not issubclass(cls, TextSafetyMixin)
    ]
    assert not unguarded, (
        "These forms do not use buurtbasis.platform.forms (Form, ModelForm or "
        "TextSafetyMixin): " + ", ".join(unguarded)
    )
