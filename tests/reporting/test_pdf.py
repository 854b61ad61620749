"""The report's PDF.

Rendered once per published revision in the background and served from storage; a
draft's PDF only as a rate-limited preview for the people who may preview it.
"""

import datetime
import io

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

import pytest
from pypdf import PdfReader

import reporting.pdf
from reporting.assembly import assemble_and_save
from reporting.models import ReportPDF
from tests.helpers.admin import edit_url, report_page_data
from tests.helpers.pages import refreshed


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def body(response):
    return b"".join(response.streaming_content)


@pytest.fixture
def renders(monkeypatch):
    """Return the titles of the reports rendered as PDF, in order.

    The titles of the reports rendered as PDF, in order (the real rendering runs; it
    is only counted).
    """
    rendered = []
    render = reporting.pdf.render_pdf

    def counted(report, request):
        rendered.append(report.title)
        return render(report, request)

    monkeypatch.setattr(reporting.pdf, "render_pdf", counted)
    return rendered


@pytest.fixture
def publish(users, client_for, django_capture_on_commit_callbacks):
    """Publish the report from its editor.

    Publishes the report from its editor (a superuser, who is not bound by the
    review); ``worker=False`` leaves the queued tasks unrun, as if the worker had
    not got to them yet.
    """

    def run(report, worker=True, **changes):
        client = client_for(users["superuser"])
        data = report_page_data(refreshed(report), **changes)
        with django_capture_on_commit_callbacks(execute=worker) as callbacks:
            response = client.post(edit_url(report), {**data, "action-publish": "1"})
        assert response.status_code == 302, response.content[:2000]
        client.logout()
        page = refreshed(report)
        assert page.live
        return page, callbacks

    return run


@pytest.fixture
def assembled(report, inventory):
    assemble_and_save(report)
    return refreshed(report)


