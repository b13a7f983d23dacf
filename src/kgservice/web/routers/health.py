"""Router: liveness and store readiness."""

from fastapi import APIRouter, Request

from kgservice.store import solutions

router = APIRouter()

_NAMED_GRAPHS = "SELECT (COUNT(?g) AS ?n) WHERE { GRAPH ?g { } }"


@router.get("/healthz")
def healthz(request: Request) -> dict[str, object]:
    """Answers only when the store does (``store_unavailable``, 503, otherwise)."""
    state = request.app.state
    graphs = next(solutions(state.store.query(_NAMED_GRAPHS)))["n"]
    return {
        "status": "ok",
        "store": state.settings.store,
        "graphs": int(graphs.value),
        "bundled_data": "loaded" if getattr(state, "bundled_data_loaded", False) else "not loaded",
    }
