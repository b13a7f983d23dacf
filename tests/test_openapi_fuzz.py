"""Schemathesis over the app's own OpenAPI document, in process: every operation it describes,
fed data generated from that description (valid and not), is never a server error and never
shows a stack trace."""

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.schemas import APIOperation

from kgservice.settings import Settings
from kgservice.web.app import create_app


def _app() -> FastAPI:
    return create_app(Settings(memory=True, load_bundled_data=False))


# One pytest test per operation, named by it: schemathesis's own parametrisation gives every
# operation the same test id, and pytest-xdist then runs and reports only one of them.
OPERATIONS = [
    result.ok()
    for result in schemathesis.openapi.from_asgi("/openapi.json", _app()).get_all_operations()
]


@pytest.fixture
def app() -> FastAPI:
    # Schemathesis ends an application's lifespan after each test, as a server ends it once; an
    # application shared by every operation's test answered the later ones from a stopped service.
    return _app()


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_no_operation_is_a_server_error(
    app: FastAPI, operation: APIOperation, data: st.DataObject
) -> None:
    case = data.draw(
        st.one_of(operation.as_strategy(mode) for mode in GenerationMode), label=operation.label
    )
    answer = case.call(app=app)
    case.validate_response(answer, checks=[not_a_server_error])
    text = answer.content.decode("utf-8", errors="replace")  # some answers are workbooks
    assert "Traceback" not in text and 'File "' not in text, text
