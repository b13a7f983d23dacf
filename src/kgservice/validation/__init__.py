"""Validating plan RDF against the SHACL rules R01-R18 (``shapes/``)."""

from kgservice.validation.report import ValidationReport, ValidationResult
from kgservice.validation.validator import validate

__all__ = ["ValidationReport", "ValidationResult", "validate"]
