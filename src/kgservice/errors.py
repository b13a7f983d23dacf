"""Domain errors. Each carries a stable code and an HTTP status; routers turn them into
``{"error": CODE, "message": ...}`` in one place (``kgservice.web.app``)."""


class KgError(Exception):
    code = "error"
    status = 500

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class BadRequest(KgError):
    code = "bad_request"
    status = 400


class QuerySyntaxError(BadRequest):
    code = "query_syntax"


class RdfSyntaxError(BadRequest):
    code = "rdf_syntax"


class ForbiddenOperation(BadRequest):
    """SERVICE or LOAD to an endpoint the operator has not allowed."""

    code = "forbidden_operation"


class Unauthorized(KgError):
    code = "unauthorized"
    status = 401


class Forbidden(KgError):
    code = "forbidden"
    status = 403


class NotFound(KgError):
    code = "not_found"
    status = 404


class NotAcceptable(KgError):
    code = "not_acceptable"
    status = 406


class PayloadTooLarge(KgError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(KgError):
    code = "unsupported_media_type"
    status = 415


class NestingTooDeep(KgError):
    """RDF/XML elements or JSON-LD objects nested deeper than the service parses."""

    code = "nesting_too_deep"
    status = 422


class ValidationFailed(KgError):
    """A write that would leave the graph with SHACL violations."""

    code = "validation_failed"
    status = 422


class UnsafeSpreadsheet(KgError):
    """A workbook the service will not open: macros, external links, a zip bomb."""

    code = "unsafe_spreadsheet"
    status = 422


class BadGateway(KgError):
    """An allowed endpoint of SERVICE or LOAD answered with an error, a redirect, or something
    that is not what the operation reads."""

    code = "bad_gateway"
    status = 502


class QueryTimeout(KgError):
    code = "query_timeout"
    status = 503

    @classmethod
    def after(cls, timeout_s: float) -> "QueryTimeout":
        seconds = f"{timeout_s:g} s"
        return cls(
            f"คำค้นใช้เวลาเกิน {seconds} (the query ran past the time limit of {seconds})",
            timeout_s=timeout_s,
        )


class QueryMemoryExceeded(KgError):
    code = "query_memory_exceeded"
    status = 503


class ServerBusy(KgError):
    """Too many heavy queries at once; ``Retry-After`` says when to ask again."""

    code = "server_busy"
    status = 503

    def __init__(self, message: str, *, headers: dict[str, str], **details: object) -> None:
        super().__init__(message, **details)
        self.headers = headers


class ClientOverShare(ServerBusy):
    """One client's heavy queries already hold its share of the turns; others' go on."""

    code = "too_many_requests"
    status = 429


class ResultTooLarge(KgError):
    code = "result_too_large"
    status = 503


class StoreUnavailable(KgError):
    code = "store_unavailable"
    status = 503
