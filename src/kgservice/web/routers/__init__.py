"""HTTP routers, one module per URL family."""

from kgservice.web.routers import (
    data,
    health,
    lod,
    queries,
    search,
    site,
    sparql,
    spreadsheets,
    validate,
)

# The most requested first: a request is matched against each route in turn.
ROUTERS = [
    health.router,
    sparql.router,
    queries.router,
    data.router,
    validate.router,
    spreadsheets.router,
    lod.router,
    search.router,
    site.router,
]
