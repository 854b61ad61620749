"""The index updates still waiting in the inventory's outbox move to this one."""

from django.db import migrations


def move_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Old = apps.get_model("inventory", "PendingIndexUpdate")
    New = apps.get_model("search", "PendingIndexUpdate")
    if not Old.objects.exists():
        return
    entries, _ = ContentType.objects.get_or_create(
        app_label="inventory", model="inventoryentry"
    )
    for row in Old.objects.all():
        moved, _ = New.objects.get_or_create(
            content_type=entries,
            object_id=str(row.entry_id),
            defaults={"attempts": row.attempts, "last_error": row.last_error},
        )
        # created_at is set on creation: the row keeps its place in the queue.
        New.objects.filter(pk=moved.pk).update(
            created_at=row.created_at, changed_at=row.created_at
        )


def move_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Old = apps.get_model("inventory", "PendingIndexUpdate")
    New = apps.get_model("search", "PendingIndexUpdate")
    entries = ContentType.objects.filter(
        app_label="inventory", model="inventoryentry"
    ).first()
    if entries is None:
        return
    for row in New.objects.filter(content_type_id=entries.pk):
        moved, _ = Old.objects.get_or_create(
            entry_id=int(row.object_id),
            defaults={"attempts": row.attempts, "last_error": row.last_error},
        )
        Old.objects.filter(pk=moved.pk).update(created_at=row.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_index_outbox"),
        ("inventory", "0003_recipient_languages"),
    ]

    operations = [migrations.RunPython(move_rows, move_back)]
