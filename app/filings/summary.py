"""A round in figures, per college, and the notice's opening sentence generated from them.

The model is the 2024 technician notice (domain.md, "The round in one sentence"): "我局于 2024 年
1 至 3 月组织专家对广州市技师学院等 14 所院校申报的 73 个新增专业资料（含新增专业培养层次和方向、
调整专业名称等）进行了备案和审核，其中 72 个符合开设条件，现予以公布（附件 1）。…". The notice
counts majors — one numbered entry of the list, whatever its intakes and levels (73 items became
72 entries of 82 lines) — so the sentence counts a college's distinct majors, while the figures
count filed entries (offerings).
"""

from collections import defaultdict
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from app.access import policy
from app.access.principal import Principal, Role
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.catalog.models import CatalogEdition, Major
from app.colleges.models import College
from app.errors import NotFound
from app.filings.models import Filing, FilingEntry, FilingRound, Referral
from app.localtime import local
from app.text import normalize_name
from app.vocab import Decision, FilingStatus, ReferralStatus


class Counts(BaseModel):
    filings: int = 0
    entries: int = Field(default=0, description="entries filed (offerings), withdrawn excluded")
    approved: int = 0
    rejected: int = 0
    referred: int = Field(default=0, description="sent to the province (out of catalog)")
    referred_approved: int = Field(default=0, description="the province's outcome: passed")
    referred_rejected: int = 0
    referred_pending: int = 0
    withdrawn: int = Field(default=0, description="entries of withdrawn filings")
    undecided: int = 0


class CollegeCounts(Counts):
    code: str
    name: str


class RoundSummary(Counts):
    round_id: int
    year: int
    authority: str
    colleges: int
    majors: int = Field(description="distinct majors filed per college (the notice's 个)")
    majors_approved: int
    by_college: list[CollegeCounts]
    paragraph: str = Field(description="the notice's opening sentence, generated")


def _count(counts: Counts, entry: FilingEntry, filing: Filing, referral: Referral | None) -> None:
    if filing.status == FilingStatus.WITHDRAWN:
        counts.withdrawn += 1
        return
    counts.entries += 1
    if referral is not None and referral.status != ReferralStatus.WITHDRAWN:
        counts.referred += 1
        outcome: dict[str, str] = {
            ReferralStatus.APPROVED: "referred_approved",
            ReferralStatus.REJECTED: "referred_rejected",
        }
        name = outcome.get(referral.status, "referred_pending")
        setattr(counts, name, getattr(counts, name) + 1)
    if entry.decision == Decision.APPROVED:
        counts.approved += 1
    elif entry.decision == Decision.REJECTED:
        counts.rejected += 1
    elif entry.decision is None:  # a referral waiting at the province is counted above
        counts.undecided += 1


