"""The frameworks set by the facilitators' meetings.

Versions, the one in force, their comparison, and where they are followed (modalities,
contributions).
"""

import datetime

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.test.utils.form_data import rich_text

import pytest
from bs4 import BeautifulSoup

from action_lines.choices import FrameworkScope, MeetingKind
from action_lines.models import FrameworkPage, FrameworkVersion
from action_lines.models.frameworks import paragraphs, text_diff
from inventory.models import AnnualContribution
from tests.factories import MeetingIndexPageFactory, MeetingPageFactory
from tests.helpers.pages import publish

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)
FIRST = "<p>Each team meets once a year.</p><p>Each team publishes its modalities.</p>"
SECOND = (
    "<p>Each team meets twice a year.</p><p>Each team publishes its modalities.</p>"
    "<p>Each team reports by its annual contribution.</p>"
)


@pytest.fixture
def meetings(tree):
    index = MeetingIndexPageFactory(
        parent=tree.secretariat,
        title="Facilitators' meetings",
        slug="facilitators-meetings",
        kind=MeetingKind.FACILITATORS,
    )
    publish(index)
    made = {}
    for key, days in (("past", -400), ("recent", -10)):
        start = timezone.now() + datetime.timedelta(days=days)
        made[key] = publish(
            MeetingPageFactory(
                parent=index,
                title=f"Facilitators' meeting ({key})",
                start=start,
                end=start + datetime.timedelta(hours=6),
                registration_open=False,
            )
        )
    return made


def framework(tree, meeting, scope=FrameworkScope.TEAMS, text=FIRST, **fields):
    page = FrameworkPage(
        title=fields.pop("title", "Framework of the teams' activities"),
        slug=fields.pop("slug", f"{scope}-framework"),
        scope=scope,
        adopted_at=meeting,
        text=text,
        **fields,
    )
    tree.secretariat.add_child(instance=page)
    return publish(page)


def republish(page, user=None, **changes):
    page = FrameworkPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return publish(page, user)


