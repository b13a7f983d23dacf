"""Development themes: the provincial strategies, the local strategies that support them, and the
programmes (the standard local-budget แผนงาน) under each local strategy.

Synthetic but shaped like real plans: provinces state five to six development issues, each
aligned with strategies of the National Strategy; local governments group their projects under
similar strategies and link each one to the matching provincial strategy.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class ProvincialTheme:
    key: str
    label_th: str
    label_en: str
    national: tuple[int, ...]  # National Strategy strategies it supports


@dataclass(frozen=True)
class LocalTheme:
    key: str
    label_th: str
    supports: str  # ProvincialTheme key
    programmes: tuple[str, ...]
    weight: int  # share of projects


PROVINCIAL = (
    ProvincialTheme(
        "infrastructure",
        "การพัฒนาโครงสร้างพื้นฐานและระบบโลจิสติกส์",
        "Infrastructure and logistics",
        (2,),
    ),
    ProvincialTheme(
        "economy",
        "การยกระดับเศรษฐกิจฐานการเกษตร การค้า และการท่องเที่ยว",
        "Agriculture, trade and tourism",
        (2,),
    ),
    ProvincialTheme(
        "society",
        "การพัฒนาคุณภาพชีวิตและสังคมให้เข้มแข็ง",
        "Quality of life and a strong society",
        (3, 4),
    ),
    ProvincialTheme(
        "environment",
        "การบริหารจัดการทรัพยากรธรรมชาติและสิ่งแวดล้อมอย่างยั่งยืน",
        "Sustainable management of natural resources and the environment",
        (5,),
    ),
    ProvincialTheme(
        "governance",
        "การเสริมสร้างความมั่นคงและการบริหารจัดการภาครัฐที่ดี",
        "Security and good public administration",
        (1, 6),
    ),
)

# Some provinces add a sixth issue that no local government links to: the "unsupported
# strategies" the named questions should find.
DIGITAL = ProvincialTheme(
    "digital",
    "การพัฒนาเศรษฐกิจดิจิทัลและนวัตกรรม",
    "Digital economy and innovation",
    (2,),
)

INFRASTRUCTURE = LocalTheme(
    "infrastructure",
    "การพัฒนาด้านโครงสร้างพื้นฐาน",
    "infrastructure",
    ("แผนงานอุตสาหกรรมและการโยธา", "แผนงานเคหะและชุมชน"),
    30,
)
ECONOMY = LocalTheme(
    "economy",
    "การพัฒนาด้านเศรษฐกิจและการส่งเสริมอาชีพ",
    "economy",
    ("แผนงานการเกษตร", "แผนงานสร้างความเข้มแข็งของชุมชน"),
    12,
)
SOCIETY = LocalTheme(
    "society",
    "การพัฒนาด้านคุณภาพชีวิตและสังคม",
    "society",
    ("แผนงานสาธารณสุข", "แผนงานสังคมสงเคราะห์", "แผนงานงบกลาง"),
    18,
)
ENVIRONMENT = LocalTheme(
    "environment",
    "การพัฒนาด้านทรัพยากรธรรมชาติและสิ่งแวดล้อม",
    "environment",
    ("แผนงานเคหะและชุมชน", "แผนงานการเกษตร"),
    10,
)
GOVERNANCE = LocalTheme(
    "governance",
    "การพัฒนาด้านการเมืองการบริหารและความสงบเรียบร้อย",
    "governance",
    ("แผนงานบริหารงานทั่วไป", "แผนงานการรักษาความสงบภายใน"),
    12,
)
EDUCATION = LocalTheme(
    "education",
    "การพัฒนาด้านการศึกษา ศาสนา และวัฒนธรรม",
    "society",
    ("แผนงานการศึกษา", "แผนงานการศาสนาวัฒนธรรมและนันทนาการ"),
    14,
)
TOURISM = LocalTheme(
    "tourism",
    "การส่งเสริมการท่องเที่ยวและการค้า",
    "economy",
    ("แผนงานการพาณิชย์", "แผนงานการศาสนาวัฒนธรรมและนันทนาการ"),
    6,
)

BASE = (INFRASTRUCTURE, ECONOMY, SOCIETY, ENVIRONMENT, GOVERNANCE)
LOCAL_BY_KIND = {
    "sao": BASE,
    "mun": (*BASE, EDUCATION),
    "pao": (*BASE, EDUCATION, TOURISM),
    "bma": (*BASE, EDUCATION, TOURISM),
}

# Bangkok has no provincial plan here: its local strategies support the National Strategy.
BANGKOK_NATIONAL = {
    "infrastructure": 2,
    "economy": 2,
    "society": 4,
    "environment": 5,
    "governance": 6,
}
