"""Keyword-only factories for test data."""

from sqlalchemy.engine import Engine
from sqlmodel import select

from app.access.tokens import create_token
from app.authorities.models import Authority
from app.colleges.models import College
from app.db import session_scope

GZ_TECHNICIAN_COLLEGE = "4401J001"  # 广州市技师学院 in seed/colleges.csv


def make_token(
    engine: Engine,
    *,
    role: str = "admin",
    name: str | None = None,
    college: str | None = None,
    authority: str | None = None,
    days: int | None = None,
) -> str:
    with session_scope(engine) as session:
        college_id = authority_id = None
        if college:
            college_id = session.exec(select(College.id).where(College.code == college)).one()
        if authority:
            authority_id = session.exec(
                select(Authority.id).where(Authority.code == authority)
            ).one()
        _, plain = create_token(
            session,
            role=role,
            name=name or f"test-{role}",
            college_id=college_id,
            authority_id=authority_id,
            days=days,
        )
    return plain


def make_college(
    engine: Engine,
    *,
    code: str,
    name: str,
    type: str = "技师学院",
    ownership: str = "公办",
    province: str = "广东省",
    city: str | None = "广州市",
) -> College:
    from app.colleges.service import governing_authority

    with session_scope(engine) as session:
        # The bureau that governs it, as POST /colleges would set it (scope checks rely on it).
        authority_id = governing_authority(session, province=province, city=city, college_type=type)
        college = College(
            code=code,
            name=name,
            type=type,
            ownership=ownership,
            province=province,
            city=city,
            authority_id=authority_id,
        )
        session.add(college)
    return college


def make_user(
    engine: Engine,
    *,
    username: str,
    password: str,
    role: str = "admin",
    college: str | None = None,
    authority: str | None = None,
) -> None:
    """A user with a chosen password (the superuser creates it, as `registry user create`)."""
    from app import accounts
    from app.access.principal import Principal

    superuser = Principal(name="tests", role="admin", authority_id=None, college_id=None)
    with session_scope(engine) as session:
        accounts.create_user(
            session,
            username=username,
            role=role,
            authority=authority,
            college=college,
            password=password,
            actor=superuser,
        )
