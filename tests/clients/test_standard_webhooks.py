"""Finding 3: deliveries carry the Standard Webhooks headers, verified with the reference
implementation (``standardwebhooks``), next to ``X-Registry-Signature``; the SSRF guard refuses
every non-global range (100.64/10 included) and connects to the address it checked."""

import base64
import socket
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook as StandardVerifier
from standardwebhooks.webhooks import WebhookVerificationError

from app.config import Settings
from app.errors import Invalid
from app.webhooks import ssrf
from app.webhooks.worker import Worker
from tests.changes.helpers import API
from tests.changes.receiver import Receiver, verify

RAW_SECRET = "s3cret-for-the-receiver"
WHSEC = "whsec_" + base64.b64encode(b"k" * 32).decode()


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(
        database_url=database_url,
        webhook_allowed_hosts="127.0.0.1,rebind.test",
        webhook_retry_base_seconds=0.05,
        webhook_retry_max_seconds=0.2,
        webhook_timeout_seconds=5,
        webhook_poll_seconds=0.05,
    )


def _deliver(client, headers, engine, settings, url: str, secret: str) -> dict:
    body = {"url": url, "entities": ["program"], "secret": secret}
    created = client.post(f"{API}/webhooks", json=body, headers=headers)
    assert created.status_code == 201, created.text
    changed = client.patch(
        f"{API}/programs/1", json={"status": "suspended", "reason": "更正"}, headers=headers
    )
    assert changed.status_code == 200, changed.text
    worker = Worker(engine, settings)
    deadline = time.monotonic() + 20
    while not worker.run_once():
        assert time.monotonic() < deadline
        time.sleep(0.02)
    return created.json()


@pytest.mark.parametrize("secret", [WHSEC, RAW_SECRET], ids=["whsec", "raw"])
def test_a_delivery_verifies_with_the_reference_implementation(
    seeded_client, admin_headers, seeded, settings, secret
):
    with Receiver() as receiver:
        _deliver(seeded_client, admin_headers, seeded, settings, receiver.url + "/h", secret)
    (request,) = receiver.requests
    headers = request["headers"]
    # the reference verifier derives the key from whsec_ itself; a raw secret is its bytes
    verifier = StandardVerifier(secret if secret.startswith("whsec_") else secret.encode())
    payload = verifier.verify(request["body"], headers)
    assert payload["items"][0]["entity"] == "program"
    assert headers["webhook-id"] == request["delivery"]  # one id per delivery, kept on retries
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60
    assert headers["webhook-signature"].startswith("v1,")
    assert verify(secret, request)  # X-Registry-Signature stays
    # the id and the timestamp are signed: changing either, or the body, fails
    for name, value in (("webhook-id", "other"), ("webhook-timestamp", str(int(time.time())))):
        if headers[name] == value:
            continue
        with pytest.raises(WebhookVerificationError):
            verifier.verify(request["body"], {**headers, name: value})
    with pytest.raises(WebhookVerificationError):
        verifier.verify(request["body"] + b" ", headers)
    # a replay from long ago is rejected by its age
    old = verifier.sign(headers["webhook-id"], datetime(2020, 1, 1, tzinfo=UTC), request["body"])
    stale = {**headers, "webhook-timestamp": "1577836800", "webhook-signature": old}
    with pytest.raises(WebhookVerificationError, match="too old"):
        verifier.verify(request["body"], stale)


def test_a_whsec_secret_must_hold_a_key(client, admin_headers):
    for secret in ("whsec_" + "!" * 20, "whsec_" + base64.b64encode(b"short").decode() + "xx"):
        response = client.post(
            f"{API}/webhooks",
            json={"url": "https://93.184.216.34/x", "secret": secret},
            headers=admin_headers,
        )
        assert response.status_code == 422, secret


@pytest.mark.parametrize(
    "address",
    [
        "100.100.100.200",  # Alibaba Cloud's metadata (shared 100.64.0.0/10)
        "100.64.0.1",
        "192.0.2.10",  # documentation
        "198.18.0.1",  # benchmarking
        "240.0.0.1",  # reserved
        "224.0.0.1",  # multicast
        "::ffff:100.100.100.200",
        "fd00::1",
        "2001:db8::1",
    ],
)
def test_every_non_global_range_is_refused(client, admin_headers, address):
    client.app.state.settings = Settings(database_url="sqlite://")  # nothing allowed
    host = f"[{address}]" if ":" in address else address
    response = client.post(
        f"{API}/webhooks",
        json={"url": f"http://{host}/latest/meta-data", "secret": RAW_SECRET},
        headers=admin_headers,
    )
    assert response.status_code == 422
    assert response.json()["error"] == "webhook_url_refused"


def test_a_name_is_resolved_once_and_the_checked_address_is_the_one_connected(
    seeded_client, admin_headers, seeded, settings, monkeypatch
):
    """DNS rebinding: the name answers the receiver's address to the check and an unroutable
    one afterwards; the delivery still reaches the receiver, with the name as its Host."""
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.test":
            address = "127.0.0.1" if not answers else "10.255.255.1"
            answers.append(address)
            return real(address, port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    with Receiver() as receiver:
        port = receiver.server.server_address[1]
        url = f"http://rebind.test:{port}/h"
        created = seeded_client.post(
            f"{API}/webhooks",
            json={"url": url, "entities": ["program"], "secret": RAW_SECRET},
            headers=admin_headers,
        )
        assert created.status_code == 201
        answers.clear()  # the delivery's own resolution comes next
        seeded_client.patch(
            f"{API}/programs/1",
            json={"status": "suspended", "reason": "更正"},
            headers=admin_headers,
        )
        worker = Worker(seeded, settings)
        deadline = time.monotonic() + 20
        while not worker.run_once():
            assert time.monotonic() < deadline
            time.sleep(0.02)
    assert answers == ["127.0.0.1"]  # one resolution for the delivery
    (request,) = receiver.requests
    assert request["status"] == 200
    assert request["headers"]["host"] == f"rebind.test:{port}"


def test_resolve_keeps_the_name_for_tls_and_host():
    target = ssrf.resolve("https://93.184.216.34:8443/p?q=1", set())
    assert target.url == "https://93.184.216.34:8443/p?q=1"
    assert target.host == "93.184.216.34:8443"
    assert target.server_name == "93.184.216.34"
    with pytest.raises(Invalid):
        ssrf.resolve("http://100.100.100.200/", set())
    allowed = ssrf.resolve("http://127.0.0.1:9/x", {"127.0.0.1"})
    assert allowed.url == "http://127.0.0.1:9/x"
    assert allowed.server_name is None
