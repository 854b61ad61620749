"""Organisation pages and the inventory's ``organisation`` filter.

Organisation pages (/organisations/<slug>/) and the inventory's ``organisation`` filter,
on the database and on the real engine, over HTTP.
"""

import csv
import datetime
import io
import re

from django.test import Client
from django.urls import reverse

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from action_lines.choices import FacilitatorRole, RoundStatus
from action_lines.models import TeamMembership
from home.models import StakeholderOrganisation
from inventory.bulk_index import DocumentPlan, documents
from inventory.models import InventoryEntry
from tests.factories import (
    DesignationRoundFactory,
    FacilitatorDesignationFactory,
    InventoryEntryFactory,
    StakeholderOrganisationFactory,
)

API = "/api/inventory/"
PAGE = "/inventory/"
EXPORT = "/inventory/export.csv"


def organisation(name, acronym="", **fields):
    return StakeholderOrganisation.objects.create(
        name=name, acronym=acronym, stakeholder_type="government", **fields
    )


@pytest.fixture
def organisations(db):
    return {
        "agency": organisation("Agence nationale du numérique", "ANN", country="SEN"),
        "schools": organisation("Réseau des écoles"),
        "lab": organisation("Open Data Lab", "ODL"),
        # Only ever in drafts: no public page, not a filter value.
        "hidden": organisation("Drafts Only Foundation", "DOF"),
    }


@pytest.fixture
def activities(indexed, organisations):
    """Published activities the agency leads or partners in, and drafts."""
    agency, schools, lab, hidden = (
        organisations[key] for key in ("agency", "schools", "lab", "hidden")
    )
    with indexed():
        led = InventoryEntryFactory(
            title="Connected schools", organisation=agency, countries=["SEN"]
        )
        partnered = InventoryEntryFactory(
            title="Open data for schools",
            organisation=lab,
            partners=[agency, schools],
            countries=["FRA"],
            action_lines=["C5"],
        )
        other = InventoryEntryFactory(
            title="Lab hackathon", organisation=lab, countries=["FRA"]
        )
        InventoryEntryFactory(
            draft=True, title="Agency draft plan", organisation=agency
        )
        InventoryEntryFactory(
            draft=True,
            title="Hidden draft",
            organisation=hidden,
            partners=[agency],
        )
        InventoryEntryFactory(
            draft=True,
            title="Hidden partner draft",
            organisation=lab,
            partners=[hidden],
        )
    return {"led": led, "partnered": partnered, "other": other}


def page_titles(html):
    html = re.sub(r"</?mark>", "", html)
    return re.findall(
        r'<h[23]><a [^>]*?href="(?:/[a-z-]+)?/inventory/entries/\d+/"[^>]*>(.*?)</a>'
        r"</h[23]>",
        html,
    )


def api(client, params):
    response = client.get(API, params)
    assert response.status_code == 200, response.content
    return response.json()


def csv_titles(client, params):
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return [row["title"] for row in csv.DictReader(io.StringIO(text))]


def count_on_page(html):
    return int(re.search(r'class="result-count">(\d+) activit', html).group(1))


def everywhere(client, params):
    """The titles found by the search page, the API and the CSV, which must agree."""
    response = client.get(PAGE, {**params, "page_size": 100})
    assert response.status_code == 200
    html = response.content.decode()
    data = api(client, {**params, "page_size": 100})
    on_page = set(page_titles(html.split('class="results"', 1)[1]))
    from_api = {row["title"] for row in data["results"]}
    from_csv = csv_titles(client, params)
    assert count_on_page(html) == data["count"] == len(from_csv) == len(on_page)
    assert on_page == from_api == set(from_csv)
    return from_api


# --- Slugs ------------------------------------------------------------------------


def test_organisations_get_a_slug_from_their_name(organisations):
    assert organisations["agency"].slug == "agence-nationale-du-numerique"
    assert organisations["lab"].slug == "open-data-lab"
    assert organisations["agency"].get_absolute_url() == (
        "/organisations/agence-nationale-du-numerique/"
    )


# --- The organisation page ---------------------------------------------------------