def test_publishing_renders_the_pdf_once_and_readers_get_the_stored_file(
    assembled, publish, renders, client
):
    report, _callbacks = publish(assembled)
    assert renders == [report.title]
    stored = ReportPDF.objects.get()
    assert stored.revision_id == report.live_revision_id
    assert stored.status == ReportPDF.Status.DONE
    assert default_storage.exists(stored.file.name)
    with default_storage.open(stored.file.name) as file:
        saved = file.read()

    for _reader in range(5):
        response = client.get(report.url + "pdf/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="report-2025.pdf"'
        assert body(response) == saved
    assert renders == [report.title]
    text = pdf_text(saved)
    assert report.title in text
    assert "The inventory records 6 published activities for the period" in text


def test_readers_before_the_rendering_get_a_clear_page_and_render_nothing(
    assembled, publish, renders, client
):
    report, callbacks = publish(assembled, worker=False)
    for _reader in range(8):
        response = client.get(report.url + "pdf/")
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        text = response.content.decode()
        assert "The PDF is being prepared" in text
        assert f'href="{report.url}print/"' in text
    assert renders == []
    assert ReportPDF.objects.get().status == ReportPDF.Status.QUEUED

    # The worker gets to the one task queued at publication.
    for callback in callbacks:
        callback()
    assert renders == [report.title]
    assert client.get(report.url + "pdf/").status_code == 200
    assert renders == [report.title]


def test_a_task_queued_twice_renders_once(assembled, publish, renders):
    from reporting.tasks import render_report_pdf

    report, _callbacks = publish(assembled)
    stored = ReportPDF.objects.get()
    assert render_report_pdf(stored.pk) is None
    ReportPDF.objects.filter(pk=stored.pk).update(status=ReportPDF.Status.RENDERING)
    assert render_report_pdf(stored.pk) is None  # another worker is on it
    assert renders == [report.title]


def test_a_stalled_rendering_is_queued_again_once(
    assembled, publish, renders, client, django_capture_on_commit_callbacks
):
    """A worker killed mid-render.

    After a while, the next reader queues it again, once, however many readers come.
    """
    report, _callbacks = publish(assembled, worker=False)
    stored = ReportPDF.objects.get()
    ReportPDF.objects.filter(pk=stored.pk).update(
        status=ReportPDF.Status.RENDERING,
        updated_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    with django_capture_on_commit_callbacks(execute=False) as queued:
        for _reader in range(8):
            assert client.get(report.url + "pdf/").status_code == 503
    assert len(queued) == 1
    queued[0]()
    assert renders == [report.title]
    assert client.get(report.url + "pdf/").status_code == 200


def test_a_failed_rendering_is_recorded_and_tried_again_later(
    assembled, publish, renders, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(report, request):
        raise RuntimeError("no fonts")

    with monkeypatch.context() as patch:
        patch.setattr(reporting.pdf, "render_pdf", broken)
        report, _callbacks = publish(assembled)
    stored = ReportPDF.objects.get()
    assert stored.status == ReportPDF.Status.FAILED
    assert stored.error == "RuntimeError: no fonts"
    assert client.get(report.url + "pdf/").status_code == 503
    assert renders == []

    ReportPDF.objects.filter(pk=stored.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(report.url + "pdf/").status_code == 503
    assert renders == [report.title]
    assert client.get(report.url + "pdf/").status_code == 200


def test_a_report_published_without_a_stored_pdf_gets_one(
    assembled, publish, renders, client, django_capture_on_commit_callbacks
):
    """E.g. published before PDFs were stored: the first reader queues it."""
    report, _callbacks = publish(assembled, worker=False)
    ReportPDF.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        for _reader in range(3):
            client.get(report.url + "pdf/")
    assert ReportPDF.objects.get().revision_id == report.live_revision_id
    assert renders == [report.title]
    assert client.get(report.url + "pdf/").status_code == 200


def test_a_new_revision_gets_its_own_file_never_the_old_one(
    assembled, publish, renders, client
):
    first, _callbacks = publish(assembled)
    old = body(client.get(first.url + "pdf/"))

    second, callbacks = publish(first, worker=False, title="Corrected report 2025")
    assert second.live_revision_id != first.live_revision_id
    # Not rendered yet: the old revision's PDF is not served for the new one.
    assert client.get(second.url + "pdf/").status_code == 503
    for callback in callbacks:
        callback()
    new = body(client.get(second.url + "pdf/"))
    assert new != old
    assert "Corrected report 2025" in pdf_text(new)
    assert "Corrected report 2025" not in pdf_text(old)
    assert renders == [first.title, "Corrected report 2025"]
    files = set(ReportPDF.objects.values_list("file", flat=True))
    assert len(files) == 2


def test_unpublished_reports_pdf_is_not_served(assembled, publish, renders, client):
    report, _callbacks = publish(assembled)
    stored = ReportPDF.objects.get()
    refreshed(report).unpublish()
    assert client.get(report.url + "pdf/").status_code == 404
    # The file stays in storage, which the site does not serve.
    assert default_storage.exists(stored.file.name)
    assert client.get("/media/" + stored.file.name).status_code == 404


def test_deleting_a_revision_deletes_its_file(assembled, publish, renders):
    report, _callbacks = publish(assembled)
    stored = ReportPDF.objects.get()
    name = stored.file.name
    report = refreshed(report)
    report.live_revision.delete()
    assert not ReportPDF.objects.exists()
    assert not default_storage.exists(name)


# --- Previews of drafts -----------------------------------------------------------


def preview_url(report):
    return reverse("wagtailadmin_pages:preview_on_edit", args=[report.pk])


def test_editors_preview_the_draft_as_pdf(assembled, users, client_for, renders):
    client = client_for(users["secretariat"])
    data = report_page_data(assembled, title="Draft title, not published")
    response = client.post(preview_url(assembled), data)
    assert response.json()["is_valid"] is True
    response = client.get(preview_url(assembled) + "?mode=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Draft title, not published" in pdf_text(response.content)
    assert renders == ["Draft title, not published"]
    assert not ReportPDF.objects.exists()


def test_draft_pdf_previews_are_rate_limited(
    assembled, users, client_for, renders, settings
):
    settings.REPORT_PDF_PREVIEW_RATE_LIMIT = 2
    cache.clear()  # the counters of earlier tests
    client = client_for(users["secretariat"])
    client.post(preview_url(assembled), report_page_data(assembled))
    url = preview_url(assembled) + "?mode=pdf"
    assert [client.get(url).status_code for _i in range(3)] == [200, 200, 429]
    response = client.get(url)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Too many PDF previews" in response.content.decode()
    assert len(renders) == 2
    # The web page preview is not limited.
    assert client.get(preview_url(assembled)).status_code == 200


def test_the_public_cannot_preview_a_draft_pdf(assembled, users, client_for, renders):
    for user in (None, users["public"], users["c5_facilitator"]):
        client = client_for(user)
        response = client.get(preview_url(assembled) + "?mode=pdf")
        assert response.status_code in (302, 403), user
        assert response.get("Content-Type") != "application/pdf"
    assert renders == []
