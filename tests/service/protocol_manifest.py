"""Read the W3C SPARQL test manifests (copied unchanged into the shared folder) into plain data."""

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
HT = "http://www.w3.org/2011/http#"
CNT = "http://www.w3.org/2011/content#"
UT = "http://www.w3.org/2009/sparql/tests/test-update#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
REPO_ROOT = Path(__file__).resolve().parents[2]


def w3c_dir() -> Path:
    """``shared/w3c`` beside the repository (or beside one of its parent folders)."""
    for folder in REPO_ROOT.parents:
        if (folder / "shared" / "w3c").is_dir():
            return folder / "shared" / "w3c"
    pytest.fail(f"the W3C test manifests are missing: expected shared/w3c beside {REPO_ROOT}")


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[str]
    format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    id: str
    name: str
    graph_data: dict[str, Path]
    requests: list[Request]

    @property
    def sends_update(self) -> bool:
        return any(_is_update(r) for r in self.requests)


class Manifest:
    def __init__(self, path: Path) -> None:
        self.graph = ox.Store()
        self.graph.load(path=path, base_iri=path.resolve().as_uri())

    def objects(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> list[object]:
        quads = self.graph.quads_for_pattern(subject, ox.NamedNode(predicate), None, None)
        return [quad.object for quad in quads]

    def one(self, subject: ox.NamedNode | ox.BlankNode, predicate: str) -> object | None:
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def items(self, head: object) -> list[object]:
        values = []
        while head != ox.NamedNode(RDF + "nil"):
            values.append(self.one(head, RDF + "first"))  # type: ignore[arg-type]
            head = self.one(head, RDF + "rest")  # type: ignore[arg-type]
        return values

    def entries(self) -> list[ox.NamedNode]:
        [manifest] = [
            q.subject
            for q in self.graph.quads_for_pattern(None, ox.NamedNode(MF + "entries"), None, None)
        ]
        return self.items(self.one(manifest, MF + "entries"))  # type: ignore[return-value,arg-type]


def protocol_tests(path: Path) -> list[ProtocolTest]:
    manifest = Manifest(path)
    return [_protocol_test(manifest, entry) for entry in manifest.entries()]


def _protocol_test(manifest: Manifest, entry: ox.NamedNode) -> ProtocolTest:
    action = manifest.one(entry, MF + "action")
    requests = manifest.items(manifest.one(action, HT + "requests"))  # type: ignore[arg-type]
    graph_data = {
        manifest.one(data, RDFS + "label").value: Path(  # type: ignore[union-attr,arg-type]
            manifest.one(data, UT + "graph").value.removeprefix("file://")  # type: ignore[union-attr,arg-type]
        )
        for data in manifest.objects(entry, UT + "graphData")
    }
    return ProtocolTest(
        id=entry.value.rpartition("#")[2],
        name=manifest.one(entry, MF + "name").value,  # type: ignore[union-attr]
        graph_data=graph_data,
        requests=[_request(manifest, r) for r in requests],  # type: ignore[arg-type]
    )


def _request(manifest: Manifest, node: ox.BlankNode) -> Request:
    headers = {
        manifest.one(h, HT + "fieldName").value: manifest.one(h, HT + "fieldValue").value  # type: ignore[union-attr,arg-type]
        for h in manifest.items(manifest.one(node, HT + "headers") or ox.NamedNode(RDF + "nil"))
    }
    response = manifest.one(node, HT + "resp")
    boolean = manifest.one(response, MF + "expectedBoolean")  # type: ignore[arg-type]
    expected_format = manifest.one(response, MF + "expectedFormat")  # type: ignore[arg-type]
    return Request(
        method=manifest.one(node, HT + "methodName").value,  # type: ignore[union-attr]
        path=manifest.one(node, HT + "absolutePath").value,  # type: ignore[union-attr]
        headers=headers,
        body=_body(manifest, manifest.one(node, HT + "body")),
        statuses=frozenset(
            s.value.rpartition("StatusCode")[2]  # type: ignore[attr-defined]
            for s in manifest.objects(response, MF + "expectedStatus")  # type: ignore[arg-type]
        ),
        format=expected_format.value if expected_format else None,  # type: ignore[attr-defined]
        boolean=boolean.value == "true" if boolean else None,  # type: ignore[attr-defined]
    )


def _body(manifest: Manifest, body: object) -> bytes | None:
    if body is None:
        return None
    chars = manifest.one(body, CNT + "chars").value  # type: ignore[arg-type,union-attr]
    encoding = manifest.one(body, CNT + "characterEncoding")  # type: ignore[arg-type]
    return chars.encode(encoding.value if encoding else "utf-8")  # type: ignore[no-any-return,attr-defined]


def _is_update(request: Request) -> bool:
    content_type = request.headers.get("content-type", "")
    form = (request.body or b"").startswith(b"update=")
    return request.method == "POST" and ("sparql-update" in content_type or form)
