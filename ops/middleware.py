"""The operations endpoints, answered before the rest of the middleware.

``/healthz``, ``/readyz`` and ``/metrics`` are asked by machines — the load
balancer, the process supervisor, Prometheus — which reach each server by its
own address and over plain HTTP: the host check (ALLOWED_HOSTS), the redirect
to HTTPS, sessions, the language prefix and the Content Security Policy are all
for visitors and would only turn these answers into 400s or redirects, or make
them slower. So they are answered here, right after the request id is set, and
never reach a view, a rate limit or a cache.
"""

from . import health, metrics

ENDPOINTS = {
    "/healthz": health.liveness,
    "/readyz": health.readiness,
    "/metrics": metrics.metrics,
}


class OperationsEndpointsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        endpoint = ENDPOINTS.get(request.path_info.rstrip("/") or "/")
        if endpoint is not None and request.method in ("GET", "HEAD"):
            return endpoint(request)
        return self.get_response(request)
