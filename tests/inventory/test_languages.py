"""Entries keep their original language and may carry translations.

Entries keep their original language and may carry English and French titles and
summaries: shown in the reader's language, found by words of either.
"""

from django.test import Client

import pytest

from inventory.bulk_index import DocumentPlan, documents
from inventory.models import InventoryEntry
from inventory.search import InventoryQuery, search_inventory
from tests.factories import InventoryEntryFactory


def french_entry(**fields):
    values = {
        "title": "Formation des enseignants au numérique",
        "summary": "Des ateliers pour les enseignants des écoles rurales.",
        "language": "fr",
        "title_en": "Digital skills for teachers",
        "summary_en": "Workshops for rural schoolteachers.",
    }
    values.update(fields)
    return InventoryEntryFactory(**values)


def found(q):
    return [entry.pk for entry in search_inventory(InventoryQuery(q=q)).entries]


def test_english_and_french_texts_follow_the_original_language(db):
    entry = french_entry()
    assert entry.french_text() == (
        "Formation des enseignants au numérique\n"
        "Des ateliers pour les enseignants des écoles rurales."
    )
    assert entry.english_text() == (
        "Digital skills for teachers\nWorkshops for rural schoolteachers."
    )
    english = InventoryEntryFactory(title="Broadband", summary="Fibre.")
    assert english.english_text() == "Broadband\nFibre."
    assert english.french_text() == ""


def test_search_finds_an_entry_by_words_of_either_language(engine, indexed):
    with indexed():
        entry = french_entry()
        InventoryEntryFactory(title="Unrelated", summary="Nothing in common.")
    assert found("teachers") == [entry.pk]
    assert found("enseignants") == [entry.pk]


def test_the_engine_stems_english_and_french_words(
    cluster, django_capture_on_commit_callbacks
):
    """On the cluster, each language's analysis matches other forms of a word."""
    with django_capture_on_commit_callbacks(execute=True):
        entry = french_entry()
        english = InventoryEntryFactory(
            title="Trainings on cybersecurity", summary="Courses."
        )
    cluster.refresh()
    # "enseignant" (singular) against "enseignants"; "teacher" against
    # "teachers"; "training" against "Trainings".
    assert found("enseignant") == [entry.pk]
    assert found("teacher") == [entry.pk]
    assert found("training") == [english.pk]


def test_bulk_documents_equal_wagtail_documents(cluster):
    """The fast rebuild sends exactly the documents Wagtail would build."""
    entries = [
        french_entry(),
        InventoryEntryFactory(title="English only", summary="Plain.", keywords="a, b"),
        InventoryEntryFactory(
            title="Русский", summary="Кратко.", language="ru", title_fr="Russe"
        ),
    ]
    mapping = cluster.backend.mapping_class(InventoryEntry)
    plan = DocumentPlan(mapping)
    built = dict(
        pair
        for batch in documents(plan, InventoryEntry.objects.all())
        for pair in batch
    )
    for entry in entries:
        expected = mapping.get_document(InventoryEntry.objects.get(pk=entry.pk))
        assert built[str(entry.pk)] == expected


@pytest.mark.parametrize(
    ("prefix", "title", "attributes"),
    [
        ("", "Digital skills for teachers", ""),
        ("/fr", "Formation des enseignants au numérique", ""),
        ("/es", "Digital skills for teachers", ' lang="en"'),
        ("/ar", "Digital skills for teachers", ' lang="en"'),
    ],
)
def test_entry_page_shows_the_readers_language_with_lang_attributes(
    db, prefix, title, attributes
):
    """The title is in the reader's language when it exists.

    The title is in the reader's language when it exists (English for an
    interface-only language), marked with ``lang`` when it is not the page's.
    """
    entry = french_entry()
    html = Client().get(f"{prefix}/inventory/entries/{entry.pk}/").content.decode()
    assert f'<h1 dir="auto"{attributes}>{title}</h1>' in html


def test_api_and_export_carry_the_language_and_translations(db, client):
    entry = french_entry()
    record = client.get("/api/inventory/").json()["results"][0]
    assert record["id"] == entry.pk
    assert record["language"] == "fr"
    assert record["title_en"] == "Digital skills for teachers"
    assert record["title_fr"] == ""
    response = client.get("/inventory/export.csv")
    csv = b"".join(response.streaming_content).decode()
    assert "language,title_en,summary_en,title_fr,summary_fr" in csv.splitlines()[0]


def test_submission_form_defaults_to_the_interface_language(db, client):
    html = client.get("/fr/inventory/submit/").content.decode()
    assert '<option value="fr" selected>' in html


def test_import_refuses_an_unknown_language_by_line_and_field(db):
    from inventory.importing import validate

    row = {
        "title": "Activité",
        "summary": "Résumé.",
        "activity_type": "project",
        "action_lines": "C5",
        "countries": "SEN",
        "stakeholder_type": "government",
        "status": "ongoing",
        "year": "2025",
        "language": "klingon",
        "title_en": "x" * 256,
    }
    _cleaned, errors = validate([(2, row)])
    assert {(error.line, error.field) for error in errors} == {
        (2, "language"),
        (2, "title_en"),
    }
