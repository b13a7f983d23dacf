"""Light-query p50 through HTTP, alternating between a server with worker processes and one
without, on two copies of one store (/tmp/rw/store-iso, /tmp/rw/store-base)."""

import os, statistics, subprocess, sys, time, urllib.parse, urllib.request

servers = []
for port, d, iso in ((18721, "/tmp/rw/store-iso", "true"), (18722, "/tmp/rw/store-base", "false")):
    env = dict(os.environ, KGSERVICE_QUERY_PROCESSES=iso, KGSERVICE_LOAD_BUNDLED_DATA="false")
    servers.append(
        subprocess.Popen(
            [".venv/bin/kgservice", "serve", "--port", str(port), "--data-dir", d],
            env=env,
            stderr=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
        )
    )
QUERIES = {
    "label": "SELECT ?l WHERE { <https://w3id.org/thaiplan/id/plan/national-strategy> <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
    "ask": "ASK { ?s a <https://w3id.org/thaiplan/ontology#Plan> }",
    "100 rows": "SELECT * WHERE { ?s ?p ?o } LIMIT 100",
}


def get(port, q):
    t = time.perf_counter()
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": q}), timeout=30
    ) as r:
        r.read()
    return (time.perf_counter() - t) * 1000


for port in (18721, 18722):
    while True:
        try:
            get(port, "ASK {}")
            break
        except OSError:
            time.sleep(0.2)
for name, q in QUERIES.items():
    a, b = [], []
    for i in range(30):
        get(18721, q)
        get(18722, q)
    for i in range(400):
        a.append(get(18721, q))
        b.append(get(18722, q))
    print(
        f"{name}: p50 workers {statistics.median(a):.3f} ms, in-process {statistics.median(b):.3f} ms, difference {statistics.median(a) - statistics.median(b):+.3f} ms"
    )
for s in servers:
    s.terminate()
    s.wait()
