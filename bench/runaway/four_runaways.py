"""Light-query latency and process-tree memory of a `kgservice serve` under four runaway queries.

python runaway.py PORT DATA_DIR ISOLATE(0/1) SECONDS
"""

import os, statistics, subprocess, sys, threading, time, urllib.parse, urllib.request

port, data_dir, isolate, seconds = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
env = dict(
    os.environ,
    KGSERVICE_QUERY_PROCESSES="true" if isolate == "1" else "false",
    KGSERVICE_LOAD_BUNDLED_DATA="false",
)
server = subprocess.Popen(
    [".venv/bin/kgservice", "serve", "--port", str(port), "--data-dir", data_dir],
    env=env,
    stderr=subprocess.DEVNULL,
    stdout=subprocess.DEVNULL,
)
base = f"http://127.0.0.1:{port}/sparql?"
LIGHT = "SELECT ?l WHERE { <https://w3id.org/thaiplan/id/plan/national-strategy> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
RUNAWAY = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY RAND() LIMIT 1",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f } GROUP BY ?a",
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f ?c LIMIT 1",
]


def get(q):
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(base + urllib.parse.urlencode({"query": q}), timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except OSError:
        status = 0
    return status, (time.perf_counter() - t) * 1000


while get("ASK {}")[0] != 200:
    time.sleep(0.2)
for _ in range(20):
    get(LIGHT)
quiet = [get(LIGHT)[1] for _ in range(300)]


def tree_rss():
    pids = [server.pid]
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(server.pid)], capture_output=True, text=True
    ).stdout.split()
    pids += [int(p) for p in out]
    total = 0
    for pid in pids:
        try:
            total += next(
                int(l.split()[1]) for l in open(f"/proc/{pid}/status") if l.startswith("VmRSS")
            )
        except Exception:
            pass
    return total / 1024


statuses = []
runners = [threading.Thread(target=lambda q=q: statuses.append(get(q))) for q in RUNAWAY]
for r in runners:
    r.start()
busy, peak, start = [], 0.0, time.monotonic()
while time.monotonic() - start < seconds:
    s, ms = get(LIGHT)
    busy.append((s, ms))
    peak = max(peak, tree_rss())
    time.sleep(0.05)
    if peak > 4000:
        print("stopped: the process tree passed 4 GB after %.1f s" % (time.monotonic() - start))
        server.kill()
        break
for r in runners:
    r.join(timeout=1)
after = tree_rss()
q = lambda xs, p: sorted(xs)[int(p * (len(xs) - 1))]
lat = [ms for s, ms in busy if s == 200]
print(
    f"isolate={isolate} quiet p50 {statistics.median(quiet):.3f} ms p95 {q(quiet, 0.95):.3f} | during runaways: {len(lat)}/{len(busy)} light answered, p50 {statistics.median(lat) if lat else -1:.1f} ms p95 {q(lat, 0.95) if lat else -1:.1f} ms, statuses {sorted(set(s for s, _ in busy))}; tree RSS peak {peak:.0f} MB, after {after:.0f} MB; runaway answers {[s for s, _ in statuses]}"
)
server.terminate()
server.wait(30)
