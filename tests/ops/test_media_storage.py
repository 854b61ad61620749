"""Uploaded files in an S3-compatible bucket, as several servers share them.

The storage is the one production builds from MEDIA_S3_BUCKET (django-storages'
S3Storage); the bucket is served by moto's S3 server on loopback, a real S3 API
over HTTP. An editor uploads through Wagtail's admin; the public fetches
through the site (documents) or the bucket's signed address (image renditions).
"""

import io
import urllib.error
import urllib.request

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from wagtail.documents.models import Document
from wagtail.images.models import Image

import boto3
import pytest
from moto.server import ThreadedMotoServer
from PIL import Image as PILImage

from cms.settings.base import media_storage

from .servers import free_port

BUCKET = "wsis-media"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def s3_server(monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "local-test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "local-test-secret")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def bucket_storage(s3_server, settings):
    endpoint, client = s3_server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(BUCKET, endpoint, "us-east-1"),
    }
    return client


def keys(client):
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def fetch(url):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.status, response.read()


def png(width=300, height=200):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_document_uploaded_to_the_bucket_is_served_by_the_site(
    bucket_storage, users, client_for
):
    editor = client_for(users["superuser"])
    response = editor.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Agenda",
            "file": SimpleUploadedFile("agenda.pdf", PDF),
            "collection": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.get()
    assert document.file.name in keys(bucket_storage)
    stored = bucket_storage.get_object(Bucket=BUCKET, Key=document.file.name)
    assert stored["Body"].read() == PDF

    # Served from the bucket (no shared disk). A document no live page links to
    # is served to those who may change documents only.
    response = editor.get(document.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
def test_two_uploads_of_one_name_are_two_files(bucket_storage, users, client_for):
    editor = client_for(users["superuser"])
    for content in (PDF, PDF.replace(b"Catalog", b"Catalog ")):
        response = editor.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Agenda",
                "file": SimpleUploadedFile("agenda.pdf", content),
                "collection": 1,
            },
        )
        assert response.status_code == 302
    first, second = Document.objects.order_by("pk")
    assert first.file.name != second.file.name
    assert {first.file.name, second.file.name} <= keys(bucket_storage)


@pytest.mark.django_db
def test_an_image_and_its_rendition_live_in_the_bucket(
    bucket_storage, users, client_for
):
    editor = client_for(users["superuser"])
    response = editor.post(
        reverse("wagtailimages:add"),
        {
            "title": "Logo",
            "file": SimpleUploadedFile("logo.png", png()),
            "collection": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert image.file.name in keys(bucket_storage)

    rendition = image.get_rendition("fill-100x100")
    assert rendition.file.name in keys(bucket_storage)
    # Private objects: the address is signed, and fetching it gives the image.
    assert "Signature=" in rendition.url or "X-Amz-Signature=" in rendition.url
    status, body = fetch(rendition.url)
    assert status == 200
    assert PILImage.open(io.BytesIO(body)).size == (100, 100)
    # Unsigned, the bucket refuses.
    with pytest.raises(urllib.error.HTTPError) as refused:
        fetch(rendition.url.split("?")[0])
    assert refused.value.code == 403
