"""The route × role table: for every (method, route) of the OpenAPI schema, how to call it as
each role and the status each role must get. ``test_route_matrix.py`` walks it.

A row's ``build(ctx, role)`` returns the request; it may create what the call needs (a draft
filing of the own college, a token to revoke...) — fresh for each role, so an allowed role's
write never disturbs the next role's call. Roles are walked denied-first (see ROLE_ORDER).
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.colleges.models import College
from app.programs.models import Program
from tests.access.helpers import OTHER_AUTHORITY, OTHER_COLLEGE, OWN_AUTHORITY, OWN_COLLEGE, ROLES

# A line the bureau adds by hand (no filing carries it): it needs a reason and passes the checks
# of a filing entry — 0127 at 广州市技师学院 is a major the college does not run.
HAND_LINE = {
    "seq": 1,
    "college": OWN_COLLEGE,
    "major_code": "0127",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
    "reason": "matrix: added by hand",
}

# Offerings 广州市技师学院 does not run, for the drafts that get published, one each (a row's
# builds run once per role, and the correction row publishes each time).
PUBLISHED_OFFERINGS = [
    (code, intake, level, years)
    for code in ("0127", "0301")
    for intake, level, years in (
        ("初中起点", "预备技师", 6),
        ("高中起点", "预备技师", 4),
        ("中技起点", "高级", 2),
        ("高技起点", "预备技师", 2),
        ("高中、中专或中技起点", "预备技师", 4),
        ("高中、中专或中技起点", "高级", 3),
    )
]

ROLE_ORDER = (
    "anonymous",
    "other_college",
    "college",
    "other_reviewer",
    "reviewer",
    "other_admin",
    "admin",
    "superuser",
)
assert set(ROLE_ORDER) == set(ROLES)


@dataclass
class Call:
    path: str
    json: Any = None
    params: dict[str, Any] | None = None
    files: dict[str, Any] | None = None
    data: dict[str, Any] | None = None


@dataclass
class Ctx:
    client: TestClient
    engine: Engine
    headers: dict[str, dict[str, str]]
    cache: dict[str, Any] = field(default_factory=dict)

    def as_superuser(self, method: str, path: str, **kwargs):
        response = self.client.request(method, path, headers=self.headers["superuser"], **kwargs)
        assert response.status_code < 300, (method, path, response.status_code, response.text)
        return response.json()

    def program_id(self, college: str = OWN_COLLEGE) -> int:
        with Session(self.engine) as session:
            college_id = session.exec(select(College.id).where(College.code == college)).one()
            return session.exec(
                select(Program.id).where(Program.college_id == college_id).order_by(Program.id)
            ).first()

    def cached(self, name: str, make: Callable[[], Any]) -> Any:
        """One object shared by every role's call (reads)."""
        if name not in self.cache:
            self.cache[name] = make()
        return self.cache[name]

    def old_edition(self) -> str:
        """A partial older edition, for crosswalk lines into technician-2022."""
        body = {"key": "technician-2018", "title": "2018 edition", "partial": True}
        return self.cached(
            "old_edition", lambda: self.as_superuser("POST", "/api/v1/catalogs", json=body)["key"]
        )

    def new_edition(self) -> str:
        """An empty national edition to adopt in place of technician-2022 (a dry run)."""
        body = {"key": "technician-2030", "title": "2030 edition", "system": "technician"}
        return self.cached(
            "new_edition", lambda: self.as_superuser("POST", "/api/v1/catalogs", json=body)["key"]
        )

    # --- filings -------------------------------------------------------------------------

    def entry(self) -> dict[str, Any]:
        """A valid entry for OWN_COLLEGE, distinct from every other this test made (a second
        pending filing of one offering would be refused as program.pending)."""
        n = self.cache["entries"] = self.cache.get("entries", -1) + 1
        code, name, category = FREE_MAJORS[n // len(OFFERINGS)]
        intake, level, years = OFFERINGS[n % len(OFFERINGS)]
        return {
            "major_code": code,
            "major_name": name,
            "category": category,
            "intake": intake,
            "level": level,
            "length_years": years,
        }

    def open_round(self) -> int:
        if "round" not in self.cache:
            self.cache["round"] = self.as_superuser(
                "POST",
                "/api/v1/rounds",
                json={
                    "authority": OWN_AUTHORITY,
                    "year": FILING_YEAR,
                    "title": "matrix round",
                    "opens_at": "2020-01-01T00:00:00Z",
                    "closes_at": "2099-12-31T00:00:00Z",
                },
            )["id"]
        return self.cache["round"]

    def fresh_round(self, role: str, *, base: int = 2040) -> int:
        """A round of its own for one role's call (one round per authority and year)."""
        return self.as_superuser(
            "POST",
            "/api/v1/rounds",
            json={
                "authority": OWN_AUTHORITY,
                "year": base + ROLES.index(role),
                "title": "matrix round",
                "opens_at": "2020-01-01",
                "closes_at": "2099-12-31",
            },
        )["id"]

    def draft(self, entry: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.as_superuser(
            "POST",
            "/api/v1/filings",
            json={
                "college": OWN_COLLEGE,
                "year": FILING_YEAR,
                "entries": [entry or self.entry()],
            },
        )

    def submitted(self, entry: dict[str, Any] | None = None) -> dict[str, Any]:
        self.open_round()
        filing = self.draft(entry)
        return self.as_superuser("POST", f"/api/v1/filings/{filing['id']}/submit")

    def referral(self) -> int:
        filing = self.submitted({**self.entry(), "major_code": "", "major_name": "低空飞行器维护"})
        self.as_superuser(
            "POST",
            f"/api/v1/filings/{filing['id']}/entries/0/decision",
            json={"decision": "referred"},
        )
        referrals = self.as_superuser("GET", "/api/v1/referrals", params={"status": "pending"})
        return max(r["id"] for r in referrals["items"])

    # --- publications --------------------------------------------------------------------

    def draft_publication(self, *, to_publish: bool = False) -> int:
        """A draft of OWN_AUTHORITY with one hand line; one to publish gets an offering of its
        own (a published list makes its program run: the next list could not approve it)."""
        n = self.cache["publications"] = self.cache.get("publications", 0) + 1
        line = HAND_LINE
        if to_publish:
            k = self.cache["published"] = self.cache.get("published", 0) + 1
            code, intake, level, years = PUBLISHED_OFFERINGS[k % len(PUBLISHED_OFFERINGS)]
            line = HAND_LINE | {
                "major_code": code,
                "intake": intake,
                "level": level,
                "length_years": years,
            }
        return self.as_superuser(
            "POST",
            "/api/v1/publications",
            json={
                "authority": OWN_AUTHORITY,
                "year": 2030 + n,
                "title": f"matrix list {n}",
                "published_on": "2030-01-01",
                "lines": [line],
            },
        )["id"]

    def objection_path(self) -> str:
        """A fresh open objection to a fresh draft of OWN_AUTHORITY."""
        publication_id = self.draft_publication()
        path = f"/api/v1/publications/{publication_id}/objections"
        objection = self.as_superuser("POST", path, json={"text": "matrix", "seq": 1})
        return f"{path}/{objection['id']}"

    def secondary_draft_publication(self) -> int:
        """A draft 中职 list of 广州市教育局 (OTHER_AUTHORITY): the layout with 附件2 and 附件3."""
        n = self.cache["publications"] = self.cache.get("publications", 0) + 1
        return self.as_superuser(
            "POST",
            "/api/v1/publications",
            json={
                "authority": OTHER_AUTHORITY,
                "year": 2030 + n,
                "title": f"matrix 中职 list {n}",
                "lines": [
                    {
                        "seq": 1,
                        "college": "4401Z001",
                        "major_code": "700209",
                        "intake": "初中起点",
                        "length_years": 3,
                        "reason": "matrix: added by hand",
                    }
                ],
            },
        )["id"]

    def direction(self) -> int:
        """A fresh kept 专业方向 of 广州市旅游商务职业学校 (a school of OTHER_AUTHORITY)."""
        n = self.cache["directions"] = self.cache.get("directions", 0) + 1
        body = {"college": "4401Z001", "name": f"艺术设计与制作（矩阵{n}）", "year": 2025}
        return self.as_superuser("POST", "/api/v1/directions", json=body)["id"]

    def published_publication(self) -> int:
        publication_id = self.draft_publication(to_publish=True)
        self.as_superuser("POST", f"/api/v1/publications/{publication_id}/publish")
        return publication_id

    def college_token_id(self, college: str = OWN_COLLEGE) -> int:
        body = self.as_superuser(
            "POST",
            "/api/v1/tokens",
            json={"name": "to-revoke", "role": "college", "college": college},
        )
        return body["id"]


Build = Callable[[Ctx, str], Call]


@dataclass
class Row:
    expect: dict[str, int]
    build: Build


def statuses(ok: int, allowed: tuple[str, ...], *, denied: int = 403, anonymous: int = 401):
    """``ok`` for the allowed roles, ``denied`` for the other signed-in ones."""
    out = {role: (ok if role in allowed else denied) for role in ROLES}
    if "anonymous" not in allowed:
        out["anonymous"] = anonymous
    return out


EVERYONE = ROLES
SIGNED_IN = tuple(r for r in ROLES if r != "anonymous")
ADMINS = ("superuser", "admin", "other_admin")
OWN_ADMINS = ("superuser", "admin")  # admins governing OWN_COLLEGE
EDU_ADMINS = ("superuser", "other_admin")  # admins of 广州市教育局 (the 中职 schools)
SUPERUSER = ("superuser",)


FILING_YEAR = 2025
SEED = Path(__file__).resolve().parents[2] / "seed"
# Catalog majors 广州市技师学院 (OWN_COLLEGE) does not run: new entries of its filings.
RUNS = {"0702", "0219", "0529", "8172", "0314", "0444", "8206"}
with open(SEED / "catalog_technician_2022.csv", encoding="utf-8", newline="") as _handle:
    FREE_MAJORS = [
        (r["code"], r["name"], r["category"])
        for r in csv.DictReader(_handle)
        if r["code"] not in RUNS
    ]

# One (intake, level, years) per role, so each allowed role creates a distinct offering.
OFFERINGS = [
    ("初中起点", "中级", 3),
    ("初中起点", "高级", 5),
    ("初中起点", "预备技师", 6),
    ("高中起点", "高级", 3),
    ("高中起点", "预备技师", 4),
    ("中技起点", "高级", 2),
    ("高技起点", "预备技师", 2),
    ("高中、中专或中技起点", "高级", 3),
]


def offering(role: str) -> dict[str, Any]:
    intake, level, years = OFFERINGS[ROLES.index(role)]
    return {"intake": intake, "level": level, "length_years": years}


def fixed(path: str, **kwargs) -> Build:
    return lambda ctx, role: Call(path, **kwargs)


def _suffix(role: str) -> str:
    return str(ROLES.index(role))


# --- core registry: catalogs, colleges, programs --------------------------------------------

CORE: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/catalogs"): Row(statuses(200, EVERYONE), fixed("/api/v1/catalogs")),
    ("POST", "/api/v1/catalogs"): Row(
        statuses(201, SUPERUSER),
        lambda ctx, role: Call(
            "/api/v1/catalogs",
            json={
                "key": f"matrix-{_suffix(role)}",
                "title": "matrix edition",
                "system": "technician",
            },
        ),
    ),
    ("GET", "/api/v1/catalogs/{key}/majors"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/catalogs/technician-2022/majors")
    ),
    ("POST", "/api/v1/catalogs/{key}/majors"): Row(
        statuses(201, SUPERUSER),
        lambda ctx, role: Call(
            "/api/v1/catalogs/technician-2022/majors",
            json={
                "code": f"159{_suffix(role)}",
                "name": f"测试专业{_suffix(role)}",
                "category": "其他",
            },
        ),
    ),
    ("PATCH", "/api/v1/catalogs/{key}/majors/{code}"): Row(
        statuses(200, SUPERUSER),
        fixed("/api/v1/catalogs/technician-2022/majors/0127", json={"name": "机电一体化技术"}),
    ),
    ("GET", "/api/v1/catalogs/{key}/crosswalk"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/catalogs/technician-2022/crosswalk")
    ),
    ("POST", "/api/v1/catalogs/{key}/crosswalk"): Row(
        statuses(201, SUPERUSER),
        lambda ctx, role: Call(
            "/api/v1/catalogs/technician-2022/crosswalk",
            json={
                "from_edition": ctx.old_edition(),
                "from_code": f"039{_suffix(role)}",
                "to_code": "0127",
                "relation": "renamed",
            },
        ),
    ),
    ("GET", "/api/v1/colleges"): Row(statuses(200, EVERYONE), fixed("/api/v1/colleges")),
    ("POST", "/api/v1/colleges"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/colleges",
            json={
                "code": f"4401J9{_suffix(role)}",
                "name": f"广州市测试技师学院{_suffix(role)}",
                "type": "技师学院",
                "ownership": "公办",
                "province": "广东省",
                "city": "广州市",
            },
        ),
    ),
    ("GET", "/api/v1/colleges/{code}"): Row(
        statuses(200, EVERYONE), fixed(f"/api/v1/colleges/{OTHER_COLLEGE}")
    ),
    ("PATCH", "/api/v1/colleges/{code}"): Row(
        statuses(200, OWN_ADMINS),
        fixed(f"/api/v1/colleges/{OWN_COLLEGE}", json={"ownership": "公办"}),
    ),
    ("GET", "/api/v1/programs"): Row(statuses(200, EVERYONE), fixed("/api/v1/programs")),
    ("GET", "/api/v1/programs/{program_id}"): Row(
        statuses(200, EVERYONE), lambda ctx, role: Call(f"/api/v1/programs/{ctx.program_id()}")
    ),
    ("POST", "/api/v1/programs"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/programs",
            json={
                "college": OWN_COLLEGE,
                "major_code": "0127",
                "since_year": 2025,
                **offering(role),
            },
        ),
    ),
    ("PATCH", "/api/v1/programs/{program_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(f"/api/v1/programs/{ctx.program_id()}", json={"length_years": 5}),
    ),
}