def test_the_page_lists_activities_as_lead_and_as_partner_never_drafts(
    client, activities, organisations
):
    agency = organisations["agency"]
    response = client.get(f"/organisations/{agency.slug}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert page_titles(html) == ["Open data for schools", "Connected schools"]
    for entry in (activities["led"], activities["partnered"]):
        assert f'href="/inventory/entries/{entry.pk}/"' in html
    assert "Agency draft plan" not in html and "Hidden draft" not in html
    assert "Lab hackathon" not in html
    assert "1 as implementing organisation, 1 as partner." in html
    listed = html.split('class="entry-list"', 1)[1]
    assert listed.index("Partner") < listed.index("Implementing organisation")
    assert f'href="/inventory/?organisation={agency.slug}"' in html
    # Page title, description, breadcrumbs, the name isolated for bidi text.
    assert "<title>Agence nationale du numérique (ANN) — " in html
    assert '<meta name="description" content="Agence nationale du numérique' in html
    assert 'aria-label="Breadcrumb"' in html
    assert "<h1><bdi>Agence nationale du numérique (ANN)</bdi></h1>" in html
    assert 'href="/inventory/countries/SEN/">Senegal</a>' in html


def test_an_organisation_with_only_drafts_has_no_page(
    client, activities, organisations
):
    hidden = organisations["hidden"]
    assert client.get(f"/organisations/{hidden.slug}/").status_code == 404
    assert client.get("/organisations/no-such-organisation/").status_code == 404
    for malformed in ["Open-Data-Lab", "open data lab", "-lab", "%00", "a" * 101]:
        assert client.get(f"/organisations/{malformed}/").status_code == 404, malformed
    # Nor is it named on the pages of the published entries it has drafts with.
    page = client.get(f"/organisations/{organisations['lab'].slug}/").content.decode()
    assert "Drafts Only" not in page


def test_the_page_exists_under_every_language_prefix(client, activities, organisations):
    lab = organisations["lab"]
    for prefix in ("", "/fr", "/es", "/ru", "/zh-hans", "/ar"):
        response = client.get(f"{prefix}/organisations/{lab.slug}/")
        assert response.status_code == 200, prefix
    html = client.get(f"/ar/organisations/{lab.slug}/").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert "<bdi>Open Data Lab (ODL)</bdi>" in html
    assert "/ar/inventory/entries/" in html
    assert "/ar/inventory/?organisation=open-data-lab" in html


def test_activities_are_paginated_newest_first(client, indexed, organisations):
    agency = organisations["agency"]
    with indexed():
        for number in range(25):
            InventoryEntryFactory(title=f"Activity {number:02d}", organisation=agency)
    first = page_titles(client.get(f"/organisations/{agency.slug}/").content.decode())
    second = client.get(f"/organisations/{agency.slug}/", {"page": "2"})
    assert first == [f"Activity {number:02d}" for number in range(24, 4, -1)]
    assert page_titles(second.content.decode()) == [
        f"Activity {number:02d}" for number in range(4, -1, -1)
    ]
    for page in ["0", "x", "99", "-1", "٣"]:
        response = client.get(f"/organisations/{agency.slug}/", {"page": page})
        assert response.status_code == 200, page


def test_teams_and_designations_give_an_organisation_its_page(client, tree):
    member = organisation("Cyber Peace Institute", "CPI")
    facilitator = organisation("International Telecommunication Union", "ITU")
    candidate = organisation("Candidate Only Agency")
    TeamMembership.objects.create(team=tree.c5_team, organisation=member)
    designated = DesignationRoundFactory(action_line=tree.c5)
    FacilitatorDesignationFactory(
        round=designated,
        organisation=facilitator,
        role=FacilitatorRole.LEAD,
        term_start=datetime.date(2025, 4, 1),
    )
    FacilitatorDesignationFactory(
        round=DesignationRoundFactory(action_line=tree.c2, status=RoundStatus.OPEN),
        organisation=candidate,
    )
    html = client.get(f"/organisations/{member.slug}/").content.decode()
    assert f'href="{tree.c5_team.url}"' in html
    assert "No published activity in the inventory yet." in html
    html = client.get(f"/organisations/{facilitator.slug}/").content.decode()
    assert "<caption>" in html and '<th scope="row">' in html
    assert f'href="{tree.c5.url}">C5 — <bdi>Building confidence</bdi></a>' in html
    assert "2025–" in html
    # A round still open designated nobody yet.
    assert client.get(f"/organisations/{candidate.slug}/").status_code == 404


def test_a_translation_of_an_organisation_is_the_same_organisation(
    client, indexed, organisations
):
    from wagtail.models import Locale

    french = Locale.objects.get_or_create(language_code="fr")[0]
    agency = organisations["agency"]
    translation = StakeholderOrganisation.objects.create(
        translation_key=agency.translation_key,
        locale=french,
        name="Agence nationale du numérique (version française)",
        acronym="ANN",
        stakeholder_type=agency.stakeholder_type,
    )
    assert translation.slug == agency.slug
    with indexed():
        InventoryEntryFactory(
            title="Filed with the translation", organisation=translation
        )
        InventoryEntryFactory(title="Filed with the source", organisation=agency)
    html = client.get(f"/fr/organisations/{agency.slug}/").content.decode()
    assert "<h1><bdi>Agence nationale du numérique (version française) (ANN)" in html
    assert set(page_titles(html)) == {
        "Filed with the translation",
        "Filed with the source",
    }
    english = client.get(f"/organisations/{agency.slug}/").content.decode()
    assert "<h1><bdi>Agence nationale du numérique (ANN)</bdi></h1>" in english
    assert everywhere(client, {"organisation": agency.slug}) == {
        "Filed with the translation",
        "Filed with the source",
    }


# --- Linked from every place that names it -------------------------------------------


def organisation_href(org):
    return f'<a href="/organisations/{org.slug}/"><bdi>'


def test_entry_pages_and_search_results_link_the_organisations(
    client, activities, organisations
):
    partnered = activities["partnered"]
    html = client.get(f"/inventory/entries/{partnered.pk}/").content.decode()
    for key in ("lab", "agency", "schools"):
        assert organisation_href(organisations[key]) in html, key
    results = client.get(PAGE).content.decode().split('class="results"', 1)[1]
    assert f"{organisation_href(organisations['lab'])}ODL</bdi></a>" in results
    assert organisation_href(organisations["agency"]) in results
    assert organisation_href(organisations["hidden"]) not in results


def test_team_and_designation_lists_link_the_organisations(client, tree):
    member = organisation("Cyber Peace Institute", "CPI")
    facilitator = organisation("International Telecommunication Union", "ITU")
    TeamMembership.objects.create(team=tree.c5_team, organisation=member)
    FacilitatorDesignationFactory(
        round=DesignationRoundFactory(action_line=tree.c5),
        organisation=facilitator,
        term_start=datetime.date(2020, 1, 1),
    )
    team = client.get(tree.c5_team.url).content.decode()
    assert organisation_href(member) in team
    assert organisation_href(facilitator) in team
    for page in (tree.c5, tree.secretariat):
        html = client.get(page.url).content.decode()
        assert organisation_href(facilitator) in html, page.url


def test_indicative_facilitators_link_only_organisations_with_a_page(client, tree):
    from tests.factories import ActionLineFacilitatorFactory

    listed = organisation("United Nations Educational Organisation", "UNEO")
    linked = organisation("Linked Facilitator", "LF")
    TeamMembership.objects.create(team=tree.c2_team, organisation=linked)
    for org in (listed, linked):
        ActionLineFacilitatorFactory(page=tree.c5, organisation=org)
    for url in (tree.c5.url, tree.index.url):
        html = client.get(url).content.decode()
        assert organisation_href(linked) in html, url
        assert organisation_href(listed) not in html, url
        assert "<bdi>UNEO</bdi>" in html or "<bdi>United Nations" in html, url
    for href in re.findall(r'href="(/organisations/[^"]+)"', html):
        assert client.get(href).status_code == 200, href


# --- The filter, on both engines -----------------------------------------------------


def test_the_filter_finds_entries_the_organisation_leads_or_partners_in(
    client, activities, organisations
):
    agency, lab, schools = (organisations[k] for k in ("agency", "lab", "schools"))
    assert everywhere(client, {"organisation": agency.slug}) == {
        "Connected schools",
        "Open data for schools",
    }
    assert everywhere(client, {"organisation": schools.slug}) == {
        "Open data for schools"
    }
    # Values of the parameter are alternatives; other parameters must hold too.
    assert everywhere(client, {"organisation": [schools.slug, agency.slug]}) == {
        "Connected schools",
        "Open data for schools",
    }
    assert everywhere(client, {"organisation": [lab.slug, agency.slug]}) == {
        "Connected schools",
        "Open data for schools",
        "Lab hackathon",
    }
    assert everywhere(client, {"organisation": agency.slug, "country": "FRA"}) == {
        "Open data for schools"
    }
    assert everywhere(client, {"organisation": agency.slug, "q": "connected"}) == {
        "Connected schools"
    }
    # Any letter case, as the other codes.
    assert everywhere(client, {"organisation": "OPEN-DATA-LAB"}) == {
        "Open data for schools",
        "Lab hackathon",
    }


def test_the_page_shows_the_filter_in_force_by_name(client, activities, organisations):
    agency = organisations["agency"]
    html = client.get(PAGE, {"organisation": agency.slug}).content.decode()
    assert "Organisation: <bdi>Agence nationale du numérique (ANN)</bdi>" in html
    assert f'<input type="hidden" name="organisation" value="{agency.slug}">' in html


def test_unknown_and_draft_only_organisations_are_refused(
    client, activities, organisations
):
    """As an unknown country code.

    A 400 with the usual message, never an empty result that would tell an
    organisation with drafts from one that does not exist.
    """
    for value in [organisations["hidden"].slug, "no-such-organisation"]:
        data = client.get(API, {"organisation": value})
        assert data.status_code == 400
        assert data.json() == {
            "errors": [f"Unknown value for “organisation”: {value}."]
        }
        page = client.get(PAGE, {"organisation": value})
        assert page.status_code == 400
        assert "The search could not be run" in page.content.decode()
        assert client.get(EXPORT, {"organisation": value}).status_code == 400


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    values=st.lists(
        st.one_of(
            st.text(max_size=120),
            st.from_regex(r"[a-zA-Z0-9_-]{1,120}", fullmatch=True),
            st.sampled_from(
                ["open-data-lab", "OPEN-DATA-LAB", "-", "_", "a" * 100, "a" * 101]
            ),
        ),
        max_size=22,
    )
)
@example(values=["open-data-lab\x00"])
@example(values=["open-data-lab"] * 21)
@example(values=["<script>alert(1)</script>"])
@example(values=["' OR 1=1 --"])
def test_any_organisation_value_is_answered_never_with_a_500(
    activities, organisations, values
):
    client = Client()
    for path in (PAGE, API, EXPORT):
        response = client.get(path, {"organisation": values})
        assert response.status_code in (200, 400), (path, values)
        if path == API:
            assert response.json()
        elif path == PAGE:
            # The values come back escaped: no script but the site's own file.
            assert b"<script>" not in response.content
            assert response.content.count(b"<script") <= 1
        else:
            b"".join(response.streaming_content if response.streaming else [])


