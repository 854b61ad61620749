"""/api/inventory/: the JSON shape of docs/api.md, and clear 400s for bad input."""

import csv
import io
import re

import pytest

from home.models import StakeholderOrganisation
from tests.factories import InventoryEntryFactory

API = "/api/inventory/"
PAGE = "/inventory/"
EXPORT = "/inventory/export.csv"

CONTRACT_FACETS = {
    "action_line",
    "region",
    "stakeholder",
    "status",
    "type",
    "year",
    "sdg",
}
RESULT_FIELDS = {
    "id": int,
    "title": str,
    "summary": str,
    "action_lines": list,
    "countries": list,
    "stakeholder_type": str,
    "status": str,
    "year": int,
    "url": str,
}
C7_SUB_LINES = ["EGOV", "EBUS", "ELEARN", "EHEALTH", "EEMPLOY", "EENV", "EAGRI", "ESCI"]
ACTION_LINE_CODES = {f"C{number}" for number in range(1, 12)} | {
    f"C7-{code}" for code in C7_SUB_LINES
}
CONTACT_EMAIL = "hidden.person@private-mail.example"
CONTACT_NAME = "Hidden Contact Person"


def make_entries():
    organisation = StakeholderOrganisation.objects.create(
        name="Agence nationale du numérique",
        acronym="ANN",
        stakeholder_type="government",
    )
    return [
        InventoryEntryFactory(
            title="Rural broadband for schools",
            summary="Connecting 300 rural schools.",
            action_lines=["C2", "C7-ELEARN"],
            countries=["SEN", "MLI"],
            sdgs=[4, 9],
            stakeholder_type="government",
            status="ongoing",
            activity_type="project",
            reporting_year=2024,
            organisation=organisation,
            contact_name=CONTACT_NAME,
            contact_email=CONTACT_EMAIL,
        ),
        InventoryEntryFactory(
            title="Child online protection guideline",
            summary="Guidance for parents and teachers.",
            action_lines=["C5"],
            countries=["global"],
            sdgs=[16],
            stakeholder_type="international-organization",
            status="completed",
            activity_type="guideline",
            reporting_year=2023,
            contact_email="another.secret@private-mail.example",
        ),
    ]


@pytest.fixture
def entries(db):
    """The entries, on the database search."""
    return make_entries()


@pytest.fixture
def engine_entries(indexed):
    """The entries, on the database search and on the real engine."""
    with indexed():
        return make_entries()


# --- Shape -------------------------------------------------------------------


def test_the_api_answers_count_page_results_and_facets(client, engine_entries):
    response = client.get(API)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = response.json()
    assert {"count", "page", "results", "facets"} <= set(data)
    assert data["count"] == 2
    assert type(data["count"]) is int
    assert data["page"] == 1
    assert type(data["page"]) is int
    assert isinstance(data["results"], list)
    assert len(data["results"]) == 2


def test_each_result_has_the_contract_fields(client, engine_entries):
    data = client.get(API, {"q": "broadband"}).json()
    (result,) = data["results"]
    for name, kind in RESULT_FIELDS.items():
        assert type(result[name]) is kind, name
    entry = engine_entries[0]
    assert result["id"] == entry.pk
    assert result["title"] == "Rural broadband for schools"
    assert result["summary"] == "Connecting 300 rural schools."
    assert result["action_lines"] == ["C2", "C7-ELEARN"]
    assert set(result["action_lines"]) <= ACTION_LINE_CODES
    assert result["countries"] == ["SEN", "MLI"]
    assert result["stakeholder_type"] == "government"
    assert result["status"] == "ongoing"
    assert result["year"] == 2024
    assert result["url"] == f"http://testserver/inventory/entries/{entry.pk}/"


def test_a_results_url_opens_the_entry(client, entries):
    (result,) = client.get(API, {"q": "guideline"}).json()["results"]
    page = client.get(result["url"].removeprefix("http://testserver"))
    assert page.status_code == 200
    assert "Child online protection guideline" in page.content.decode()


def test_facets_count_every_contract_facet(client, engine_entries):
    facets = client.get(API).json()["facets"]
    assert set(facets) >= CONTRACT_FACETS
    for name in CONTRACT_FACETS:
        assert isinstance(facets[name], dict), name
        for value, count in facets[name].items():
            assert type(value) is str
            assert type(count) is int
    assert facets["action_line"] == {"C2": 1, "C7-ELEARN": 1, "C5": 1}
    assert facets["region"] == {"africa": 1}
    assert facets["stakeholder"] == {"government": 1, "international-organization": 1}
    assert facets["status"] == {"ongoing": 1, "completed": 1}
    assert facets["type"] == {"project": 1, "guideline": 1}
    assert facets["year"] == {"2024": 1, "2023": 1}
    assert facets["sdg"] == {"4": 1, "9": 1, "16": 1}


def test_an_empty_inventory_answers_with_empty_results(client, db):
    data = client.get(API).json()
    assert data["count"] == 0
    assert data["page"] == 1
    assert data["results"] == []
    assert all(data["facets"][name] == {} for name in CONTRACT_FACETS)


def test_the_api_only_answers_get(client, db):
    assert client.post(API).status_code == 405


# --- Malformed parameters ----------------------------------------------------------

