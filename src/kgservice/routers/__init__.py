"""HTTP routers, one module per URL family."""

from kgservice.routers import data, health, lod, queries, site, sparql, validate

ROUTERS = [
    health.router,
    sparql.router,
    data.router,
    validate.router,
    queries.router,
    lod.router,
    site.router,
]
