"""The dataset's VoID and DCAT description, computed from the live store."""

from collections.abc import Iterator

import pyoxigraph as ox

from kgservice.lod.sparql import select
from kgservice.namespaces import PREFIXES
from kgservice.store import Store

VOID, DCAT, DCT, RDF = PREFIXES["void"], PREFIXES["dcat"], PREFIXES["dcterms"], PREFIXES["rdf"]
RDFS, SD = PREFIXES["rdfs"], PREFIXES["sd"]
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = "agent/kgservice"
TITLES = (
    ("ฐานความรู้แผนพัฒนาประเทศไทยทุกระดับ", "th"),
    ("Thailand's development plans at every level of government", "en"),
)
DESCRIPTIONS = (
    ("แผนพัฒนาตั้งแต่ยุทธศาสตร์ชาติถึงแผนพัฒนาท้องถิ่นและแผนชุมชน การเชื่อมโยงระหว่างแผน งบประมาณ และตัวชี้วัด", "th"),
    (
        "Development plans from the National Strategy down to local and community plans, the links "
        "between them, their budgets and indicators.",
        "en",
    ),
)

CLASS_ENTITIES = "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
PREDICATES = "SELECT DISTINCT ?p WHERE { ?s ?p ?o }"
GRAPH_TITLES = "SELECT ?g ?title WHERE { GRAPH ?any { ?g dcterms:title ?title } }"


def graph_name(base_iri: str, graph: str) -> str | None:
    """``areas`` for ``{base}graph/areas``; None for a graph outside the base."""
    prefix = base_iri + "graph/"
    name = graph[len(prefix) :] if graph.startswith(prefix) else ""
    return name if name and "/" not in name else None


def void_triples(store: Store, base_iri: str, root: str) -> list[ox.Triple]:
    """``root`` is the service's public address, e.g. ``https://example.org/``."""
    dataset = ox.NamedNode(root + "void#dataset")
    graphs = store.graphs()
    triples = list(_header(dataset, base_iri, root, sum(graphs.values())))
    triples += _subsets(store, dataset, base_iri, root, graphs)
    triples += _class_partitions(store, dataset)
    triples += [_t(dataset, VOID + "vocabulary", ox.NamedNode(v)) for v in _vocabularies(store)]
    return triples


def _t(
    s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal
) -> ox.Triple:
    return ox.Triple(s, ox.NamedNode(p), o)


def _count(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer"))


def _header(dataset: ox.NamedNode, base_iri: str, root: str, total: int) -> Iterator[ox.Triple]:
    publisher = ox.NamedNode(base_iri + PUBLISHER)
    yield _t(dataset, RDF + "type", ox.NamedNode(VOID + "Dataset"))
    yield _t(dataset, RDF + "type", ox.NamedNode(DCAT + "Dataset"))
    for text, lang in TITLES:
        yield _t(dataset, DCT + "title", ox.Literal(text, language=lang))
    for text, lang in DESCRIPTIONS:
        yield _t(dataset, DCT + "description", ox.Literal(text, language=lang))
    yield _t(dataset, DCT + "license", ox.NamedNode(LICENCE))
    yield _t(dataset, DCT + "publisher", publisher)
    yield _t(publisher, RDFS + "label", ox.Literal("โครงการ kgservice", language="th"))
    yield _t(publisher, RDFS + "label", ox.Literal("The kgservice project", language="en"))
    yield _t(dataset, VOID + "sparqlEndpoint", ox.NamedNode(root + "sparql"))
    yield _t(dataset, VOID + "uriSpace", ox.Literal(base_iri))
    yield _t(dataset, VOID + "triples", _count(total))
    yield from _dump(dataset, root + "dumps/all.nq.gz")


def _dump(dataset: ox.NamedNode, url: str) -> Iterator[ox.Triple]:
    distribution = ox.BlankNode()
    yield _t(dataset, VOID + "dataDump", ox.NamedNode(url))
    yield _t(dataset, DCAT + "distribution", distribution)
    yield _t(distribution, RDF + "type", ox.NamedNode(DCAT + "Distribution"))
    yield _t(distribution, DCAT + "downloadURL", ox.NamedNode(url))
    yield _t(distribution, DCAT + "mediaType", ox.Literal("application/n-quads"))
    yield _t(distribution, DCAT + "compressFormat", ox.Literal("application/gzip"))


def _subsets(
    store: Store, dataset: ox.NamedNode, base_iri: str, root: str, graphs: dict[str, int]
) -> list[ox.Triple]:
    titles = {
        (r["g"].value, r["title"]) for r in select(store, GRAPH_TITLES) if r["g"].value in graphs
    }
    triples = []
    for graph, count in sorted(graphs.items()):
        subset = ox.NamedNode(graph)
        triples += [
            _t(dataset, VOID + "subset", subset),
            _t(subset, RDF + "type", ox.NamedNode(VOID + "Dataset")),
            _t(subset, SD + "name", subset),
            _t(subset, VOID + "triples", _count(count)),
        ]
        triples += [_t(subset, DCT + "title", title) for g, title in titles if g == graph]
        name = graph_name(base_iri, graph)
        if name is not None:
            triples += _dump(subset, f"{root}dumps/{name}.nq.gz")
    return triples


def _class_partitions(store: Store, dataset: ox.NamedNode) -> list[ox.Triple]:
    triples = []
    for row in sorted(select(store, CLASS_ENTITIES), key=lambda r: r["c"].value):
        if isinstance(row["c"], ox.NamedNode):
            partition = ox.BlankNode()
            triples += [
                _t(dataset, VOID + "classPartition", partition),
                _t(partition, VOID + "class", row["c"]),
                _t(partition, VOID + "entities", _count(int(row["n"].value))),
            ]
    return triples


def _vocabularies(store: Store) -> list[str]:
    terms = [r["p"].value for r in select(store, PREDICATES)]
    terms += [r["c"].value for r in select(store, CLASS_ENTITIES) if "c" in r]
    return sorted({_namespace(t) for t in terms})


def _namespace(iri: str) -> str:
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]
