"""Knowledge graph and SPARQL service for Thailand's multi-level development plans."""

__version__ = "0.1.0"
