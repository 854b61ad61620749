"""The request id.

Taken from the balancer (or made), returned in the response, and in every log record of
the request, as production writes them (JSON).
"""

import io
import json
import logging
import logging.config
import re

from django.conf import settings

import pytest

from ops.log_config import json_logging
from ops.request_id import RequestIdFilter

HAPROXY_ID = "7F000001:D2F4_7F000001:1F90_65A0B1C2_0003:1A2B"


@pytest.fixture
def json_log():
    """Production's logging configuration, writing to a buffer.

    The test settings' configuration is put back afterwards.
    """
    stream = io.StringIO()
    config = json_logging()
    config["handlers"]["console"]["stream"] = stream
    logging.config.dictConfig(config)
    yield stream
    logging.config.dictConfig(settings.LOGGING)


def records(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines() if line]


@pytest.mark.django_db
def test_the_balancers_id_comes_back_in_the_response(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=HAPROXY_ID)
    assert response["X-Request-ID"] == HAPROXY_ID


@pytest.mark.django_db
def test_a_request_without_one_gets_one(client):
    first = client.get("/inventory/")["X-Request-ID"]
    second = client.get("/inventory/")["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    "given", ["two words", "x" * 129, "id\r\nSet-Cookie: a=b", "<script>", ""]
)
def test_an_id_unfit_for_a_log_line_is_replaced(client, given):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=given)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


@pytest.mark.django_db
def test_every_log_record_of_the_request_carries_its_id(client, json_log, tree):
    client.raise_request_exception = False
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=HAPROXY_ID)
    assert response.status_code == 404

    (record,) = [r for r in records(json_log) if r["logger"] == "django.request"]
    assert record["request_id"] == HAPROXY_ID
    assert record["level"] == "WARNING"
    assert record["message"] == "Not Found: /no-such-page/"
    assert record["time"]
    assert "request" not in record  # the request object itself is not written


def test_records_outside_a_request_have_no_id(json_log):
    logging.getLogger("inventory.tasks").warning("from a task")
    (record,) = records(json_log)
    assert record == {
        "time": record["time"],
        "level": "WARNING",
        "logger": "inventory.tasks",
        "message": "from a task",
        "request_id": None,
    }


def test_the_filter_keeps_an_id_given_explicitly():
    record = logging.makeLogRecord({"msg": "x", "request_id": "given"})
    assert RequestIdFilter().filter(record)
    assert record.request_id == "given"
