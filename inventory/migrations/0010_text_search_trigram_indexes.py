"""Trigram indexes for the database search engine's text matching, on PostgreSQL.

The database engine (the fallback while the search cluster is down, and the
default of ``make run``) matches each word with ``icontains``, which PostgreSQL
runs as ``UPPER(column::text) LIKE UPPER('%word%')``. A GIN index of each text
column's trigrams on that very expression lets PostgreSQL answer it from the
index instead of reading every entry (docs/scaling.md). SQLite has no such
index; nothing is done there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "inventory_inventoryentry"
COLUMNS = [
    "title",
    "summary",
    "title_en",
    "summary_en",
    "title_fr",
    "summary_fr",
    "keywords",
]
ORGANISATIONS = ("home_stakeholderorganisation", ["name"])


def index_name(table, column):
    return f"{table[:20]}_{column}_trgm"


def statements(create):
    tables = [(TABLE, COLUMNS), (ORGANISATIONS[0], ORGANISATIONS[1])]
    for table, columns in tables:
        for column in columns:
            name = index_name(table, column)
            if create:
                yield (
                    f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
                    f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
                )
            else:
                yield f'DROP INDEX IF EXISTS "{name}"'


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements(create=True):
            schema_editor.execute(sql)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements(create=False):
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0009_entry_freshness"),
        ("home", "0005_organisation_slug_unique"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