def upload(name: str, text: str) -> dict[str, Any]:
    return {"file": (name, text.encode("utf-8"), "text/csv")}


def _college_row(role: str) -> str:
    return (
        f"code,name,type,ownership,province,city\n4401J8{_suffix(role)},"
        f"广州市导入技师学院{_suffix(role)},技师学院,公办,广东省,广州市\n"
    )


PROGRAMS_HEADER = (
    "college_code,college,major_code,major_name,category,intake,level,"
    "length_years,status,since_year\n"
)

IMPORTS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/majors"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/majors", params={"q": "jidian"})
    ),
    ("POST", "/api/v1/catalogs/{key}/import"): Row(
        statuses(200, SUPERUSER),
        fixed(
            "/api/v1/catalogs/technician-2022/import",
            files=upload("c.csv", "code,name,category\n0127,机电一体化技术,机械类\n"),
        ),
    ),
    ("POST", "/api/v1/colleges/import"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/colleges/import", files=upload("colleges.csv", _college_row(role))
        ),
    ),
    ("POST", "/api/v1/programs/import"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/programs/import",
            files=upload(
                "programs.csv",
                PROGRAMS_HEADER + f"{OWN_COLLEGE},广州市技师学院,0127,机电一体化技术,"
                f"机械类,{OFFERINGS[ROLES.index(role)][0]},{OFFERINGS[ROLES.index(role)][1]},"
                f"{OFFERINGS[ROLES.index(role)][2]},active,2025\n",
            ),
        ),
    ),
}

