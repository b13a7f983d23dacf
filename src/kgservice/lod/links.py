"""Where an IRI opens in this service: ``/id/...`` for data, ``/ontology#term`` for tp: terms.

Any other IRI opens as itself only when its scheme is http, https or mailto: a writer may state
``rdfs:seeAlso <javascript:...>``, which as a link would run in the reader's page."""

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from kgservice.namespaces import TP, TPS

LINKABLE_SCHEMES = ("http:", "https:", "mailto:")


@dataclass(frozen=True)
class Linker:
    base_iri: str
    lang: str | None  # carried in links only when the reader chose it with ?lang=

    def page(self, iri: str) -> str | None:
        """Where ``iri`` opens, or None when it must be shown as text, not as a link."""
        if iri.startswith(self.base_iri):
            return self.href("/id/" + quote(iri[len(self.base_iri) :], safe="/:@-._~!$&'()*+,;="))
        if iri.startswith(TP):
            return self.href("/ontology") + "#" + iri[len(TP) :]
        if iri.startswith(TPS):
            return self.href("/shapes") + "#" + iri[len(TPS) :]
        return iri if iri.lower().startswith(LINKABLE_SCHEMES) else None

    def href(self, path: str, **params: str) -> str:
        if self.lang:
            params = {"lang": self.lang, **params}
        return path + ("?" + urlencode(params) if params else "")
