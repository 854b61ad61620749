"""Who may download a document from the library (``/documents/<id>/<name>``).

Wagtail serves every document to anyone who has its address, unless its
collection is private. Documents are uploaded while a page is drafted, long
before it is published, and some are never published at all: by id alone they
were public the moment they were uploaded.

The rule, checked on every download:

1. A collection made private in the admin (Documents → collection → Privacy:
   Wagtail's ``CollectionViewRestriction``, by sign-in, groups or password)
   keeps its documents private whatever links to them: Wagtail's own check
   applies after this one, unchanged. That is the place for documents that are
   internal by nature.
2. Otherwise a document is public once a live page that the visitor may see
   links to it (a document block or a document link in its rich text), as
   recorded by Wagtail's reference index, which follows what is published: a
   draft's new links count only once it is published, and a document is no
   longer public once the last page that published it is unpublished or drops
   the link.
3. Until then, only those who can see the document in the admin (choose or
   edit it, e.g. to preview a draft that uses it) download it; everyone else
   gets a 404, as if it did not exist.

The reference index is updated by a background task after each save: a page
just published makes its documents public a few seconds later.

Reports' PDFs are not documents: they are stored per published revision and
served only through the live report's own address (``reporting.models.ReportPDF``).
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404

from wagtail.documents import get_document_model
from wagtail.models import Page, ReferenceIndex
from wagtail.permissions import policy_registry


def pages_linking_to(document):
    """Return the live pages that link to ``document``."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
    )
    return Page.objects.live().filter(pk__in=[int(pk) for pk in page_ids])


def visible_to(page, request):
    return all(
        restriction.accept_request(request)
        for restriction in page.get_view_restrictions()
    )


def may_download(document, request):
    user = request.user
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_any_permission_for_instance(
        user, ["change", "choose"], document
    ):
        return True
    return any(visible_to(page, request) for page in pages_linking_to(document))


def refuse_unpublished_documents(document, request):
    """``before_serve_document`` hook: a 404 for a document nobody published."""
    if not may_download(document, request):
        raise Http404
