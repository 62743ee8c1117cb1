"""An ask-sdk ApiClient with a timeout, on the standard library.

ask-sdk's DefaultApiClient has no timeout (a slow Alexa API could outlast the skill's 8 s)
and imports `requests` at cold start. Plain http is allowed only to loopback, for tests.
"""
from __future__ import annotations

import json
from urllib.parse import urlsplit

from ask_sdk_model.services import ApiClient, ApiClientRequest, ApiClientResponse
from ask_sdk_model.services.service_exception import ServiceException

ALEXA_API_TIMEOUT_SECONDS = 1.5
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class ApiClientError(ServiceException):
    def __init__(self, message: str):
        super().__init__(message=message, status_code=0, headers=None, body=None)


# How ask-sdk's service clients re-raise an ApiClient exception: as a ServiceException of
# status 500, although no answer came at all.
CALL_FAILED = "Call to service failed"


def answered_status(error: Exception) -> int:
    """The HTTP status an Alexa API answered with; 0 when no answer came (a timeout, no
    connection), whatever status ask-sdk put on the exception."""
    if str(error).startswith(CALL_FAILED) or isinstance(error, ApiClientError):
        return 0
    status = getattr(error, "status_code", 0)
    return status if isinstance(status, int) else 0


class TimedApiClient(ApiClient):
    def __init__(self, timeout: float = ALEXA_API_TIMEOUT_SECONDS):
        self.timeout = timeout

    def invoke(self, request: ApiClientRequest) -> ApiClientResponse:
        parts = urlsplit(request.url or "")
        if parts.scheme != "https" and parts.hostname not in _LOOPBACK:
            raise ApiClientError("Alexa APIs are called over https only")
        headers = dict(request.headers or [])
        data = None
        if request.body is not None:
            data = (request.body if isinstance(request.body, str)
                    else json.dumps(request.body)).encode("utf-8")
        # Imported on first use: urllib.request costs every cold start ~10 ms otherwise.
        import urllib.error
        import urllib.request

        outgoing = urllib.request.Request(request.url, data=data, headers=headers,
                                          method=str(request.method or "GET"))
        try:
            with urllib.request.urlopen(outgoing, timeout=self.timeout) as answer:
                return _response(answer.status, answer.headers.items(), answer.read())
        except urllib.error.HTTPError as answer:
            return _response(answer.code, answer.headers.items(), answer.read())
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ApiClientError(f"Alexa API unreachable: {type(error).__name__}") from error


def _response(status: int, headers, body: bytes) -> ApiClientResponse:
    return ApiClientResponse(headers=list(headers), status_code=status,
                             body=body.decode("utf-8", errors="replace"))
