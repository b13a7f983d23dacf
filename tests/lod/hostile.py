"""A writer's statements that would run script in a reader's page if shown as links."""

from kgservice.namespaces import DEFAULT_BASE

STRATEGY = "plan/provincial-40-2566-2570/strategy/1"
SCRIPT_IRI = "javascript:alert(5)"
WEB_IRI = "https://example.org/strategy-notes"
DATA_IRI = "javascript:alert(6)"  # as a data value a query returns

TURTLE = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{DEFAULT_BASE}{STRATEGY}> rdfs:seeAlso <{SCRIPT_IRI}> , <{WEB_IRI}> ,
    <JavaScript:alert(7)> , <data:text/html,hi> .
<{DEFAULT_BASE}org/lao-pao-40> rdfs:seeAlso <{DATA_IRI}> .
"""
