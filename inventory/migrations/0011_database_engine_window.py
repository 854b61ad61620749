"""The database engine's window: one text column, covering indexes, statistics.

At a million entries the database engine (the fallback while the search cluster
is down) spent its time reading rows: seven ``UPPER(column) LIKE`` tests per
entry, a table scan to check ``live``, and the facet rows' table for each count
(docs/scaling.md#a-million-activities). This migration adds:

- ``search_text``, every text the engine matches in, lowercased, a column the
  database keeps itself (a stored generated column), with one GIN trigram index
  on PostgreSQL in place of migration 0010's seven on the entries' columns
  (the organisations' name index stays);
- the published entries' ids and publication dates in one partial index, so
  that the newest matches are found from the index alone;
- the facet rows' (entry, facet, value) index, so that facet counts read the
  index alone;
- on PostgreSQL, statistics of which (facet, value) pairs occur together, so
  that the planner knows how many entries a filter keeps.

Adding the column rewrites the entries' table under a lock: about 1.5 minutes
at a million entries, well under a second at today's ten thousand.
"""

import django.db.models.functions.comparison
import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

TABLE = "inventory_inventoryentry"
# Migration 0010's indexes on the entries' columns (migrations are history:
# its names are written out again, not imported).
OLD_COLUMNS = [
    "title",
    "summary",
    "title_en",
    "summary_en",
    "title_fr",
    "summary_fr",
    "keywords",
]
STATISTICS = "inventory_entryfacetvalue_facet_value_stats"


def trigram_index(table, column):
    return f"{table[:20]}_{column}_trgm"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in OLD_COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{trigram_index(TABLE, column)}"')
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{trigram_index(TABLE, "search_text")}" '
        f'ON "{TABLE}" USING gin ("search_text" gin_trgm_ops)'
    )
    schema_editor.execute(
        f'CREATE STATISTICS IF NOT EXISTS "{STATISTICS}" (mcv, dependencies) '
        'ON facet, value FROM "inventory_entryfacetvalue"'
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f'DROP STATISTICS IF EXISTS "{STATISTICS}"')
    schema_editor.execute(
        f'DROP INDEX IF EXISTS "{trigram_index(TABLE, "search_text")}"'
    )
    for column in OLD_COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{trigram_index(TABLE, column)}" ON "{TABLE}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("action_lines", "0005_framework_pages_and_versions"),
        ("home", "0006_un_content_locales"),
        ("inventory", "0010_text_search_trigram_indexes"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="entryfacetvalue",
            name="inventory_e_entry_i_1b14c4_idx",
        ),
        migrations.AddField(
            model_name="inventoryentry",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Lower(
                    django.db.models.functions.text.Concat(
                        django.db.models.functions.comparison.Coalesce("title", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("summary", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("title_en", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("summary_en", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("title_fr", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("summary_fr", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        django.db.models.functions.comparison.Coalesce("keywords", models.Value(""), output_field=models.TextField()),
                        models.Value("\n"),
                        output_field=models.TextField(),
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddIndex(
            model_name="entryfacetvalue",
            index=models.Index(
                fields=["entry", "facet", "value"],
                name="inventory_e_entry_i_f4c775_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="inventoryentry",
            index=models.Index(
                condition=models.Q(("live", True)),
                fields=["id", "first_published_at"],
                name="inventory_live_entries_idx",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
