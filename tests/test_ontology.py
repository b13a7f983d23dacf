"""The ontology files: syntax, headers, bilingual terms and the names of the public contract."""

from pathlib import Path

import pyoxigraph
import pytest
from ontology_support import (
    ONTOLOGY_IRI,
    PART_BASE,
    TP,
    declared_terms,
    file_graph,
    is_declared,
    ontology_files,
    ontology_graph,
)
from rdflib import OWL, RDF, RDFS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kgservice.namespaces import TP as TP_IRI

ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CC_BY_4 = URIRef("https://creativecommons.org/licenses/by/4.0/")
FILE_IDS = [path.name for path in ontology_files()]

# CONTRACT.md, "Core classes": each class with its Thai name(s).
CONTRACT_CLASSES = {
    "Plan": ["แผน"],
    "NationalStrategy": ["ยุทธศาสตร์ชาติ"],
    "NationalDevelopmentPlan": ["แผนพัฒนาเศรษฐกิจและสังคมแห่งชาติ"],
    "ProvinceClusterDevelopmentPlan": ["แผนพัฒนากลุ่มจังหวัด"],
    "ProvincialDevelopmentPlan": ["แผนพัฒนาจังหวัด"],
    "DistrictDevelopmentPlan": ["แผนพัฒนาอำเภอ"],
    "LocalDevelopmentPlan": ["แผนพัฒนาท้องถิ่น"],
    "CommunityPlan": ["แผนชุมชน", "แผนแม่บทชุมชน"],
    "PlanElement": ["องค์ประกอบของแผน"],
    "Strategy": ["ยุทธศาสตร์", "ประเด็นยุทธศาสตร์"],
    "Programme": ["แผนงาน"],
    "Project": ["โครงการ"],
    "Activity": ["กิจกรรม"],
    "Indicator": ["ตัวชี้วัด"],
    "BudgetAllocation": ["งบประมาณ"],
    "Agreement": ["ข้อตกลง"],
    "PerformanceAgreement": [],
    "PublicServiceAgreement": [],
    "Linkage": ["การเชื่อมโยงแผน"],
    "LocalGovernment": ["องค์กรปกครองส่วนท้องถิ่น", "อปท."],
    "ProvincialAdministrativeOrganization": ["อบจ."],
    "Municipality": ["เทศบาล"],
    "SubdistrictAdministrativeOrganization": ["อบต."],
    "SpecialLocalGovernment": [],
    "Province": ["จังหวัด"],
    "District": ["อำเภอ"],
    "Subdistrict": ["ตำบล"],
}

# CONTRACT.md, "Core properties", with the kind each must be.
CONTRACT_PROPERTIES = {
    "partOf": OWL.ObjectProperty,
    "supports": OWL.ObjectProperty,
    "contributesTo": OWL.ObjectProperty,
    "level": OWL.ObjectProperty,
    "ownedBy": OWL.ObjectProperty,
    "coversArea": OWL.ObjectProperty,
    "withinArea": OWL.ObjectProperty,
    "startFiscalYear": OWL.DatatypeProperty,
    "endFiscalYear": OWL.DatatypeProperty,
    "budget": OWL.ObjectProperty,
    "amount": OWL.DatatypeProperty,
    "fiscalYear": OWL.DatatypeProperty,
    "indicator": OWL.ObjectProperty,
    "party": OWL.ObjectProperty,
    "linkageMode": OWL.ObjectProperty,
    "rank": OWL.DatatypeProperty,
}

# CONTRACT.md, tp:level: the levels and their ranks (1 = highest).
CONTRACT_LEVEL_RANKS = {
    "NationalLevel": 1,
    "ProvinceClusterLevel": 2,
    "ProvincialLevel": 3,
    "DistrictLevel": 4,
    "LocalLevel": 5,
    "CommunityLevel": 6,
}

