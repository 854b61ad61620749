"""Production settings, CSP, lockout, rate limits and upload checks.

Production settings, the Content Security Policy, sign-in lockout, rate limits on the
public forms, and the checks on uploaded documents.
"""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from wagtail.documents.models import Document

import pytest

from home.uploads import check_upload
from tests.helpers.commands import PRODUCTION_ENV, manage
from tests.helpers.pages import publish
from tests.helpers.public_forms import join_data, registration_data


def test_production_passes_check_deploy_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


# Two requests on one SQLite file, as the web server and the worker run: the
# first reads inside its request's transaction, the second writes meanwhile,
# then the first writes. Each request is one transaction (ATOMIC_REQUESTS).
CONCURRENT_WRITES = """
import threading, time
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS probe (n integer)")
first_read = threading.Event()
outcome = {}

def other_request():
    first_read.wait()
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO probe VALUES (2)")
            time.sleep(0.5)
        outcome["other"] = "ok"
    except Exception as error:
        outcome["other"] = repr(error)
    finally:
        connection.close()

thread = threading.Thread(target=other_request)
thread.start()
try:
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM probe")
            first_read.set()
            time.sleep(0.2)
            cursor.execute("INSERT INTO probe VALUES (1)")
    outcome["first"] = "ok"
except Exception as error:
    first_read.set()
    outcome["first"] = repr(error)
thread.join()
print(outcome)
"""


def test_production_on_sqlite_serves_concurrent_writers_without_locked_errors(
    tmp_path,
):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = manage("shell", "-c", CONCURRENT_WRITES, **env)
    assert result.returncode == 0, result.stderr
    last_line = result.stdout.strip().splitlines()[-1]
    assert last_line == "{'first': 'ok', 'other': 'ok'}", result.stdout


@pytest.mark.django_db
def test_public_pages_carry_a_strict_content_security_policy(tree, client):
    for url in ["/", tree.c5.url, tree.c5_team.url, "/inventory/", "/search/?q=x"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy
        assert "object-src 'none'" in policy
        # No inline script anywhere on the public pages.
        assert b"<script>" not in response.content
        assert b" onclick=" not in response.content


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_account_with_a_429_page(users):
    cache.clear()
    login = reverse("wagtailadmin_login")
    client = Client()
    for _ in range(4):
        response = client.post(login, {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
    # The fifth failure locks.
    response = client.post(login, {"username": "editor", "password": "wrong"})
    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    # Even the right password is refused while locked.
    users["inventory_editor"].set_password("right-password-1")
    users["inventory_editor"].save()
    response = client.post(
        login, {"username": "editor", "password": "right-password-1"}
    )
    assert response.status_code == 429


@pytest.mark.django_db
def test_a_successful_sign_in_is_not_locked(users):
    cache.clear()
    users["inventory_editor"].set_password("right-password-1")
    users["inventory_editor"].save()
    client = Client()
    login = reverse("wagtailadmin_login")
    client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(
        login, {"username": "editor", "password": "right-password-1"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("form", ["join", "register"])
def test_public_forms_are_rate_limited_with_a_429_page(tree, settings, form):
    cache.clear()
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    if form == "join":
        url, data = f"{tree.c5_team.url}join/", join_data()
    else:
        url, data = f"{tree.c5_meeting.url}register/", registration_data()
    client = Client()
    for _ in range(2):
        assert client.post(url, data).status_code in {200, 302, 400}
    response = client.post(url, data)
    assert response.status_code == 429
    # The time left in the hour's window (tests/home/test_ratelimit.py pins it).
    assert 0 < int(response["Retry-After"]) <= 3600
    assert b"Too many requests" in response.content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"%PDF-1.7\n..."),
        ("minutes.docx", b"PK\x03\x04rest-of-zip"),
        ("data.csv", "pays,valeur\nSénégal,3\n".encode()),
        ("notes.txt", b"Agenda of the meeting"),
        ("letter.rtf", b"{\\rtf1\\ansi hello}"),
    ],
)
def test_upload_check_accepts_genuine_files(name, content):
    check_upload(SimpleUploadedFile(name, content))


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", b"<html><script>alert(1)</script></html>", "signature"),
        ("report.pdf", b"MZ\x90\x00 windows program", "executable"),
        ("tool.docx", b"\x7fELF\x02\x01", "executable"),
        ("notes.txt", b"#!/bin/sh\nrm -rf /", "executable"),
        ("page.txt", b"  <!DOCTYPE html><html>", "markup"),
        ("data.csv", b"a,b\x00\x01", "binary"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_upload_check_refuses_disguised_files(name, content, code):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))
    assert error.value.code == code


@pytest.mark.django_db
def test_admin_document_upload_refuses_a_disguised_file(users, client_for):
    client = client_for(users["superuser"])
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Agenda",
            "file": SimpleUploadedFile("agenda.pdf", b"<script>alert(1)</script>"),
            "collection": 1,
        },
    )
    assert response.status_code == 200
    assert "not a valid .pdf file" in response.content.decode()
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_documents_other_than_pdf_and_text_download_as_attachments(
    tree, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    document = Document.objects.create(
        title="Budget",
        file=SimpleUploadedFile("budget.xlsx", b"PK\x03\x04sheet"),
    )
    # Public once a live page links to it (home.documents).
    meeting = tree.c5_meeting.get_latest_revision_as_object()
    meeting.documents = [("document", {"document": document, "label": ""})]
    publish(meeting)
    response = Client().get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
