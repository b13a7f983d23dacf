"""The measurements behind "Containing runaway queries" in docs/benchmarks/profiles.md: what a
checkpoint and a read-only opener cost and see (``snapshots``), the latency a worker process adds
to a light query (``light_latency``), a server under four runaway queries
(``four_runaways``), and the first query after a write on a store in memory (``first_query``).
Each runs on stores of the bundled data, made when missing."""

from kgservice.settings import PROJECT_ROOT

WORK = PROJECT_ROOT / "var" / "runaway"
LABEL_QUERY = (
    "SELECT ?l WHERE { <https://w3id.org/thaiplan/id/plan/national-strategy> "
    "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"
)
