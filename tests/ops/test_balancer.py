"""HAProxy, as make serve-prod configures it, in front of two gunicorn servers.

HAProxy, configured as make serve-prod configures it, in front of two real gunicorn
servers: the one whose readiness fails leaves the rotation, the other answers every
request with the balancer's request id, and /metrics stays inside.
"""

import pytest

from scripts.serve_prod import haproxy_binary, haproxy_config, haproxy_servers, http_get

from .servers import Process, closed_port, free_port, start_gunicorn, wait_for

try:
    haproxy_binary()
    have_haproxy = True
except Exception:  # noqa: BLE001 - ServeError: not installed
    have_haproxy = False

pytestmark = pytest.mark.skipif(
    not have_haproxy, reason="haproxy is not installed (make prerequisites)"
)


def statuses(socket_path):
    try:
        return {
            name: row["status"] for name, row in haproxy_servers(socket_path).items()
        }
    except OSError:
        return {}


def test_haproxy_sends_nothing_to_a_server_that_is_not_ready(tmp_path):
    ready = start_gunicorn(
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        },
        host="127.0.0.2",
        name="ready",
    )
    not_ready = start_gunicorn(
        tmp_path,
        {
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "DATABASE_URL": f"postgres://nobody@127.0.0.1:{closed_port()}/none",
        },
        host="127.0.0.3",
        name="not-ready",
    )
    port = free_port()
    socket_path = tmp_path / "haproxy.sock"
    config = tmp_path / "haproxy.cfg"
    config.write_text(
        haproxy_config(
            f"127.0.0.1:{port}", [ready.address, not_ready.address], socket_path
        )
    )
    balancer = Process(
        [haproxy_binary(), "-db", "-f", str(config)], {}, tmp_path / "haproxy.log"
    )
    try:
        wait_for(
            lambda: statuses(socket_path) == {"app1": "UP", "app2": "DOWN"},
            30,
            "the balancer to take app2 out",
        )
        before = haproxy_servers(socket_path)
        ids = set()
        for _ in range(10):
            status, headers, _body = http_get("127.0.0.1", port, "/healthz")
            assert status == 200
            ids.add(headers["X-Request-ID"])
        after = haproxy_servers(socket_path)
        assert int(after["app1"]["stot"]) - int(before["app1"]["stot"]) == 10
        assert after["app2"]["stot"] == before["app2"]["stot"]
        # HAProxy's ids (unique-id-format), one per request, kept by the app.
        assert len(ids) == 10
        assert all(":" in request_id and "_" in request_id for request_id in ids)
        assert http_get("127.0.0.1", port, "/metrics")[0] == 404
        assert http_get(ready.host, ready.port, "/metrics")[0] == 200

        # The last ready server gone: the balancer says so itself.
        ready.stop()
        wait_for(
            lambda: statuses(socket_path).get("app1") == "DOWN",
            30,
            "the balancer to take app1 out",
        )
        assert http_get("127.0.0.1", port, "/healthz")[0] == 503
    finally:
        balancer.stop()
        ready.stop()
        not_ready.stop()
