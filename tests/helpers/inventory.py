"""The inventory in the admin and in and out of CSV files.

The inventory in the admin (its snippet URLs, edit form and moderation actions) and in
and out of CSV files.
"""

import csv
import io

from django.core.management import call_command
from django.urls import reverse

from wagtail.test.utils.form_data import rich_text

from inventory.export import CSV_COLUMNS
from inventory.models import InventoryEntry
from inventory.moderation import submit_for_moderation

SNIPPET = "wagtailsnippets_inventory_inventoryentry"
SUBMITTER = "lina.haddad@example.org"


def admin_url(name, *args):
    return reverse(f"{SNIPPET}:{name}", args=args)


def refreshed(entry):
    return InventoryEntry.objects.get(pk=entry.pk)


def workflow_action_url(entry, action):
    task_state = refreshed(entry).current_workflow_task_state
    assert task_state is not None, "the entry is not in moderation"
    return admin_url("workflow_action", entry.pk, action, task_state.pk)


def admin_form_data(entry=None, **changes):
    """The admin edit form of an entry (its current values, or new ones), as posted."""
    if entry is not None:
        entry = entry.get_latest_revision_as_object()
        values = {
            "title": entry.title,
            "summary": entry.summary,
            "language": entry.language,
            "description": entry.description,
            "activity_type": entry.activity_type,
            "status": entry.status,
            "action_lines": entry.action_lines,
            "sdgs": entry.sdgs,
            "countries": entry.countries,
            "coverage": entry.coverage,
            "stakeholder_type": entry.stakeholder_type,
            "reporting_year": entry.reporting_year,
            "contact_name": entry.contact_name,
            "contact_email": entry.contact_email,
            "team": entry.team_id or "",
        }
    else:
        values = {
            "title": "Child online protection toolkit",
            "summary": "A toolkit for schools and parents.",
            "language": "en",
            "description": "<p>Guides and lesson plans.</p>",
            "activity_type": "toolkit",
            "status": "completed",
            "action_lines": ["C5"],
            "sdgs": [4, 16],
            "countries": ["EGY"],
            "coverage": "national",
            "stakeholder_type": "international-organization",
            "reporting_year": 2025,
            "contact_name": "Lina Haddad",
            "contact_email": SUBMITTER,
            "team": "",
        }
    values.update(changes)
    values["description"] = rich_text(values["description"] or "")
    return {
        "organisation": "",
        "start_date": "",
        "end_date": "",
        "website": "",
        "keywords": "",
        **{key: value for key, value in values.items() if value is not None},
    }


def act(client, capture, entry, action, **data):
    with capture(execute=True):
        return client.post(workflow_action_url(entry, action), data)


def approve(entry, editor, client_for, capture):
    entry = InventoryEntry.objects.get(pk=entry.pk)
    task_state = entry.current_workflow_task_state
    url = reverse(
        "wagtailsnippets_inventory_inventoryentry:workflow_action",
        args=[entry.pk, "approve", task_state.pk],
    )
    with capture(execute=True):
        response = client_for(editor).post(url, {"comment": ""})
    assert response.status_code == 302
    return InventoryEntry.objects.get(pk=entry.pk)


EXPORT = "/inventory/export.csv"


def export_rows(client, params=None):
    response = client.get(EXPORT, params or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so spreadsheets read UTF-8"
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    assert reader.fieldnames == CSV_COLUMNS
    return list(reader), text


def run_import(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_inventory", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_csv(path, rows, columns=None):
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


GOOD_ROW = {
    "title": "Community networks for mountain villages",
    "summary": "Villagers build and run their own network.",
    "activity_type": "project",
    "action_lines": "C2;C7-EAGRI",
    "countries": "NPL;BTN",
    "stakeholder_type": "civil-society",
    "status": "ongoing",
    "year": "2024",
    "sdgs": "9;10",
}


def reject_in_moderation(entry, editor):
    """Submits the entry to the inventory moderation, where an editor rejects it."""
    submit_for_moderation(entry)
    entry = InventoryEntry.objects.get(pk=entry.pk)
    task_state = entry.current_workflow_task_state.specific
    task_state.reject(user=editor, comment="Not an activity.")
    return InventoryEntry.objects.get(pk=entry.pk)


def public_submission(**changes):
    data = {
        "title": "Cybersecurity clinics for small businesses",
        "summary": "Free weekly clinics run with the chamber of commerce.",
        "description": "Clinics in five cities.",
        "activity_type": "training",
        "status": "ongoing",
        "action_lines": ["C5"],
        "countries": ["JOR"],
        "coverage": "national",
        "stakeholder_type": "private-sector",
        "organisation_name": "Amman Cyber Clinic",
        "reporting_year": "2025",
        "contact_name": "Lina Haddad",
        "contact_email": SUBMITTER,
        "homepage": "",
    }
    data.update(changes)
    return data