# --- filings and review -----------------------------------------------------------------------

FILERS = ("college", "superuser", "admin")  # the college itself, or an admin governing it
DECIDERS = ("superuser", "admin", "reviewer")


def _filing_csv(ctx: Ctx) -> dict[str, Any]:
    e = ctx.entry()
    text = (
        "序号,学校,专业,专业类别,专业代码,层次,级别,学制,备注\n"
        f"1,广州市技师学院,{e['major_name']},{e['category']},{e['major_code']},{e['intake']},"
        f"{e['level']},{e['length_years']},\n"
    )
    return upload("filing.csv", text)


FILINGS: dict[tuple[str, str], Row] = {
    ("POST", "/api/v1/rounds"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/rounds",
            json={
                "authority": OWN_AUTHORITY,
                "year": 2030 + ROLES.index(role),
                "title": "r",
                "opens_at": "2020-01-01T00:00:00Z",
                "closes_at": "2099-12-31T00:00:00Z",
            },
        ),
    ),
    ("GET", "/api/v1/rounds"): Row(statuses(200, EVERYONE), fixed("/api/v1/rounds")),
    ("GET", "/api/v1/rounds/{round_id}"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(f"/api/v1/rounds/{ctx.cached('round', ctx.open_round)}"),
    ),
    ("GET", "/api/v1/rounds/{round_id}/summary"): Row(
        statuses(200, ("superuser", "admin", "reviewer")),
        lambda ctx, role: Call(f"/api/v1/rounds/{ctx.cached('round', ctx.open_round)}/summary"),
    ),
    ("PATCH", "/api/v1/rounds/{round_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/rounds/{ctx.fresh_round(role)}",
            json={"closes_at": "2099-12-30", "reason": "matrix"},
        ),
    ),
    ("POST", "/api/v1/rounds/{round_id}/close"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/rounds/{ctx.fresh_round(role, base=2060)}/close",
            json={"reason": "matrix"},
        ),
    ),
    # contract.md "Checking a filing": any valid token; a college token only for its own college.
    ("POST", "/api/v1/filings/validate"): Row(
        statuses(200, tuple(r for r in SIGNED_IN if r != "other_college")),
        lambda ctx, role: Call(
            "/api/v1/filings/validate",
            json={
                "college": OWN_COLLEGE,
                "year": FILING_YEAR,
                "entries": [ctx.entry()],
            },
        ),
    ),
    ("GET", "/api/v1/filings/template.{fmt}"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/filings/template.xlsx")
    ),
    ("POST", "/api/v1/filings"): Row(
        statuses(201, FILERS),
        lambda ctx, role: Call(
            "/api/v1/filings",
            json={
                "college": OWN_COLLEGE,
                "year": FILING_YEAR,
                "entries": [ctx.entry()],
            },
        ),
    ),
    ("POST", "/api/v1/filings/import"): Row(
        statuses(201, FILERS),
        lambda ctx, role: Call(
            "/api/v1/filings/import",
            files=_filing_csv(ctx),
            data={"year": str(FILING_YEAR), "college": OWN_COLLEGE},
        ),
    ),
    ("GET", "/api/v1/filings"): Row(statuses(200, SIGNED_IN), fixed("/api/v1/filings")),
    # A submitted filing: its college, and the staff of its authority.
    ("GET", "/api/v1/filings/{filing_id}"): Row(
        statuses(200, ("college", *DECIDERS)),
        lambda ctx, role: Call(f"/api/v1/filings/{ctx.cached('filing', ctx.submitted)['id']}"),
    ),
    ("PUT", "/api/v1/filings/{filing_id}"): Row(
        statuses(200, FILERS),
        lambda ctx, role: Call(
            f"/api/v1/filings/{ctx.draft()['id']}", json={"version": 1, "entries": [ctx.entry()]}
        ),
    ),
    ("POST", "/api/v1/filings/{filing_id}/submit"): Row(
        statuses(200, FILERS),
        lambda ctx, role: Call(
            f"/api/v1/filings/{(ctx.open_round(), ctx.draft())[1]['id']}/submit"
        ),
    ),
    ("POST", "/api/v1/filings/{filing_id}/withdraw"): Row(
        statuses(200, FILERS),
        lambda ctx, role: Call(f"/api/v1/filings/{ctx.submitted()['id']}/withdraw"),
    ),
    ("POST", "/api/v1/filings/{filing_id}/entries/{index}/decision"): Row(
        statuses(200, DECIDERS),
        lambda ctx, role: Call(
            f"/api/v1/filings/{ctx.submitted()['id']}/entries/0/decision",
            json={"decision": "approved"},
        ),
    ),
    ("POST", "/api/v1/filings/{filing_id}/decisions"): Row(
        statuses(200, DECIDERS),
        lambda ctx, role: Call(
            f"/api/v1/filings/{ctx.submitted()['id']}/decisions",
            json={"decisions": [{"index": 0, "decision": "approved"}]},
        ),
    ),
    # Referrals go to the province (GD-HRSS): its admins and the superuser decide them; every
    # admin and reviewer on the path (the referring city's too) sees them (issue 23, item 8).
    ("GET", "/api/v1/referrals"): Row(
        statuses(200, ("superuser", "admin", "other_admin", "reviewer", "other_reviewer")),
        fixed("/api/v1/referrals"),
    ),
    ("GET", "/api/v1/referrals/{referral_id}"): Row(
        statuses(200, DECIDERS),
        lambda ctx, role: Call(f"/api/v1/referrals/{ctx.cached('referral', ctx.referral)}"),
    ),
    ("POST", "/api/v1/referrals/{referral_id}/decision"): Row(
        statuses(200, SUPERUSER),
        lambda ctx, role: Call(
            f"/api/v1/referrals/{ctx.referral()}/decision",
            json={"decision": "rejected", "reason": "matrix"},
        ),
    ),
}

