import uuid

from . import context


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) and makes the client address known to the audit trail."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request.headers.get("X-Request-ID", "")[:64] or uuid.uuid4().hex
        token = context.set_current(
            context.RequestContext(ip_address=request.META.get("REMOTE_ADDR") or None, request_id=request_id)
        )
        try:
            response = self.get_response(request)
        finally:
            context.reset(token)
        response["X-Request-ID"] = request_id
        return response
