"""Router: liveness and store readiness."""

from fastapi import APIRouter, Request

router = APIRouter()


@router.get("/healthz")
def healthz(request: Request) -> dict[str, object]:
    graphs = request.app.state.store.graphs()
    return {"status": "ok", "graphs": len(graphs), "triples": sum(graphs.values())}