# --- publications and exports ------------------------------------------------------------------

STAFF = ("superuser", "admin", "reviewer")  # who sees the authority's drafts


def _draft_path(suffix: str = "") -> Build:
    return lambda ctx, role: Call(
        f"/api/v1/publications/{ctx.cached('draft', ctx.draft_publication)}{suffix}"
    )


PUBLICATIONS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/programs.csv"): Row(statuses(200, EVERYONE), fixed("/api/v1/programs.csv")),
    ("GET", "/api/v1/programs.xlsx"): Row(statuses(200, EVERYONE), fixed("/api/v1/programs.xlsx")),
    ("GET", "/api/v1/programs/{program_id}/approvals"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(f"/api/v1/programs/{ctx.program_id()}/approvals"),
    ),
    ("GET", "/api/v1/statistics/approvals"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/statistics/approvals")
    ),
    ("GET", "/api/v1/publications"): Row(statuses(200, EVERYONE), fixed("/api/v1/publications")),
    ("GET", "/api/v1/publications/diff"): Row(
        statuses(200, EVERYONE),
        fixed("/api/v1/publications/diff", params={"from": "year:2024", "to": "year:2024"}),
    ),
    ("GET", "/api/v1/publications/diff.csv"): Row(
        statuses(200, EVERYONE),
        fixed("/api/v1/publications/diff.csv", params={"from": "year:2024", "to": "year:2024"}),
    ),
    ("GET", "/api/v1/publications/diff.xlsx"): Row(
        statuses(200, EVERYONE),
        fixed("/api/v1/publications/diff.xlsx", params={"from": "year:2024", "to": "year:2024"}),
    ),
    ("GET", "/api/v1/publications/{series}/latest"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/publications/GZ-HRSS-2024/latest")
    ),
    # The redirect (307) is followed to the permanent download.
    ("GET", "/api/v1/publications/{series}/latest.{ext}"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/publications/GZ-HRSS-2024/latest.csv")
    ),
    # A draft is never public: outside its authority's staff it does not exist (404).
    ("GET", "/api/v1/publications/{publication_id}"): Row(
        statuses(200, STAFF, denied=404, anonymous=404), _draft_path()
    ),
    ("GET", "/api/v1/publications/{publication_id}.csv"): Row(
        statuses(200, STAFF, denied=404, anonymous=404), _draft_path(".csv")
    ),
    ("GET", "/api/v1/publications/{publication_id}.xlsx"): Row(
        statuses(200, STAFF, denied=404, anonymous=404), _draft_path(".xlsx")
    ),
    ("GET", "/api/v1/publications/{publication_id}/{annex}.{ext}"): Row(
        statuses(200, STAFF, denied=404, anonymous=404), _draft_path("/specialties.csv")
    ),
    ("POST", "/api/v1/publications"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/publications",
            json={
                "authority": OWN_AUTHORITY,
                "year": 2040 + ROLES.index(role),
                "title": "list",
                "published_on": "2030-01-01",
                "lines": [HAND_LINE],
            },
        ),
    ),
    ("PATCH", "/api/v1/publications/{publication_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication()}", json={"title": "renamed"}
        ),
    ),
    ("PUT", "/api/v1/publications/{publication_id}/lines"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication()}/lines",
            json={
                "lines": [HAND_LINE | {"intake": "高中起点", "length_years": 3}],
            },
        ),
    ),
    ("PUT", "/api/v1/publications/{publication_id}/specialties"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication()}/specialties", json={"specialties": []}
        ),
    ),
    ("PUT", "/api/v1/publications/{publication_id}/projects"): Row(
        statuses(200, EDU_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.secondary_draft_publication()}/projects",
            json={
                "projects": [
                    {"school": "广州市旅游商务职业学校", "major_name": "邮轮乘务", "project": "p"}
                ]
            },
        ),
    ),
    ("PUT", "/api/v1/publications/{publication_id}/directions"): Row(
        statuses(200, EDU_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.secondary_draft_publication()}/directions",
            json={"directions": []},
        ),
    ),
    ("DELETE", "/api/v1/publications/{publication_id}"): Row(
        statuses(204, OWN_ADMINS),
        lambda ctx, role: Call(f"/api/v1/publications/{ctx.draft_publication()}"),
    ),
    ("POST", "/api/v1/publications/{publication_id}/publish"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication(to_publish=True)}/publish"
        ),
    ),
    ("POST", "/api/v1/publications/{publication_id}/announce"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication()}/announce",
            json={"from": "2030-01-01", "until": "2030-01-07", "contact": "020-1234"},
        ),
    ),
    ("POST", "/api/v1/publications/{publication_id}/objections"): Row(
        statuses(201, STAFF),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.draft_publication()}/objections",
            json={"text": "matrix objection", "seq": 1},
        ),
    ),
    ("PATCH", "/api/v1/publications/{publication_id}/objections/{objection_id}"): Row(
        statuses(200, STAFF),
        lambda ctx, role: Call(
            ctx.objection_path(), json={"status": "dismissed", "resolution": "no ground"}
        ),
    ),
    ("POST", "/api/v1/publications/{publication_id}/corrections"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/publications/{ctx.published_publication()}/corrections",
            json={"reason": "matrix correction"},
        ),
    ),
}

