"""Schemathesis over the app's own OpenAPI document, in process: every operation it describes,
fed data generated from that description (valid and not), is never a server error and never
shows a stack trace."""

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from kgservice.settings import Settings
from kgservice.web.app import create_app

app = create_app(Settings(memory=True, load_bundled_data=False))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_no_operation_is_a_server_error(case: schemathesis.Case) -> None:
    answer = case.call()
    case.validate_response(answer, checks=[not_a_server_error])
    text = answer.content.decode("utf-8", errors="replace")  # some answers are workbooks
    assert "Traceback" not in text and 'File "' not in text, text