def round_summary(
    session: Session, round_id: int, *, actor: Principal, zone: ZoneInfo
) -> RoundSummary:
    """Colleges, filings and entries of a round (filings submitted to it; drafts are the
    colleges' own), per college in code order, and the paragraph. Staff of its authority."""
    found = session.get(FilingRound, round_id)
    if found is None:
        raise NotFound(error="round_not_found", id=round_id)
    policy.ensure_role(actor, Role.ADMIN, Role.REVIEWER, msg="forbidden_role.staff")
    policy.ensure_governs(session, actor, found.authority_id, msg="not_your_authority.round")
    rows = session.exec(
        select(FilingEntry, Filing, College, Referral)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(College, col(College.id) == Filing.college_id)
        .outerjoin(Referral, col(Referral.entry_id) == FilingEntry.id)
        .where(Filing.round_id == round_id, Filing.status != FilingStatus.DRAFT)
        .order_by(col(College.code), col(Filing.id), col(FilingEntry.index))
    ).all()
    total = Counts()
    per: dict[str, CollegeCounts] = {}
    filings: dict[str, set[int]] = defaultdict(set)
    majors: dict[str, set[str]] = defaultdict(set)
    approved_majors: dict[str, set[str]] = defaultdict(set)
    for entry, filing, college, referral in rows:
        counts = per.setdefault(college.code, CollegeCounts(code=college.code, name=college.name))
        _count(total, entry, filing, referral)
        _count(counts, entry, filing, referral)
        filings[college.code].add(filing.id or 0)
        if filing.status != FilingStatus.WITHDRAWN:
            major = entry.major_code or "name:" + normalize_name(entry.major_name)
            majors[college.code].add(major)
            if entry.decision == Decision.APPROVED:
                approved_majors[college.code].add(major)
    for code, counts in per.items():
        counts.filings = len(filings[code])
    total.filings = sum(c.filings for c in per.values())
    filed = [c for c in per.values() if c.entries]
    authority = session.get(Authority, found.authority_id)
    assert authority is not None
    summary = RoundSummary(
        **total.model_dump(),
        round_id=round_id,
        year=found.year,
        authority=authority.code,
        colleges=len(filed),
        majors=sum(len(m) for m in majors.values()),
        majors_approved=sum(len(m) for m in approved_majors.values()),
        by_college=list(per.values()),
        paragraph="",
    )
    summary.paragraph = paragraph(
        session, summary, found, authority, filed[0].name if filed else "", zone
    )
    return summary


def period(opens_at: datetime, closes_at: datetime, zone: ZoneInfo) -> str:
    """The window as the notice writes it: 2024 年 1 至 3 月 (the deadline is the end of a day:
    24:00 belongs to the day before)."""
    start = local(opens_at, zone)
    end = local(closes_at, zone) - timedelta(seconds=1)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.year} 年 {start.month} 月"
    if start.year == end.year:
        return f"{start.year} 年 {start.month} 至 {end.month} 月"
    return f"{start.year} 年 {start.month} 月至 {end.year} 年 {end.month} 月"


def paragraph(
    session: Session,
    s: RoundSummary,
    found: FilingRound,
    authority: Authority,
    first: str,
    zone: ZoneInfo,
) -> str:
    """The notice's opening: the review in one sentence, then the province's specialty review
    when out-of-catalog proposals passed it."""
    technician = authority.system == "technician"
    who = "院校" if technician else "学校"
    what = (
        "新增专业资料（含新增专业培养层次和方向、调整专业名称等）" if technician else "新设专业资料"
    )
    when = period(found.opens_at, found.closes_at, zone)
    if not s.colleges:
        return f"我局于 {when}开展专业备案和审核，本批次没有{who}申报。"
    text = (
        f"我局于 {when}组织专家对{first}等 {s.colleges} 所{who}申报的 {s.majors} 个{what}"
        f"进行了备案和审核，其中 {s.majors_approved} 个符合开设条件，现予以公布（附件 1）。"
    )
    return text + _province_sentence(session, found, authority)


def _province_sentence(session: Session, found: FilingRound, authority: Authority) -> str:
    rows = session.exec(
        select(Referral, Major, CatalogEdition)
        .join(FilingEntry, col(FilingEntry.id) == Referral.entry_id)
        .join(Filing, col(Filing.id) == FilingEntry.filing_id)
        .join(Major, col(Major.id) == Referral.major_id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(Filing.round_id == found.id, Referral.status == ReferralStatus.APPROVED)
        .order_by(col(Referral.decided_at), col(Referral.id))
    ).all()
    names = list(dict.fromkeys(major.name for _, major, _ in rows))
    if not names:
        return ""
    province = authorities.province_of(session, authority.id or 0)
    place = "我市" if authority.level == "city" else "我省"
    catalog = rows[0][2].title.strip("《》")
    reviewer = province.name if province else "省级主管部门"
    return (
        f"{reviewer}组织专家对全省目录外新增专业名称进行了评审，"
        f"{place}{names[0]}等 {len(names)} 个专业通过评审并纳入{catalog}，亦予以公布（附件 2）。"
    )
