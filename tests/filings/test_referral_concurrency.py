"""Two province admins approving referred proposals at the same moment get different codes."""

import threading

import pytest
from sqlmodel import Session, select

from app.access.principal import Principal
from app.authorities.models import Authority
from app.db import writer
from app.filings import referrals
from app.filings.schemas import ReferralDecisionIn
from tests.filings.helpers import submitted_filing

PROPOSALS = {
    "4401J001": {
        "major_name": "低空经济无人机技术",
        "category": "交通类",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
    },
    "4401J005": {
        "major_name": "智慧水务运营",
        "category": "其他",
        "intake": "初中起点",
        "level": "高级",
        "length_years": 5,
    },
}


def _referred(client, tokens) -> list[int]:
    ids = []
    for college, proposal in PROPOSALS.items():
        filing = submitted_filing(client, tokens("college", college=college), college, [proposal])
        decided = client.post(
            f"/api/v1/filings/{filing['id']}/entries/0/decision",
            headers=tokens("reviewer", authority="GZ-HRSS"),
            json={"decision": "referred"},
        )
        ids.append(decided.json()["entries"][0]["referral"])
    return ids


@pytest.mark.postgres_only
def test_concurrent_referral_approvals_never_share_a_specialty_code(
    seeded_client, seeded, tokens, open_round
):
    referral_ids = _referred(seeded_client, tokens)
    with Session(seeded) as session:
        province = session.exec(select(Authority.id).where(Authority.code == "GD-HRSS")).one()
    barrier = threading.Barrier(2)
    codes: dict[int, str] = {}
    failures: list[BaseException] = []

    def approve(referral_id: int, admin: str) -> None:
        actor = Principal(name=admin, role="admin", authority_id=province)
        try:
            with Session(writer(seeded), expire_on_commit=False) as session:
                barrier.wait()
                referral = referrals.decide_referral(
                    session, referral_id, ReferralDecisionIn(decision="approved"), actor=actor
                )
                session.commit()
                public = referrals.get_referral_public(session, referral.id, actor=actor)
                codes[referral_id] = public.major_code
        except BaseException as exc:  # reported below, with the thread's traceback
            failures.append(exc)

    threads = [
        threading.Thread(target=approve, args=(rid, f"province-admin-{i}"))
        for i, rid in enumerate(referral_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(codes.values()) == ["8213", "8214"]
