"""An index on the user table's e-mail address.

allauth looks every sign-up, sign-in and password reset up by address, in its
own table (indexed) and in the user table's ``email`` (which Django does not
index): with hundreds of thousands of accounts, each of those requests would
read the whole table.
"""

from django.conf import settings
from django.db import migrations

INDEX = "accounts_user_email"


def user_table(apps):
    return apps.get_model(settings.AUTH_USER_MODEL)._meta.db_table


def create(apps, schema_editor):
    quote = schema_editor.quote_name
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {quote(INDEX)} "
        f"ON {quote(user_table(apps))} ({quote('email')})"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(INDEX)}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_accounts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(create, drop)]
