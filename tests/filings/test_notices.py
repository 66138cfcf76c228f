"""In-app notices per role, and the same notices by e-mail through a real SMTP server on the
loopback (aiosmtpd)."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from typer.testing import CliRunner

from app.access.principal import Principal
from app.config import Settings, get_settings
from app.db import session_scope
from app.notices import notices_for
from tests.filings.helpers import BASE, GZ_COLLEGE, submitted_filing

PROPOSAL = {
    "major_name": "低空经济无人机技术",
    "category": "交通类",
    "intake": "初中起点",
    "level": "高级",
    "length_years": 5,
}


class Inbox:
    def __init__(self):
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


def _notices(engine, **principal):
    with session_scope(engine) as session:
        found = notices_for(session, Principal(name="t", **principal), zone=Settings().zone)
        return [(n.key, n.link, n.params) for n in found]


def test_each_role_sees_what_waits_for_it(seeded_client, seeded, tokens, open_round):
    college = tokens("college", college=GZ_COLLEGE)
    filing = submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE, PROPOSAL])
    with session_scope(seeded) as session:
        from sqlmodel import select

        from app.authorities.models import Authority
        from app.colleges.models import College

        college_id = session.exec(select(College.id).where(College.code == GZ_COLLEGE)).one()
        ids = dict(session.exec(select(Authority.code, Authority.id)).all())
    mine = _notices(seeded, role="college", college_id=college_id)
    assert [k for k, _, _ in mine] == ["web.cycle.notice.round_open", "web.cycle.notice.submitted"]
    assert mine[0][2]["closes"] == "2099-12-31 08:00"  # the fixture's 00:00Z, in Beijing time
    review = _notices(seeded, role="reviewer", authority_id=ids["GZ-HRSS"])
    assert [(k, link) for k, link, _ in review] == [
        ("web.cycle.notice.to_review", f"/filings/{filing['id']}")
    ]
    seeded_client.post(
        f"/api/v1/filings/{filing['id']}/decisions",
        headers=tokens("reviewer", authority="GZ-HRSS"),
        json={
            "decisions": [
                {"index": 0, "decision": "approved"},
                {"index": 1, "decision": "referred"},
            ]
        },
    )
    province = _notices(seeded, role="admin", authority_id=ids["GD-HRSS"])
    assert [k for k, _, _ in province] == ["web.cycle.notice.referral"]
    assert province[0][2]["name"] == "低空经济无人机技术"
    assert _notices(seeded, role="reviewer", authority_id=ids["GZ-HRSS"]) == []


def test_notices_are_mailed_through_smtp(
    seeded_client, seeded, tokens, open_round, smtp_server, settings, monkeypatch
):
    port, inbox = smtp_server
    college = tokens("college", college=GZ_COLLEGE)
    submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE])
    monkeypatch.setenv("REGISTRY_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("REGISTRY_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("REGISTRY_SMTP_PORT", str(port))
    monkeypatch.setenv("REGISTRY_PUBLIC_URL", "https://registry.example.gov.cn")
    get_settings.cache_clear()
    try:
        from app.cli.commands import app as cli

        result = CliRunner().invoke(
            cli,
            [
                "notices",
                "mail",
                "--to",
                "kejichu@example.cn",
                "--role",
                "reviewer",
                "--authority",
                "GZ-HRSS",
            ],
        )
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "kejichu@example.cn"
    assert "1 项待办" in str(
        email.header.make_header(email.header.decode_header(message["Subject"]))
    )
    body = message.get_payload(decode=True).decode("utf-8")
    assert "广州市技师学院" in body
    assert "待评审" in body
    assert "https://registry.example.gov.cn/filings/" in body


def test_without_an_smtp_host_mailing_is_refused_and_says_so(
    seeded_client, seeded, tokens, open_round, settings, monkeypatch
):
    college = tokens("college", college=GZ_COLLEGE)
    submitted_filing(seeded_client, college, GZ_COLLEGE, [BASE])
    monkeypatch.setenv("REGISTRY_DATABASE_URL", settings.database_url)
    monkeypatch.delenv("REGISTRY_SMTP_HOST", raising=False)
    get_settings.cache_clear()
    try:
        from app.cli.commands import app as cli

        args = ["notices", "mail", "--to", "x@example.cn", "--role", "reviewer"]
        result = CliRunner().invoke(cli, [*args, "--authority", "GZ-HRSS"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "REGISTRY_SMTP_HOST" in result.output
