"""One slug per organisation and locale (translations share their organisation's)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("home", "0004_organisation_slug")]

    operations = [
        migrations.AddConstraint(
            model_name="stakeholderorganisation",
            constraint=models.UniqueConstraint(
                fields=("slug", "locale"), name="unique_organisation_slug_per_locale"
            ),
        ),
    ]