# --- access control and audit ----------------------------------------------------------------

ACCESS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/me"): Row(statuses(200, SIGNED_IN), fixed("/api/v1/me")),
    ("GET", "/api/v1/tokens"): Row(statuses(200, ADMINS), fixed("/api/v1/tokens")),
    ("POST", "/api/v1/tokens"): Row(
        statuses(201, OWN_ADMINS),
        fixed(
            "/api/v1/tokens",
            json={
                "name": "new reviewer",
                "role": "reviewer",
                "authority": OWN_AUTHORITY,
                "days": 30,
            },
        ),
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(f"/api/v1/tokens/{ctx.college_token_id()}"),
    ),
    ("GET", "/api/v1/audit"): Row(statuses(200, ADMINS), fixed("/api/v1/audit")),
}

# --- catalog adoption (app/adoption) and the crosswalk import ----------------------------------

ADOPTION: dict[tuple[str, str], Row] = {
    ("POST", "/api/v1/catalogs/{key}/adoption"): Row(
        statuses(200, SUPERUSER),
        lambda ctx, role: Call(
            f"/api/v1/catalogs/{ctx.new_edition()}/adoption", json={"from": "technician-2022"}
        ),
    ),
    ("GET", "/api/v1/catalogs/{key}/adoption.csv"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(
            f"/api/v1/catalogs/{ctx.new_edition()}/adoption.csv",
            params={"from": "technician-2022"},
        ),
    ),
    ("GET", "/api/v1/catalogs/{key}/adoption.xlsx"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(
            f"/api/v1/catalogs/{ctx.new_edition()}/adoption.xlsx",
            params={"from": "technician-2022"},
        ),
    ),
    ("POST", "/api/v1/catalogs/{key}/crosswalk/import"): Row(
        statuses(200, SUPERUSER),
        lambda ctx, role: Call(
            "/api/v1/catalogs/technician-2022/crosswalk/import",
            files=upload("对照表.csv", "old_code,new_code,relation\n0301,0301,unchanged\n"),
            data={"from_edition": ctx.old_edition()},
        ),
    ),
}

