"""Where an IRI opens in this service: ``/id/...`` for data, ``/ontology#term`` for tp: terms."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from kgservice.namespaces import TP, TPS


@dataclass(frozen=True)
class Linker:
    base_iri: str
    lang: str | None  # carried in links only when the reader chose it with ?lang=

    def page(self, iri: str) -> str:
        if iri.startswith(self.base_iri):
            return self.href("/id/" + quote(iri[len(self.base_iri) :], safe="/:@-._~!$&'()*+,;="))
        if iri.startswith(TP):
            return self.href("/ontology") + "#" + iri[len(TP) :]
        if iri.startswith(TPS):
            return self.href("/shapes") + "#" + iri[len(TPS) :]
        return iri

    def href(self, path: str, **params: str) -> str:
        if self.lang:
            params = {"lang": self.lang, **params}
        return path + ("?" + urlencode(params) if params else "")
