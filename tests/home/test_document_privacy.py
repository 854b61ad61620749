"""Documents are public only once a live page links to them.

Documents are public only once a live page links to them, and never when their
collection is private (home.documents).
"""

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.test import Client

from wagtail.documents import get_document_model
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

import pytest

from tests.factories import MeetingPageFactory
from tests.helpers.pages import publish

PDF = b"%PDF-1.7\nminutes of the meeting\n"


@pytest.fixture(autouse=True)
def media(db, settings, tmp_path):
    """Documents are served from files on disk, as in production."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def upload(title="Meeting minutes", collection=None, **values):
    return get_document_model().objects.create(
        title=title,
        file=ContentFile(PDF, name="minutes.pdf"),
        collection=collection or Collection.get_first_root_node(),
        **values,
    )


def linking(document):
    return [("document", {"document": document, "label": "Minutes"})]


def downloads(document, client=None):
    response = (client or Client()).get(document.url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
    return response.status_code


@pytest.fixture
def meeting(tree):
    """A live meeting page of the C5 team."""
    return tree.c5_meeting


def test_a_document_nobody_published_is_not_public_by_id(tree):
    document = upload()
    assert downloads(document) == 404


def test_a_document_linked_only_from_a_draft_is_not_public(tree, meeting):
    document = upload()
    draft = meeting.get_latest_revision_as_object()
    draft.documents = linking(document)
    draft.save_revision()
    assert downloads(document) == 404
    unpublished = MeetingPageFactory(
        parent=tree.c5_meetings,
        title="Planned",
        live=False,
        documents=linking(document),
    )
    assert not unpublished.live
    assert downloads(document) == 404


def test_a_document_is_public_once_a_live_page_links_to_it(tree, meeting):
    document = upload()
    page = meeting.get_latest_revision_as_object()
    page.documents = linking(document)
    publish(page)
    assert downloads(document) == 200
    # ... and no longer once that page is unpublished.
    type(meeting).objects.get(pk=meeting.pk).unpublish()
    assert downloads(document) == 404


def test_a_document_linked_in_published_rich_text_is_public(tree):
    document = upload()
    body = f'<p>See <a linktype="document" id="{document.pk}">the minutes</a>.</p>'
    team = tree.c5_team.get_latest_revision_as_object()
    team.purpose = body
    publish(team)
    assert downloads(document) == 200


def test_a_document_in_a_private_collection_is_not_public_even_when_linked(
    tree, meeting
):
    internal = Collection.get_first_root_node().add_child(name="Internal")
    restriction = CollectionViewRestriction.objects.create(
        collection=internal, restriction_type=CollectionViewRestriction.LOGIN
    )
    document = upload(collection=internal)
    page = meeting.get_latest_revision_as_object()
    page.documents = linking(document)
    publish(page)
    response = Client().get(document.url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]

    restriction.restriction_type = CollectionViewRestriction.GROUPS
    restriction.save()
    restriction.groups.set([Group.objects.get(name="Secretariat")])
    assert downloads(document) == 302


def test_a_document_on_a_private_page_follows_the_page(
    tree, meeting, users, client_for
):
    document = upload()
    page = meeting.get_latest_revision_as_object()
    page.documents = linking(document)
    publish(page)
    PageViewRestriction.objects.create(
        page=meeting, restriction_type=PageViewRestriction.LOGIN
    )
    assert downloads(document) == 404
    assert downloads(document, client_for(users["public"])) == 200


def test_people_who_can_choose_it_in_the_admin_download_an_unpublished_document(
    tree, users, client_for
):
    """E.g. to preview the draft page that uses it."""
    document = upload()
    assert downloads(document, client_for(users["c5_facilitator"])) == 200
    assert downloads(document, client_for(users["secretariat"])) == 200
    assert downloads(document, client_for(users["public"])) == 404
    assert downloads(document, client_for(users["report_reviewer"])) == 404
