"""Organisations get a slug, the address of their public page.

Existing organisations get one from their name (else their acronym, else
``org-<id>``), unique, with ``-2``, ``-3``… for organisations of the same name;
the translations of an organisation share its slug. The logic is frozen here as
it was when the field was added. The constraint comes in the next migration,
in a transaction of its own: PostgreSQL refuses to alter a table that has
trigger events pending in the same transaction.
"""

from collections import defaultdict

from django.db import migrations, models
from django.utils.text import slugify

MAX_LENGTH = 100
SUFFIX_ROOM = 8


def base_for(organisation):
    for text in (organisation.name, organisation.acronym):
        base = slugify(text or "")[: MAX_LENGTH - SUFFIX_ROOM].strip("-_")
        if base:
            return base
    return f"org-{organisation.pk}"


def fill_slugs(apps, schema_editor):
    Organisation = apps.get_model("home", "StakeholderOrganisation")
    groups = defaultdict(list)
    for organisation in Organisation.objects.order_by("pk"):
        groups[organisation.translation_key].append(organisation)
    taken = set()
    changed = []
    # The first organisation of a name keeps it plain: groups in order of their
    # oldest row, each named after that row.
    for rows in sorted(groups.values(), key=lambda rows: rows[0].pk):
        base = base_for(rows[0])
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        for organisation in rows:
            organisation.slug = slug
            changed.append(organisation)
    Organisation.objects.bulk_update(changed, ["slug"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("home", "0003_featured_entries_and_about_page")]

    operations = [
        migrations.AddField(
            model_name="stakeholderorganisation",
            name="slug",
            field=models.SlugField(
                blank=True,
                default="",
                help_text="The organisation's public address: /organisations/<slug>/. Leave empty to make one from the name.",
                max_length=100,
                verbose_name="slug",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_slugs, migrations.RunPython.noop),
    ]