def text_of(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def get(url, status=200):
    response = Client().get(url)
    assert response.status_code == status, url
    return response


# --- Versions ----------------------------------------------------------------------


def test_each_change_published_is_a_new_version(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - 300 * DAY)
    assert list(page.versions.values_list("number", flat=True)) == [1]
    first = page.versions.get()
    assert first.adopted_at == meetings["past"]
    assert first.text == FIRST
    assert first.revision == FrameworkPage.objects.get(pk=page.pk).live_revision

    republish(page, title="Framework of the teams' activities (renamed)")
    assert page.versions.count() == 1  # the framework itself did not change

    republish(page, text=SECOND, adopted_at=meetings["recent"], in_force_from=None)
    second = page.versions.get(number=2)
    assert second.adopted_at == meetings["recent"]
    # Without a date of its own, a version applies from its meeting's day.
    assert second.in_force_from == meetings["recent"].local_start.date()


def test_draft_changes_are_not_versions(tree, meetings):
    page = framework(tree, meetings["past"])
    draft = FrameworkPage.objects.get(pk=page.pk)
    draft.text = SECOND
    draft.save_revision()
    assert page.versions.count() == 1
    text = text_of(get(page.url))
    assert "Each team meets once a year." in text
    assert "twice a year" not in text


def test_version_in_force_is_the_latest_that_applies(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - 300 * DAY)
    republish(
        page,
        text=SECOND,
        adopted_at=meetings["recent"],
        in_force_from=TODAY() + 30 * DAY,
    )
    page = FrameworkPage.objects.get(pk=page.pk)
    assert page.version_in_force().number == 1
    assert page.upcoming_version().number == 2
    assert page.version_in_force(on=TODAY() + 30 * DAY).number == 2
    assert page.version_in_force(on=TODAY() - 301 * DAY) is None
    in_force = FrameworkVersion.in_force(FrameworkScope.TEAMS)
    assert in_force.number == 1
    assert FrameworkVersion.in_force(FrameworkScope.INVENTORY) is None

    # The public page states the version in force, not the page's latest text,
    # and announces the next one.
    text = text_of(get(page.url))
    assert "Each team meets once a year." in text
    assert "Each team meets twice a year." not in text
    assert "Version 2 has been adopted and comes into force on" in text
    assert "Facilitators' meeting (past)" in text


def test_unpublished_framework_has_no_version_in_force(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - DAY)
    FrameworkPage.objects.get(pk=page.pk).unpublish()
    assert FrameworkVersion.in_force(FrameworkScope.TEAMS) is None
    get(page.url, 404)
    get(f"{page.url}versions/", 404)


def test_one_page_per_framework(tree, meetings):
    framework(tree, meetings["past"])
    other = FrameworkPage(
        title="Another", slug="another", scope=FrameworkScope.TEAMS, text=FIRST
    )
    other.adopted_at = meetings["past"]
    other.locale = tree.secretariat.locale
    with pytest.raises(ValidationError) as refused:
        other.clean()
    assert "scope" in refused.value.message_dict


# --- Public version list, versions and comparison -----------------------------------


@pytest.fixture
def two_versions(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - 300 * DAY)
    republish(page, text=SECOND, adopted_at=meetings["recent"], in_force_from=None)
    return FrameworkPage.objects.get(pk=page.pk)


def test_version_list(two_versions):
    soup = BeautifulSoup(get(f"{two_versions.url}versions/").content, "html.parser")
    rows = soup.select("tbody tr")
    assert [row.th.get_text(" ", strip=True) for row in rows] == [
        "Version 2 (in force)",
        "Version 1",
    ]
    compare = rows[0].find("a", string="Compare with the previous version")
    assert compare["href"] == f"{two_versions.url}compare/?from=1&to=2"
    form = soup.find("form", class_="compare-form")
    assert form["action"] == f"{two_versions.url}compare/"
    assert form.find("label", attrs={"for": "compare-from"})


def test_each_version_stays_readable(two_versions):
    text = text_of(get(f"{two_versions.url}versions/1/"))
    assert "Each team meets once a year." in text
    assert "This is not the version in force: version 2 is." in text
    text = text_of(get(f"{two_versions.url}versions/2/"))
    assert "Each team reports by its annual contribution." in text
    assert "This is not the version in force" not in text
    get(f"{two_versions.url}versions/3/", 404)


def test_comparison_of_two_versions(two_versions):
    response = get(f"{two_versions.url}compare/?from=1&to=2")
    soup = BeautifulSoup(response.content, "html.parser")
    items = soup.select("ol.text-diff li")
    kinds = [item["class"][0] for item in items]
    assert kinds == ["text-diff__changed", "text-diff__same", "text-diff__added"]
    changed = items[0]
    assert [d.get_text(" ", strip=True) for d in changed.find_all("del")] == [
        "removed: once"
    ]
    assert [i.get_text(" ", strip=True) for i in changed.find_all("ins")] == [
        "added: twice"
    ]
    assert items[2].ins.get_text(" ", strip=True) == (
        "Paragraph added: Each team reports by its annual contribution."
    )
    # Both ways, and a version against itself.
    back = BeautifulSoup(
        get(f"{two_versions.url}compare/?from=2&to=1").content, "html.parser"
    )
    assert back.select("li.text-diff__removed")
    same = get(f"{two_versions.url}compare/?from=2&to=2")
    assert "These two versions have the same text." in text_of(same)


@pytest.mark.parametrize(
    "query",
    ["", "?from=1", "?from=1&to=9", "?from=x&to=2", "?from=-1&to=2", "?from=１&to=2"],
)
def test_comparison_of_unknown_versions_is_not_found(two_versions, query):
    get(f"{two_versions.url}compare/{query}", 404)


def test_text_diff_paragraph_by_paragraph():
    assert paragraphs(
        "<h2>Title</h2><p>One <b>bold</b>\nline.</p><ul><li>A</li></ul>"
    ) == [
        "Title",
        "One bold line.",
        "A",
    ]
    assert text_diff(
        "<p>a b c</p><p>same</p>", "<p>a x c</p><p>same</p><p>new</p>"
    ) == [
        {
            "kind": "changed",
            "parts": [("same", "a"), ("removed", "b"), ("added", "x"), ("same", "c")],
        },
        {"kind": "same", "text": "same"},
        {"kind": "added", "text": "new"},
    ]
    assert text_diff("<p>gone</p>", "") == [{"kind": "removed", "text": "gone"}]


def test_admin_compares_revisions_for_the_secretariat(two_versions, users, client_for):
    revisions = list(two_versions.revisions.order_by("pk"))
    url = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[two_versions.pk, revisions[0].pk, revisions[-1].pk],
    )
    response = client_for(users["secretariat"]).get(url)
    assert response.status_code == 200
    assert "twice" in response.content.decode()
    refused = client_for(users["c5_facilitator"]).get(url)
    assert refused.status_code == 302  # back to the dashboard