# CONTRACT.md, tp:linkageMode: the five modes and their Thai names.
CONTRACT_LINKAGE_MODES = {
    "LinkMode": "เชื่อมโยง",
    "CoordinateMode": "ประสาน",
    "CombineMode": "รวมกัน",
    "AnnexMode": "ผนวก",
    "ComplementMode": "เติมเต็ม",
}

# Further names every part of the service builds on, with the scheme of each concept.
SHARED_CLASSES = """
    Area ProvinceCluster PlanLevel LinkageMode CoordinationBasis CoordinationDirection
    CoordinationForm GovernmentTier BudgetSource GovernmentAgency CentralAgency RegionalAgency
    CommunityOrganization PlanCoordinationCommittee GovernmentAdministrationPlan Goal Milestone
    OutputIndicator OutcomeIndicator Submission
""".split()
SHARED_PROPERTIES = """
    areaCode abolished replacedBy memberProvince linkageSource linkageTarget coordinationBasis
    coordinationDirection coordinationForm secretary governmentTier jurisdiction organisationId
    sequenceNumber budgetSource targetValue unit baselineValue covers targetGraph tripleCount
""".split()
SHARED_CONCEPTS = {
    "PlanLevelScheme": list(CONTRACT_LEVEL_RANKS),
    "LinkageModeScheme": list(CONTRACT_LINKAGE_MODES),
    "CoordinationBasisScheme": ["AreaBasis", "FunctionBasis", "ParticipationBasis"],
    "CoordinationDirectionScheme": ["VerticalCoordination", "HorizontalCoordination"],
    "CoordinationFormScheme": ["DyadicForm", "OrganisationSetForm", "NetworkForm"],
    "CoordinationTechniqueScheme": """
        InformalCoordination JointPlanning CommitteeCoordination BudgetSystemCoordination
        JointVentureUnit NetworkOrganisation
    """.split(),
    "GovernmentTierScheme": ["CentralTier", "RegionalTier", "LocalTier", "CommunityTier"],
    "BudgetSourceScheme": """
        OwnRevenue GeneralSubsidy SpecificSubsidy ProvincialBudget CentralBudget OtherSource
    """.split(),
}


def languages(term: URIRef, predicate: URIRef) -> list[str | None]:
    return [
        value.language
        for value in ontology_graph().objects(term, predicate)
        if isinstance(value, Literal)
    ]


def thai_names(term: URIRef) -> set[str]:
    graph = ontology_graph()
    names = [*graph.objects(term, RDFS.label), *graph.objects(term, SKOS.altLabel)]
    return {str(name) for name in names if isinstance(name, Literal) and name.language == "th"}


def ontology_iri_of(path: Path) -> URIRef:
    (iri,) = file_graph(path).subjects(RDF.type, OWL.Ontology)
    assert isinstance(iri, URIRef)
    return iri


@pytest.mark.parametrize("path", ontology_files(), ids=FILE_IDS)
def test_ontology_file_parses_with_pyoxigraph(path: Path) -> None:
    with path.open("rb") as stream:
        quads = list(pyoxigraph.parse(stream, format=pyoxigraph.RdfFormat.TURTLE))
    assert len(quads) == len(file_graph(path))


@pytest.mark.parametrize("path", ontology_files(), ids=FILE_IDS)
def test_ontology_file_has_a_complete_header(path: Path) -> None:
    graph = file_graph(path)
    iri = ontology_iri_of(path)
    assert iri == ONTOLOGY_IRI or iri.startswith(PART_BASE)
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"th", "en"} <= set(languages(iri, predicate)), predicate
    assert graph.value(iri, OWL.versionIRI) is not None
    assert graph.value(iri, DCTERMS.license) == CC_BY_4
    modified = graph.value(iri, DCTERMS.modified)
    assert isinstance(modified, Literal) and modified.datatype == XSD.date
    assert graph.value(iri, DCTERMS.creator) is not None
    assert graph.value(iri, DCTERMS.publisher) is not None


