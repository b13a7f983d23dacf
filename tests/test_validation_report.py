"""The report's shapes as clients see them: JSON summary per language and the SHACL graph."""

import pyoxigraph as ox

from kgservice.validation import ValidationReport, ValidationResult

SH = "http://www.w3.org/ns/shacl#"
TPS = "https://w3id.org/thaiplan/shapes#"
FOCUS = ox.NamedNode("https://w3id.org/thaiplan/id/plan/p/project/1")
YEAR = ox.Literal("2024", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))


def result(shape: str, severity: str, **messages: str) -> ValidationResult:
    return ValidationResult(
        rule=TPS + shape,
        severity=SH + severity,
        focus=FOCUS,
        path=ox.NamedNode("https://w3id.org/thaiplan/ontology#fiscalYear"),
        value=YEAR,
        messages=messages,
        component=SH + "NotConstraintComponent",
    )


CE_YEAR = result("R07-fiscal-year-buddhist-era", "Violation", th="ปี ค.ศ.", en="a C.E. year")
FIVE_YEARS = result("R09-local-plan-five-years", "Warning", th="ควรมี 5 ปี", en="should be 5")


def test_warnings_alone_still_conform() -> None:
    assert ValidationReport((FIVE_YEARS,)).conforms
    assert not ValidationReport((FIVE_YEARS, CE_YEAR)).conforms


def test_json_summary_counts_and_names_rule_focus_path_value() -> None:
    summary = ValidationReport((CE_YEAR, FIVE_YEARS)).to_json("en")
    assert summary["counts"] == {"violation": 1, "warning": 1, "info": 0}
    assert summary["results"][0] == {
        "rule": "R07",
        "shape": TPS + "R07-fiscal-year-buddhist-era",
        "severity": "Violation",
        "focus": FOCUS.value,
        "path": "https://w3id.org/thaiplan/ontology#fiscalYear",
        "value": "2024",
        "message": "a C.E. year",
    }


def test_messages_fall_back_to_thai() -> None:
    only_thai = result("R07-amount", "Violation", th="จำนวนเงิน")
    assert only_thai.message("en") == "จำนวนเงิน"
    assert CE_YEAR.message("fr") == "ปี ค.ศ."


def test_the_rdf_report_is_a_shacl_validation_report() -> None:
    graph = ValidationReport((CE_YEAR,)).to_rdf()
    report = next(t.subject for t in graph if t.object == ox.NamedNode(SH + "ValidationReport"))
    (node,) = [
        t.object for t in graph if t.subject == report and t.predicate.value == SH + "result"
    ]
    about = {(t.predicate.value, t.object) for t in graph if t.subject == node}
    assert (SH + "focusNode", FOCUS) in about
    assert (SH + "value", YEAR) in about
    assert (SH + "sourceShape", ox.NamedNode(TPS + "R07-fiscal-year-buddhist-era")) in about
    assert (SH + "resultMessage", ox.Literal("ปี ค.ศ.", language="th")) in about
    assert (SH + "resultMessage", ox.Literal("a C.E. year", language="en")) in about