def test_secretariat_edits_a_framework_in_the_admin(tree, meetings, users, client_for):
    """The Secretariat's change becomes a version only once published.

    The Secretariat's change goes through its approval workflow before it is a
    version; the version appears when the change is published.
    """
    page = framework(tree, meetings["past"], in_force_from=TODAY() - DAY)
    client = client_for(users["secretariat"])
    data = {
        "title": page.title,
        "slug": page.slug,
        "scope": page.scope,
        "adopted_at": meetings["recent"].pk,
        "in_force_from": "",
        "text": rich_text(SECOND),
        "action-publish": "action-publish",
    }
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    assert FrameworkPage.objects.get(pk=page.pk).versions.count() == 2


# --- Where the frameworks are followed ---------------------------------------------


def test_modalities_link_to_the_framework_in_force(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - DAY)
    soup = BeautifulSoup(get(tree.c5_modalities.url).content, "html.parser")
    link = soup.find("a", string="Read the framework in force")
    assert link["href"] == page.url
    assert "version 1, in force since" in soup.get_text(" ", strip=True)


def test_modalities_without_a_framework_say_nothing_of_it(tree):
    html = get(tree.c5_modalities.url).content.decode()
    assert "Read the framework in force" not in html


def test_meeting_lists_the_frameworks_it_adopted(tree, meetings):
    page = framework(tree, meetings["past"], in_force_from=TODAY() - DAY)
    soup = BeautifulSoup(get(meetings["past"].url).content, "html.parser")
    section = soup.find(id="frameworks-heading").parent
    assert section.a["href"] == f"{page.url}versions/1/"
    assert "version 1" in section.get_text()


def test_secretariat_page_lists_the_frameworks_in_force(tree, meetings):
    framework(tree, meetings["past"], in_force_from=TODAY() - DAY)
    text = text_of(get(tree.secretariat.url))
    assert "Frameworks in force" in text
    assert "version 1, in force since" in text


def contribution_data(team, year):
    return {
        "team": team.pk,
        "year": year,
        "narrative": rich_text("<p>A busy year.</p>"),
        "entries": [],
    }


def test_contribution_records_the_inventory_framework_in_force(
    tree, meetings, users, client_for
):
    inventory = framework(
        tree,
        meetings["past"],
        scope=FrameworkScope.INVENTORY,
        title="Framework for the inventory follow-up",
        in_force_from=TODAY() - 300 * DAY,
    )
    framework(tree, meetings["past"], in_force_from=TODAY() - 300 * DAY)  # teams'
    client = client_for(users["c5_facilitator"])
    response = client.post(
        reverse("annual_contributions:add"), contribution_data(tree.c5_team, 2025)
    )
    assert response.status_code == 302
    contribution = AnnualContribution.objects.get(team=tree.c5_team)
    assert contribution.framework_version == inventory.versions.get(number=1)

    # A later version is followed by later contributions, not by this one.
    republish(inventory, text=SECOND, in_force_from=TODAY() - DAY)
    client.post(
        reverse("annual_contributions:edit", args=[contribution.pk]),
        contribution_data(tree.c5_team, 2025),
    )
    assert AnnualContribution.objects.get(pk=contribution.pk).framework_version == (
        inventory.versions.get(number=1)
    )
    client_for(users["c2_facilitator"]).post(
        reverse("annual_contributions:add"), contribution_data(tree.c2_team, 2025)
    )
    assert AnnualContribution.objects.get(team=tree.c2_team).framework_version == (
        inventory.versions.get(number=2)
    )
    inspect = client_for(users["c5_facilitator"]).get(
        reverse("annual_contributions:inspect", args=[contribution.pk])
    )
    assert inspect.status_code == 200, inspect
    assert "Framework for the inventory follow-up, version 1" in text_of(inspect)


def test_contribution_before_any_framework_records_none(tree):
    contribution = AnnualContribution.objects.create(
        team=tree.c5_team, year=2025, narrative="<p>x</p>"
    )
    assert contribution.framework_version is None
