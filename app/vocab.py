"""The fixed vocabulary of the published lists (contract.md: Vocabulary in JSON)."""

from enum import StrEnum


class Level(StrEnum):
    INTERMEDIATE = "中级"
    ADVANCED = "高级"
    PRE_TECHNICIAN = "预备技师"


class Intake(StrEnum):
    JUNIOR = "初中起点"
    SENIOR = "高中起点"
    INTERMEDIATE_HOLDER = "中技起点"
    ADVANCED_HOLDER = "高技起点"
    SENIOR_OR_SECONDARY = "高中、中专或中技起点"


class Kind(StrEnum):
    NEW_MAJOR = "新增专业"
    NEW_LEVEL = "新增层次"
    REOPEN = "停招后复开"
    RENAME = "改名"
    # Lifecycle entries (issue 24): the college asks to suspend or withdraw a program it runs.
    SUSPEND = "停招"
    WITHDRAW = "撤销"


# The kinds that change a running program instead of approving an offering: they print in the
# list's closures annex (停招、撤销专业名单), not in 附件1, and take effect at publication.
LIFECYCLE_KINDS = frozenset({Kind.SUSPEND.value, Kind.WITHDRAW.value})


class ProgramStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    APPROVED = "approved"  # 批准待公布: approved, active once a list carrying it is published


# ---- the workflow states (columns stay strings; these values are what the database, the JSON
# and the CSV carry)


class FilingStatus(StrEnum):
    """A filing: draft → submitted → decided, or withdrawn before a decision."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    DECIDED = "decided"
    WITHDRAWN = "withdrawn"


class Decision(StrEnum):
    """A filing entry's decision (None until decided)."""

    APPROVED = "approved"
    REJECTED = "rejected"
    REFERRED = "referred"  # sent to the province as an out-of-catalog proposal (a Referral)


class ReferralStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # its filing was withdrawn or its entry decided otherwise


class PublicationStatus(StrEnum):
    DRAFT = "draft"
    ANNOUNCED = "announced"  # 公示中
    PUBLISHED = "published"


class ObjectionStatus(StrEnum):
    OPEN = "open"
    DISMISSED = "dismissed"
    UPHELD = "upheld"


class CollegeStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    MERGED = "merged"


class MajorStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class EditionStatus(StrEnum):
    IN_FORCE = "in_force"
    SUPERSEDED = "superseded"


class DeliveryStatus(StrEnum):
    """A webhook delivery: pending until an attempt succeeds (a disabled hook keeps it pending)."""

    PENDING = "pending"
    DELIVERED = "delivered"


class DirectionStatus(StrEnum):
    """A 专业方向 of a list: kept as filed (准予保留) or normalised to a catalog major."""

    KEPT = "kept"
    NORMALISED = "normalised"


class System(StrEnum):
    TECHNICIAN = "technician"
    SECONDARY = "secondary"


class CollegeType(StrEnum):
    TECHNICIAN_COLLEGE = "技师学院"
    SENIOR_TECHNICAL_SCHOOL = "高级技工学校"
    TECHNICAL_SCHOOL = "技工学校"
    SECONDARY = "中等职业学校"


TECHNICIAN_TYPES = {
    CollegeType.TECHNICIAN_COLLEGE,
    CollegeType.SENIOR_TECHNICAL_SCHOOL,
    CollegeType.TECHNICAL_SCHOOL,
}

# 学制 as printed in the lists.
YEARS_CN = {1: "一年", 2: "二年", 3: "三年", 4: "四年", 5: "五年", 6: "六年", 7: "七年", 8: "八年"}
CN_YEARS = {v: k for k, v in YEARS_CN.items()} | {"两年": 2}


def system_of(college_type: str) -> System:
    return System.TECHNICIAN if college_type in TECHNICIAN_TYPES else System.SECONDARY


def type_from_name(name: str) -> CollegeType:
    """The college type a name states (技师学院 / 高级技工学校 / 技工学校), else 中职."""
    for college_type in (
        CollegeType.TECHNICIAN_COLLEGE,
        CollegeType.SENIOR_TECHNICAL_SCHOOL,
        CollegeType.TECHNICAL_SCHOOL,
    ):
        if name.endswith(college_type.value):
            return college_type
    return CollegeType.SECONDARY


def parse_years(value: str) -> int | None:
    """学制 as a number: accepts ``五年``, ``5``, ``5年``, ``5.0``."""
    text = value.strip().replace(" ", "")
    if text in CN_YEARS:
        return CN_YEARS[text]
    text = text.removesuffix("年").removesuffix(".0")
    if text in CN_YEARS:
        return CN_YEARS[text]
    if text.isdigit():
        return int(text)
    cn = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}
    return cn.get(text)
