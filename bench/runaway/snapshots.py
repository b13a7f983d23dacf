"""What a checkpoint (backup) and a read-only opener cost and see, on the store at /tmp/rw/store."""

import shutil, statistics, time, os
import pyoxigraph as ox

st = ox.Store("/tmp/rw/store")


def med(f, n=20):
    xs = []
    for i in range(n):
        t = time.perf_counter()
        f(i)
        xs.append((time.perf_counter() - t) * 1000)
    return statistics.median(xs), max(xs)


root = "/tmp/rw/snaps"
shutil.rmtree(root, ignore_errors=True)
os.makedirs(root)
print("backup ms (med,max)", med(lambda i: st.backup(f"{root}/b{i}")))
st.update("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }")
st.backup(f"{root}/after")
ro_old = ox.Store.read_only(f"{root}/b0")
ro_new = ox.Store.read_only(f"{root}/after")
q = "ASK { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }"
print("old snapshot sees write:", bool(ro_old.query(q)), "new:", bool(ro_new.query(q)))
# read_only on primary after write
ro_p = ox.Store.read_only("/tmp/rw/store")
print("read_only on primary sees committed write:", bool(ro_p.query(q)))
st.update("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 2 } }")
q2 = "ASK { GRAPH <http://e/g> { <http://e/s> <http://e/p> 2 } }"
print("read_only opened before the 2nd write sees it:", bool(ro_p.query(q2)))
print("read_only open ms (med,max)", med(lambda i: ox.Store.read_only(f"{root}/b{i}")))
light = "SELECT ?l WHERE { <https://w3id.org/thaiplan/id/plan/national-strategy> <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
print(
    "light query in-process ms",
    med(lambda i: list(st.query(light, use_default_graph_as_union=True)), 200),
)
st.update(
    "DELETE DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 . <http://e/s> <http://e/p> 2 } }"
)
