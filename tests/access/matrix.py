"""The route × role table: for every (method, route) of the OpenAPI schema, how to call it as
each role and the status each role must get. ``test_route_matrix.py`` walks it.

A row's ``build(ctx, role)`` returns the request; it may create what the call needs (a draft
filing of the own college, a token to revoke...) — fresh for each role, so an allowed role's
write never disturbs the next role's call. Roles are walked denied-first (see ROLE_ORDER).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.colleges.models import College
from app.programs.models import Program
from tests.access.conftest import OTHER_COLLEGE, OWN_AUTHORITY, OWN_COLLEGE, ROLES

ROLE_ORDER = (
    "anonymous", "other_college", "college", "other_reviewer", "reviewer", "other_admin",
    "admin", "superuser",
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

    def college_token_id(self, college: str = OWN_COLLEGE) -> int:
        body = self.as_superuser(
            "POST", "/api/v1/tokens",
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
SUPERUSER = ("superuser",)


# One (intake, level, years) per role, so each allowed role creates a distinct offering.
OFFERINGS = [
    ("初中起点", "中级", 3), ("初中起点", "高级", 5), ("初中起点", "预备技师", 6),
    ("高中起点", "高级", 3), ("高中起点", "预备技师", 4), ("中技起点", "高级", 2),
    ("高技起点", "预备技师", 2), ("高中、中专或中技起点", "高级", 3),
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
        lambda ctx, role: Call("/api/v1/catalogs", json={
            "key": f"matrix-{_suffix(role)}", "title": "matrix edition", "system": "technician",
        }),
    ),
    ("GET", "/api/v1/catalogs/{key}/majors"): Row(
        statuses(200, EVERYONE), fixed("/api/v1/catalogs/technician-2022/majors")
    ),
    ("POST", "/api/v1/catalogs/{key}/majors"): Row(
        statuses(201, SUPERUSER),
        lambda ctx, role: Call("/api/v1/catalogs/technician-2022/majors", json={
            "code": f"159{_suffix(role)}", "name": f"测试专业{_suffix(role)}", "category": "其他",
        }),
    ),
    ("PATCH", "/api/v1/catalogs/{key}/majors/{code}"): Row(
        statuses(200, SUPERUSER),
        fixed("/api/v1/catalogs/technician-2022/majors/0127", json={"name": "机电一体化技术"}),
    ),
    ("GET", "/api/v1/colleges"): Row(statuses(200, EVERYONE), fixed("/api/v1/colleges")),
    ("POST", "/api/v1/colleges"): Row(
        statuses(201, OWN_ADMINS),
        lambda ctx, role: Call("/api/v1/colleges", json={
            "code": f"4401J9{_suffix(role)}", "name": f"广州市测试技师学院{_suffix(role)}",
            "type": "技师学院", "ownership": "公办", "province": "广东省", "city": "广州市",
        }),
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
        lambda ctx, role: Call("/api/v1/programs", json={
            "college": OWN_COLLEGE, "major_code": "0127", "since_year": 2025,
            **offering(role),
        }),
    ),
    ("PATCH", "/api/v1/programs/{program_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(f"/api/v1/programs/{ctx.program_id()}", json={"length_years": 5}),
    ),
}

# --- access control and audit ----------------------------------------------------------------

ACCESS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/me"): Row(statuses(200, SIGNED_IN), fixed("/api/v1/me")),
    ("GET", "/api/v1/tokens"): Row(statuses(200, ADMINS), fixed("/api/v1/tokens")),
    ("POST", "/api/v1/tokens"): Row(
        statuses(201, OWN_ADMINS),
        fixed("/api/v1/tokens", json={
            "name": "new reviewer", "role": "reviewer", "authority": OWN_AUTHORITY, "days": 30,
        }),
    ),
    ("DELETE", "/api/v1/tokens/{token_id}"): Row(
        statuses(200, OWN_ADMINS),
        lambda ctx, role: Call(f"/api/v1/tokens/{ctx.college_token_id()}"),
    ),
    ("GET", "/api/v1/audit"): Row(statuses(200, ADMINS), fixed("/api/v1/audit")),
}

TABLE: dict[tuple[str, str], Row] = {**CORE, **ACCESS}