# --- change feed, webhooks -------------------------------------------------------------------

# A public address: the SSRF check passes without any network (nothing is delivered here).
WEBHOOK = {"url": "http://93.184.216.34/hook", "entities": ["program"], "secret": "s" * 20}


def own_webhook(ok: int) -> dict[str, int]:
    """A webhook of 广州市人社局's admin: its authority's admins and the superuser; the other
    authority's admin does not see it (404)."""
    return statuses(ok, OWN_ADMINS) | {"other_admin": 404}


def _webhook(ctx: Ctx) -> int:
    response = ctx.client.post("/api/v1/webhooks", json=WEBHOOK, headers=ctx.headers["admin"])
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _redeliver_path(ctx: Ctx) -> str:
    from app.webhooks.models import WebhookDelivery

    hook = _webhook(ctx)
    with Session(ctx.engine) as session:
        delivery = WebhookDelivery(
            uid=f"matrix-{hook}",
            webhook_id=hook,
            first_seq=1,
            last_seq=1,
            entities="program",
            item_count=1,
        )
        session.add(delivery)
        session.commit()
    return f"/api/v1/webhooks/{hook}/deliveries/matrix-{hook}/redeliver"


CHANGES: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/changes"): Row(statuses(200, EVERYONE), fixed("/api/v1/changes")),
    ("GET", "/api/v1/changes/head"): Row(statuses(200, EVERYONE), fixed("/api/v1/changes/head")),
    ("POST", "/api/v1/webhooks"): Row(
        statuses(201, ADMINS), fixed("/api/v1/webhooks", json=WEBHOOK)
    ),
    ("GET", "/api/v1/webhooks"): Row(statuses(200, ADMINS), fixed("/api/v1/webhooks")),
    ("GET", "/api/v1/webhooks/{webhook_id}"): Row(
        own_webhook(200), lambda ctx, role: Call(f"/api/v1/webhooks/{_webhook(ctx)}")
    ),
    ("PATCH", "/api/v1/webhooks/{webhook_id}"): Row(
        own_webhook(200),
        lambda ctx, role: Call(f"/api/v1/webhooks/{_webhook(ctx)}", json={"active": False}),
    ),
    ("DELETE", "/api/v1/webhooks/{webhook_id}"): Row(
        own_webhook(204), lambda ctx, role: Call(f"/api/v1/webhooks/{_webhook(ctx)}")
    ),
    ("GET", "/api/v1/webhooks/{webhook_id}/deliveries"): Row(
        own_webhook(200), lambda ctx, role: Call(f"/api/v1/webhooks/{_webhook(ctx)}/deliveries")
    ),
    ("POST", "/api/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver"): Row(
        own_webhook(202), lambda ctx, role: Call(_redeliver_path(ctx))
    ),
}

