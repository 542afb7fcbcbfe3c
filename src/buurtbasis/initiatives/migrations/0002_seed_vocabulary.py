from django.db import migrations

THEMES = [
    ("greenery", "Greenery and nature"),
    ("language", "Language and reading"),
    ("food", "Food and meals"),
    ("youth", "Children and young people"),
    ("health", "Health and exercise"),
    ("meeting", "Meeting each other"),
    ("culture", "Culture and creativity"),
    ("sport", "Sport and play"),
    ("loneliness", "Loneliness"),
    ("money", "Money and debts"),
    ("sustainability", "Sustainability and energy"),
    ("liveability", "Safe and clean neighbourhood"),
    ("learning", "Learning and work"),
    ("repair", "Repair and reuse"),
    ("care", "Care and support"),
]

TARGET_GROUPS = [
    ("children", "Children (up to 12)"),
    ("young-people", "Young people (12 to 23)"),
    ("parents", "Parents"),
    ("older-people", "Older people"),
    ("newcomers", "Newcomers"),
    ("disability", "People with a disability"),
    ("carers", "Informal carers"),
    ("low-income", "People with little money"),
    ("lonely", "People who feel lonely"),
    ("everyone", "Everyone in the neighbourhood"),
]


def seed(apps, schema_editor):
    # A frozen copy of initiatives/vocabulary.py: migrations must not import app code.
    Theme = apps.get_model("initiatives", "Theme")
    TargetGroup = apps.get_model("initiatives", "TargetGroup")
    for slug, name in THEMES:
        Theme.objects.get_or_create(slug=slug, defaults={"name": name})
    for slug, name in TARGET_GROUPS:
        TargetGroup.objects.get_or_create(slug=slug, defaults={"name": name})


def unseed(apps, schema_editor):
    apps.get_model("initiatives", "Theme").objects.filter(
        slug__in=[slug for slug, _ in THEMES], initiatives=None
    ).delete()
    apps.get_model("initiatives", "TargetGroup").objects.filter(
        slug__in=[slug for slug, _ in TARGET_GROUPS], initiatives=None
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
