"""The governance helpers every domain calls: who governs which authority, college and catalog."""

import pytest
from sqlmodel import Session, select

from app.access import policy
from app.access.principal import Principal
from app.authorities import service as authorities
from app.authorities.models import Authority
from app.colleges.models import College


@pytest.fixture
def db(seeded):
    with Session(seeded) as session:
        yield session


def ids(session: Session) -> dict[str, int]:
    return {a.code: a.id for a in session.exec(select(Authority)).all()}


def college(session: Session, code: str) -> College:
    return session.exec(select(College).where(College.code == code)).one()


def admin(authority_id: int | None) -> Principal:
    return Principal(name="a", role="admin", authority_id=authority_id)


@pytest.mark.parametrize(
    ("actor", "target", "governs"),
    [
        ("GZ-HRSS", "GZ-HRSS", True),
        ("GD-HRSS", "GZ-HRSS", True),  # the province governs the city bureau under it
        ("GZ-HRSS", "GD-HRSS", False),  # ... not the other way round
        ("GZ-EDU", "GZ-HRSS", False),
        ("GD-EDU", "GZ-HRSS", False),  # another system's province
        (None, "GZ-EDU", True),  # the superuser governs everything
    ],
)
def test_governs_authority_follows_the_parent_chain(db, actor, target, governs):
    codes = ids(db)
    principal = admin(codes[actor] if actor else None)
    assert policy.governs(db, principal, codes[target]) is governs


def test_governed_authorities_lists_own_and_descendants_and_none_for_superuser(db):
    codes = ids(db)
    assert set(policy.governed_authorities(db, admin(codes["GD-HRSS"]))) == {
        codes["GD-HRSS"],
        codes["GZ-HRSS"],
    }
    assert policy.governed_authorities(db, admin(None)) is None
    own_college = Principal(name="c", role="college", college_id=1)
    assert policy.governed_authorities(db, own_college) == []


def test_college_token_acts_for_its_own_college_only(db):
    own, other = college(db, "4401J001"), college(db, "4401J002")
    principal = Principal(name="c", role="college", college_id=own.id)
    assert policy.can_act_for_college(db, principal, own)
    assert not policy.can_act_for_college(db, principal, other)
    assert not policy.can_manage_college(db, principal, own)  # acting is not administering


def test_reviewer_sees_but_neither_manages_nor_files_for_a_college(db):
    codes = ids(db)
    reviewer = Principal(name="r", role="reviewer", authority_id=codes["GZ-HRSS"])
    own = college(db, "4401J001")
    assert policy.can_see_college_private(db, reviewer, own)
    assert not policy.can_manage_college(db, reviewer, own)
    assert not policy.can_act_for_college(db, reviewer, own)
    assert policy.can_decide(db, reviewer, codes["GZ-HRSS"])
    assert not policy.can_decide(db, reviewer, codes["GZ-EDU"])


def test_ensure_helpers_raise_forbidden(db):
    from app.errors import Forbidden

    with pytest.raises(Forbidden):
        policy.ensure_manage_college(db, admin(ids(db)["GZ-EDU"]), college(db, "4401J001"))


@pytest.mark.parametrize(
    ("actor", "province", "system", "allowed"),
    [
        (None, None, "technician", True),
        ("GD-HRSS", "广东省", "technician", True),  # the province's specialty catalog
        ("GD-HRSS", None, "technician", False),  # a national edition
        ("GZ-HRSS", "广东省", "technician", False),  # a city bureau
        ("GD-EDU", "广东省", "technician", False),  # another system
        ("GD-HRSS", "江苏省", "technician", False),
    ],
)
def test_catalog_writes_belong_to_the_superuser_or_the_provinces_bureau(
    db, actor, province, system, allowed
):
    principal = admin(ids(db)[actor] if actor else None)
    assert policy.can_manage_edition(db, principal, province=province, system=system) is allowed


def test_authority_cycle_does_not_hang(db):
    codes = ids(db)
    gd = db.get(Authority, codes["GD-HRSS"])
    gd.parent_id = codes["GZ-HRSS"]  # a data-entry mistake: the city above the province
    db.add(gd)
    db.flush()
    assert authorities.chain_ids(db, codes["GZ-HRSS"]) == [codes["GZ-HRSS"], codes["GD-HRSS"]]
    assert set(policy.governed_authorities(db, admin(codes["GZ-HRSS"]))) == {
        codes["GZ-HRSS"],
        codes["GD-HRSS"],
    }
    db.rollback()