# (query string as sent, a fragment the error message must contain)
MALFORMED = [
    ("action_line=C12", "action_line"),
    ("action_line=C7-EFOO", "action_line"),
    ("action_line=C5&action_line=bogus", "bogus"),
    ("country=XXX", "country"),
    ("country=FR", "country"),
    ("country=Senegal", "country"),
    ("region=mars", "region"),
    ("stakeholder=aliens", "stakeholder"),
    ("status=finished", "status"),
    ("type=podcast", "type"),
    ("page=0", "page"),
    ("page=-1", "page"),
    ("page=abc", "page"),
    ("page=1.5", "page"),
    ("page=99999999999999999999", "page"),
    ("page=9999999", "10000"),
    ("page=%C2%B2", "page"),
    ("page=%EF%BC%91", "page"),
    ("page_size=1000", "page size"),
    ("page_size=0", "page size"),
    ("sort=bogus", "sort"),
    ("sort=%FF", "sort"),
    ("sdg=18", "sdg"),
    ("sdg=0", "sdg"),
    ("sdg=%C2%B2", "sdg"),
    ("year=abc", "year"),
    ("year=1066", "year"),
    ("year=%C2%B2", "year"),
    ("q=" + "a" * 5000, "too long"),
    ("q=" + "broadband%20" * 30, "too long"),
    ("q=%FF", "UTF-8"),
    ("q=caf%C3", "UTF-8"),
    ("q=%ED%A0%80", "UTF-8"),
    ("q=\xff\xfe", "UTF-8"),
    ("country=%FF", "country"),
    ("country=%zz", "country"),
    ("action_line=C%005", "action_line"),
    ("region=africa%0Aeurope", "region"),
    ("&".join(f"country={code}" for code in ["SEN"] * 21), "country"),
    # More parameters than Django reads (DATA_UPLOAD_MAX_NUMBER_FIELDS).
    ("action_line=C5&" * 10_001, "parameters"),
]


def ids(cases):
    return [query[:40] for query, _fragment in cases]


@pytest.mark.parametrize(("query_string", "fragment"), MALFORMED, ids=ids(MALFORMED))
def test_malformed_parameters_give_400_with_a_message(
    client, entries, query_string, fragment
):
    response = client.get(API, QUERY_STRING=query_string)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors
    assert all(isinstance(error, str) and error for error in errors)
    assert fragment.lower() in " ".join(errors).lower()


@pytest.mark.parametrize(("query_string", "fragment"), MALFORMED, ids=ids(MALFORMED))
def test_the_page_explains_malformed_parameters_with_400(
    client, entries, query_string, fragment
):
    response = client.get(PAGE, QUERY_STRING=query_string)
    assert response.status_code == 400
    html = response.content.decode()
    assert "The search could not be run" in html
    summary = html.split('class="error-summary"', 1)[1].split("</div>", 1)[0]
    assert re.search(r"<li>.+</li>", summary, re.S)
    assert "Start a new search" in summary


@pytest.mark.parametrize(("query_string", "fragment"), MALFORMED, ids=ids(MALFORMED))
def test_the_export_refuses_malformed_parameters_with_400(
    client, entries, query_string, fragment
):
    response = client.get(EXPORT, QUERY_STRING=query_string)
    assert response.status_code == 400


def test_every_problem_is_listed_at_once(client, entries):
    response = client.get(API, QUERY_STRING="region=mars&sdg=18&sort=bogus&page=0")
    assert response.status_code == 400
    assert len(response.json()["errors"]) == 4


def test_a_message_never_echoes_markup(client, entries):
    response = client.get(PAGE, {"action_line": "<script>alert(1)</script>"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html


@pytest.mark.parametrize(
    "query_string",
    [
        "q=broad%00band",
        "q=broad%0Bband",
        "q=%7Fbroadband",
        "q=%zzbroadband",
        "q=%",
        "q=%25",
        "q=broadband&unknown=parameter",
        "q=%E2%80%AEbroadband",
        "q=%22rural",
        "q=rural+OR+(",
        "q=*",
        "q=broadband%5E10",
        "action_line=c2&country=sen&region=africa",
        "page_size=100&page=100",
        "year=02024",
    ],
)
def test_odd_but_valid_parameters_are_answered(client, entries, query_string):
    """Control characters, stray "%" and unknown parameters do no harm.

    Control characters count as spaces, stray "%" are text, and unknown parameters
    are ignored.
    """
    response = client.get(API, QUERY_STRING=query_string)
    assert response.status_code == 200
    assert "results" in response.json()
    assert client.get(PAGE, QUERY_STRING=query_string).status_code == 200


def test_control_characters_in_the_text_count_as_spaces(client, entries):
    clean = client.get(API, QUERY_STRING="q=rural+schools").json()
    dirty = client.get(API, QUERY_STRING="q=rural%00schools%1F").json()
    assert [row["id"] for row in dirty["results"]] == [entries[0].pk]
    assert dirty["results"] == clean["results"]


def test_lower_case_codes_are_accepted(client, entries):
    data = client.get(API, QUERY_STRING="action_line=c7-elearn&country=mli").json()
    assert [row["id"] for row in data["results"]] == [entries[0].pk]


# --- Contact details stay private ---------------------------------------------------


def test_contact_details_never_appear_in_the_api(client, entries):
    text = client.get(API, {"page_size": 100}).content.decode()
    assert "private-mail.example" not in text
    assert CONTACT_NAME not in text
    assert "contact" not in text.lower()


def test_contact_details_never_appear_in_the_csv(client, entries):
    text = b"".join(client.get(EXPORT).streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 2
    assert "private-mail.example" not in text
    assert CONTACT_NAME not in text
    assert not any("contact" in column.lower() for column in rows[0])


def test_contact_details_never_appear_on_the_pages(client, entries):
    pages = [
        client.get(PAGE).content.decode(),
        client.get(PAGE, {"q": "broadband"}).content.decode(),
        client.get(f"/inventory/entries/{entries[0].pk}/").content.decode(),
        client.get("/search/", {"q": "broadband"}).content.decode(),
    ]
    for html in pages:
        assert "private-mail.example" not in html
        assert CONTACT_NAME not in html