def test_a_new_slug_is_indexed_and_the_old_address_redirects(
    client, activities, organisations, django_capture_on_commit_callbacks, engine
):
    agency = organisations["agency"]
    old = agency.slug
    with django_capture_on_commit_callbacks(execute=True):
        agency.slug = "ann"
        agency.save()
    engine.refresh()
    assert everywhere(client, {"organisation": "ann"}) == {
        "Connected schools",
        "Open data for schools",
    }
    assert client.get(API, {"organisation": old}).status_code == 400
    for prefix in ("", "/fr", "/ar"):
        response = client.get(f"{prefix}/organisations/{old}/")
        assert response.status_code == 301, prefix
        assert response["Location"] == f"{prefix}/organisations/ann/"
    assert client.get("/organisations/ann/").status_code == 200


def test_a_rename_keeps_the_slug(organisations):
    agency = organisations["agency"]
    agency.name = "Agence du numérique du Sénégal"
    agency.save()
    agency.refresh_from_db()
    assert agency.slug == "agence-nationale-du-numerique"


def test_bulk_documents_carry_the_organisation_slugs(cluster, organisations):
    """The fast rebuild sends the same slugs as Wagtail's own documents."""
    partnered = InventoryEntryFactory(
        organisation=organisations["lab"],
        partners=[organisations["schools"], organisations["agency"]],
    )
    alone = InventoryEntryFactory()
    mapping = cluster.backend.mapping_class(InventoryEntry)
    plan = DocumentPlan(mapping)
    built = dict(
        pair
        for batch in documents(plan, InventoryEntry.objects.filter(live=True))
        for pair in batch
    )
    for entry in (partnered, alone):
        expected = mapping.get_document(InventoryEntry.objects.get(pk=entry.pk))
        assert built[str(entry.pk)] == expected
    column = next(
        mapping.get_field_column_name(field)
        for field in InventoryEntry.get_search_fields()
        if field.field_name == "organisation_slugs"
    )
    assert built[str(partnered.pk)][column] == [
        "agence-nationale-du-numerique",
        "open-data-lab",
        "reseau-des-ecoles",
    ]
    assert built[str(alone.pk)][column] == []


def test_the_organisation_link_tag_on_a_page_without_one(db):
    from django.template import Context, Template

    nobody = StakeholderOrganisationFactory(name="Nobody Yet", acronym="")
    html = Template("{% load inventory_links %}{% organisation_link org %}").render(
        Context({"org": nobody})
    )
    assert html == "<bdi>Nobody Yet</bdi>"
    assert reverse("organisation", args=[nobody.slug]) not in html