@pytest.mark.parametrize("path", ontology_files(), ids=FILE_IDS)
def test_terms_are_grouped_under_banner_comments(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    graph = file_graph(path)
    banners = {
        OWL.Class: "#    Classes",
        OWL.ObjectProperty: "#    Object properties",
        OWL.DatatypeProperty: "#    Datatype properties",
        SKOS.Concept: "#    Concepts",
    }
    for kind, banner in banners.items():
        if any(isinstance(term, URIRef) for term in graph.subjects(RDF.type, kind)):
            assert banner in text, f"{path.name} declares {kind} without a '{banner}' banner"


def test_the_main_ontology_imports_every_part() -> None:
    parts = {ontology_iri_of(path) for path in ontology_files()} - {ONTOLOGY_IRI}
    imported = set(ontology_graph().objects(ONTOLOGY_IRI, OWL.imports))
    assert imported == parts


def test_every_term_has_thai_and_english_label_and_definition() -> None:
    missing = [
        f"{term} {predicate.n3()} @{lang}"
        for term in declared_terms(ontology_graph())
        for predicate in (RDFS.label, SKOS.definition)
        for lang in ("th", "en")
        if languages(term, predicate).count(lang) != 1
    ]
    assert missing == []


def test_every_term_is_defined_by_the_file_that_declares_it() -> None:
    wrong = [
        f"{term} in {path.name}"
        for path in ontology_files()
        for term in declared_terms(file_graph(path))
        if list(file_graph(path).objects(term, RDFS.isDefinedBy)) != [ontology_iri_of(path)]
    ]
    assert wrong == []


def test_every_term_is_declared_in_one_file_only() -> None:
    seen: dict[URIRef, str] = {}
    for path in ontology_files():
        for term in set(declared_terms(file_graph(path))):
            assert term not in seen, f"{term} is declared in {seen[term]} and {path.name}"
            seen[term] = path.name


def test_every_tp_iri_the_ontology_mentions_is_declared() -> None:
    graph = ontology_graph()
    mentioned = {
        node
        for triple in graph
        for node in triple
        if isinstance(node, URIRef) and node.startswith(TP_IRI)
    }
    assert {term for term in mentioned if not is_declared(graph, term)} == set()


@pytest.mark.parametrize("name", list(CONTRACT_CLASSES) + SHARED_CLASSES)
def test_class_exists(name: str) -> None:
    assert is_declared(ontology_graph(), TP[name], OWL.Class)


@pytest.mark.parametrize("name", list(CONTRACT_CLASSES))
def test_contract_class_carries_its_thai_name(name: str) -> None:
    assert set(CONTRACT_CLASSES[name]) <= thai_names(TP[name])


@pytest.mark.parametrize("name", list(CONTRACT_PROPERTIES))
def test_contract_property_exists_with_its_kind(name: str) -> None:
    assert is_declared(ontology_graph(), TP[name], CONTRACT_PROPERTIES[name])


@pytest.mark.parametrize("name", SHARED_PROPERTIES)
def test_shared_property_exists(name: str) -> None:
    assert is_declared(ontology_graph(), TP[name], OWL.ObjectProperty, OWL.DatatypeProperty)


@pytest.mark.parametrize("scheme", list(SHARED_CONCEPTS))
def test_code_list_has_exactly_its_concepts(scheme: str) -> None:
    graph = ontology_graph()
    assert is_declared(graph, TP[scheme], SKOS.ConceptScheme)
    members = set(graph.subjects(SKOS.inScheme, TP[scheme]))
    assert members == {TP[name] for name in SHARED_CONCEPTS[scheme]}
    assert set(graph.objects(TP[scheme], SKOS.hasTopConcept)) == members
    assert all((member, SKOS.topConceptOf, TP[scheme]) in graph for member in members)


def test_every_concept_is_an_instance_of_its_code_list_class() -> None:
    graph = ontology_graph()
    untyped = [
        concept
        for concept in graph.subjects(RDF.type, SKOS.Concept)
        if not any(
            (kind, RDFS.subClassOf, SKOS.Concept) in graph
            for kind in graph.objects(concept, RDF.type)
        )
    ]
    assert untyped == []


def test_levels_have_the_contract_ranks() -> None:
    graph = ontology_graph()
    ranks = {level: graph.value(level, TP.rank) for level in graph.subjects(RDF.type, TP.PlanLevel)}
    # Literal(1) is an xsd:integer, so this checks the datatype as well as the value.
    assert ranks == {TP[name]: Literal(rank) for name, rank in CONTRACT_LEVEL_RANKS.items()}


def test_linkage_modes_have_the_contract_thai_labels() -> None:
    graph = ontology_graph()
    labels = {
        mode: {
            str(label)
            for label in graph.objects(mode, RDFS.label)
            if isinstance(label, Literal) and label.language == "th"
        }
        for mode in graph.subjects(RDF.type, TP.LinkageMode)
    }
    assert labels == {TP[name]: {thai} for name, thai in CONTRACT_LINKAGE_MODES.items()}


@pytest.mark.parametrize("name", ["partOf", "contributesTo", "withinArea"])
def test_chain_properties_are_transitive(name: str) -> None:
    assert (TP[name], RDF.type, OWL.TransitiveProperty) in ontology_graph()


def test_supports_is_a_direct_case_of_contributes_to() -> None:
    graph = ontology_graph()
    assert (TP.supports, RDFS.subPropertyOf, TP.contributesTo) in graph
    assert (TP.supports, RDF.type, OWL.TransitiveProperty) not in graph


# CONTRACT.md: the superclass each contract class sits below.
CONTRACT_HIERARCHY = {
    "Plan": """
        NationalStrategy NationalDevelopmentPlan ProvinceClusterDevelopmentPlan
        ProvincialDevelopmentPlan DistrictDevelopmentPlan LocalDevelopmentPlan CommunityPlan
    """.split(),
    "PlanElement": "Strategy Programme Project Activity".split(),
    "Agreement": "PerformanceAgreement PublicServiceAgreement".split(),
    "LocalGovernment": """
        ProvincialAdministrativeOrganization Municipality SubdistrictAdministrativeOrganization
        SpecialLocalGovernment
    """.split(),
    "Area": "Province District Subdistrict".split(),
}


@pytest.mark.parametrize(
    ("name", "parent"),
    [(name, parent) for parent, names in CONTRACT_HIERARCHY.items() for name in names],
)
def test_contract_class_is_below_its_contract_superclass(name: str, parent: str) -> None:
    assert (TP[name], RDFS.subClassOf, TP[parent]) in ontology_graph()


@pytest.mark.parametrize(
    ("term", "ancestor"),
    [
        (TP.LocalGovernment, ORG.Organization),
        (TP.SubdistrictAdministrativeOrganization, ORG.Organization),
        (TP.CentralAgency, ORG.Organization),
        (TP.CommunityOrganization, ORG.Organization),
        (TP.PlanCoordinationCommittee, ORG.Organization),
        (TP.Submission, PROV.Activity),
        (TP.Plan, PROV.Plan),
        (TP.PlanLevel, SKOS.Concept),
    ],
)
def test_class_is_aligned_to_its_w3c_counterpart(term: URIRef, ancestor: URIRef) -> None:
    assert ancestor in set(ontology_graph().transitive_objects(term, RDFS.subClassOf))


def test_every_external_term_used_has_an_owl_kind() -> None:
    graph = ontology_graph()
    builtin = (str(RDF), str(RDFS), str(OWL), str(XSD))
    axioms = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)
    used = set(graph.predicates()) | {obj for axiom in axioms for obj in graph.objects(None, axiom)}
    undeclared = {
        node
        for node in used
        if isinstance(node, URIRef)
        and not str(node).startswith(builtin)
        and not node.startswith(TP_IRI)
        and (node, RDF.type, None) not in graph
    }
    assert undeclared == set()