# --- 专业方向 of 中职 schools: public reads, writes by the admins of 广州市教育局 --------------

DIRECTIONS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/directions"): Row(statuses(200, EVERYONE), fixed("/api/v1/directions")),
    ("GET", "/api/v1/directions/{direction_id}"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(f"/api/v1/directions/{ctx.cached('direction', ctx.direction)}"),
    ),
    ("POST", "/api/v1/directions"): Row(
        statuses(201, EDU_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/directions",
            json={"college": "4401Z001", "name": f"艺术设计与制作（{role}）", "year": 2025},
        ),
    ),
    ("PATCH", "/api/v1/directions/{direction_id}"): Row(
        statuses(200, EDU_ADMINS),
        lambda ctx, role: Call(f"/api/v1/directions/{ctx.direction()}", json={"reason": "x"}),
    ),
    ("DELETE", "/api/v1/directions/{direction_id}"): Row(
        statuses(204, EDU_ADMINS),
        lambda ctx, role: Call(f"/api/v1/directions/{ctx.direction()}"),
    ),
    ("POST", "/api/v1/directions/import"): Row(
        statuses(200, EDU_ADMINS),
        lambda ctx, role: Call(
            "/api/v1/directions/import",
            files=upload(
                "附件3.csv",
                "学校名称,原专业方向名称,规范专业名称,说明,年份\n"
                f"广州市旅游商务职业学校,艺术设计与制作（导入{role}）,,,2025\n",
            ),
        ),
    ),
}

