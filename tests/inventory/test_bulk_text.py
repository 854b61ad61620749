"""The bulk indexer's rich-text extraction equals Wagtail's, on any input."""

from wagtail.rich_text import get_text_for_indexing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.bulk_index import _PLAIN_HTML, text_for_indexing

# Pieces of HTML, well- and ill-formed, that a description may hold.
PIECES = [
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br/>",
    "<br />",
    "<hr/>",
    "</li>",
    "<h2>",
    "</h2>",
    "</H3>",
    "<blockquote>",
    "</blockquote>",
    '<a href="https://example.org/?a=1&amp;b=2">',
    '<a linktype="page" id="3">',
    "</a>",
    '<embed embedtype="image" id="1" format="left" alt="A &quot;photo&quot;"/>',
    "&amp;",
    "&lt;",
    "&gt;",
    "&nbsp;",
    "&#233;",
    "&#xE9;",
    "&eacute",
    "&",
    "<",
    ">",
    "a > b",
    "<!-- note -->",
    "<script>x < y</script>",
    "<textarea>&amp;</textarea>",
    "<p class='single'>",
    '<p title="a>b">',
    "<a href=unquoted>",
    "<input disabled>",
    "</p >",
    "<<p>>",
    " ",
    "\n",
    "\t",
    "Écoles connectées",
    "مدارس",
    "text",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=25))
def test_pieces_of_html_give_wagtails_text(pieces):
    html = "".join(pieces)
    assert text_for_indexing(html) == get_text_for_indexing(html)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="<>/&;#x=\"' pbrahli1E\n", max_size=60))
def test_arbitrary_markup_characters_give_wagtails_text(html):
    assert text_for_indexing(html) == get_text_for_indexing(html)


@pytest.mark.parametrize(
    "html",
    [
        "<p>Fibre <b>and</b> training</p><p>for 300 schools</p>",
        '<h2>Goals</h2><ul><li>One</li><li>Two &amp; three</li></ul><p><a href="https://e.org/">link</a><br/>next</p>',
        "",
        "plain words",
    ],
)
def test_editor_rich_text_takes_the_fast_way_and_matches(html):
    assert _PLAIN_HTML.fullmatch(html)
    assert text_for_indexing(html) == get_text_for_indexing(html)
