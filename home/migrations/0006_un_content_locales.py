"""A Wagtail locale for each of the six UN languages, all content languages now.

English and French had theirs; Spanish, Russian, Chinese and Arabic get their
own so that pages can be translated into them through the same workflows.
"""

from django.db import migrations

CODES = ["en", "fr", "es", "ru", "zh-hans", "ar"]


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code in CODES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0005_organisation_slug_unique"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