TABLE: dict[tuple[str, str], Row] = {
    **CORE,
    **IMPORTS,
    **FILINGS,
    **PUBLICATIONS,
    **DIRECTIONS,
    **ACCESS,
    **ADOPTION,
    **CHANGES,
}


# ---- issue 24: program lifecycle ------------------------------------------------------------


def _fresh_college(ctx: Ctx, tag: str, role: str) -> str:
    """A new technician college of OWN_COLLEGE's authority (广州), one per role and use: a
    merge or closure ends it, so no role's call meets another's."""
    code = f"4401{tag}{_suffix(role)}"
    body = {
        "code": code,
        "name": f"广州市{tag}{_suffix(role)}技师学院",
        "type": "技师学院",
        "ownership": "公办",
        "province": "广东省",
        "city": "广州市",
    }
    ctx.as_superuser("POST", "/api/v1/colleges", json=body)
    return code


LIFECYCLE: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/programs/{program_id}/history"): Row(
        statuses(200, EVERYONE),
        lambda ctx, role: Call(f"/api/v1/programs/{ctx.program_id()}/history"),
    ),
    ("POST", "/api/v1/colleges/{code}/merge"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/colleges/{_fresh_college(ctx, 'MS', role)}/merge",
            json={
                "into": _fresh_college(ctx, "MI", role),
                "effective_on": "2025-09-01",
                "reason": "并入",
            },
        ),
    ),
    ("POST", "/api/v1/colleges/{code}/close"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(
            f"/api/v1/colleges/{_fresh_college(ctx, 'CL', role)}/close",
            json={"effective_on": "2025-09-01", "reason": "停办"},
        ),
    ),
    ("GET", "/api/v1/colleges/{code}/merge-preview"): Row(
        statuses(200, OWN_ADMINS),
        fixed(f"/api/v1/colleges/{OWN_COLLEGE}/merge-preview", params={"into": "4401J002"}),
    ),
    ("GET", "/api/v1/statistics/programs"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/statistics/programs", params={"by": "major"})
    ),
    ("GET", "/api/v1/statistics/programs.{ext}"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/statistics/programs.csv", params={"by": "city"})
    ),
}
TABLE.update(LIFECYCLE)


# --- callers above and beside OWN_AUTHORITY (issue 22) -----------------------------------------

# caller -> the matrix slot it builds its call in and whose expected status it gets by default:
# the province governs everything 广州市人社局 does; a sibling city bureau governs none of it,
# as the other authority's staff do not.
PARENT_AND_SIBLING = {
    "province_admin": "admin",
    "province_reviewer": "reviewer",
    "sibling_admin": "other_admin",
    "sibling_reviewer": "other_reviewer",
}

# Where a caller's answer differs from its slot's, and why.
# The other authority's admin (广州市教育局) governs the 中职 schools the directions and the 中职
# list's annexes belong to; the sibling technician bureau does not.
_NOT_THE_SIBLING = {"sibling_admin": 403}
PARENT_AND_SIBLING_EXCEPTIONS: dict[tuple[str, str], dict[str, int]] = {
    ("POST", "/api/v1/directions"): _NOT_THE_SIBLING,
    ("POST", "/api/v1/directions/import"): _NOT_THE_SIBLING,
    ("PATCH", "/api/v1/directions/{direction_id}"): _NOT_THE_SIBLING,
    ("DELETE", "/api/v1/directions/{direction_id}"): _NOT_THE_SIBLING,
    ("PUT", "/api/v1/publications/{publication_id}/projects"): _NOT_THE_SIBLING,
    ("PUT", "/api/v1/publications/{publication_id}/directions"): _NOT_THE_SIBLING,
    # A referral goes up to the province, whose admins decide it (the city only follows it).
    ("POST", "/api/v1/referrals/{referral_id}/decision"): {"province_admin": 200},
}


def parent_and_sibling_expect(route: tuple[str, str]) -> dict[str, int]:
    row = TABLE[route]
    expect = {caller: row.expect[slot] for caller, slot in PARENT_AND_SIBLING.items()}
    return expect | PARENT_AND_SIBLING_EXCEPTIONS.get(route, {})
