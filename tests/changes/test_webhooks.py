"""Webhooks against a local receiver on 127.0.0.1: signed deliveries, at least once, in order,
retried with backoff, disabled after a run of failures, redelivered; SSRF refused; a worker
killed and restarted loses nothing; several workers never send one webhook's batch at once."""

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from app.config import Settings
from app.webhooks.worker import Worker, backoff
from tests.changes.helpers import API, read_feed
from tests.changes.receiver import Receiver, verify

SECRET = "s3cret-for-the-receiver"


@pytest.fixture
def settings(database_url) -> Settings:
    return Settings(
        database_url=database_url,
        webhook_allowed_hosts="127.0.0.1",
        webhook_retry_base_seconds=0.05,
        webhook_retry_max_seconds=0.2,
        webhook_timeout_seconds=5,
        webhook_batch=2,
        webhook_poll_seconds=0.05,
    )


def _subscribe(client, headers, url, **extra) -> dict:
    body = {"url": url, "entities": ["program"], "secret": SECRET, **extra}
    response = client.post(f"{API}/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def _suspend(client, headers, ids) -> None:
    for program_id in ids:
        response = client.patch(
            f"{API}/programs/{program_id}",
            json={"status": "suspended", "reason": "停招"},
            headers=headers,
        )
        assert response.status_code == 200, response.text


def _drain(worker: Worker, done, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "deliveries did not finish"
        if not worker.run_once():
            time.sleep(0.02)


def test_refuses_loopback_private_and_link_local_destinations(client, admin_headers):
    client.app.state.settings = Settings(database_url="sqlite://")  # nothing allowed
    for url in (
        "http://127.0.0.1:9000/hook",
        "http://localhost/hook",
        "http://10.1.2.3/hook",
        "http://192.168.0.1/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "http://[fe80::1]/hook",
        "http://0.0.0.0/hook",
    ):
        response = client.post(
            f"{API}/webhooks", json={"url": url, "secret": SECRET}, headers=admin_headers
        )
        assert response.json()["error"] == "webhook_url_refused", url
    bad = client.post(
        f"{API}/webhooks",
        json={"url": "ftp://example.org/x", "secret": SECRET},
        headers=admin_headers,
    )
    assert bad.json()["error"] == "webhook_url_invalid"
    public = client.post(
        f"{API}/webhooks",
        json={"url": "https://93.184.216.34/x", "secret": SECRET},
        headers=admin_headers,
    )
    assert public.status_code == 201


def test_fails_three_times_then_accepts_every_change_signed_in_order(
    seeded_client, admin_headers, seeded, settings
):
    with Receiver(answer=lambda n, path: 500 if n < 3 else 204) as receiver:
        hook = _subscribe(seeded_client, admin_headers, receiver.url + "/hook")
        _suspend(seeded_client, admin_headers, [1, 2, 3, 4, 5])
        expected, _ = read_feed(seeded_client, since=hook["cursor"], entity="program")
        assert len(expected) == 5
        worker = Worker(seeded, settings)
        _drain(worker, lambda: len(receiver.accepted_items()) >= 5)

    assert receiver.accepted_items() == expected  # every change, once acknowledged, in order
    assert all(verify(SECRET, r) for r in receiver.requests)
    first = [r for r in receiver.requests if r["delivery"] == receiver.requests[0]["delivery"]]
    assert [r["status"] for r in first] == [500, 500, 500, 204]
    assert len({r["body"] for r in first}) == 1  # a retry is the same bytes, the same signature
    log = seeded_client.get(f"{API}/webhooks/{hook['id']}/deliveries", headers=admin_headers)
    deliveries = log.json()["items"]
    assert [d["item_count"] for d in deliveries] == [1, 2, 2]  # newest first, batches of 2
    oldest = deliveries[-1]
    assert oldest["status"] == "delivered"
    assert [a["status_code"] for a in oldest["attempts"]] == [500, 500, 500, 204]
    assert all(a["retry_at"] for a in oldest["attempts"][:3])
    state = seeded_client.get(f"{API}/webhooks/{hook['id']}", headers=admin_headers).json()
    assert state["failures"] == 0
    assert state["active"] is True


def test_a_run_of_failures_disables_it_and_a_redelivery_enables_it(
    seeded_client, admin_headers, seeded, settings
):
    settings.webhook_max_failures = 3
    answers = {"status": 503}
    with Receiver(answer=lambda n, path: answers["status"]) as receiver:
        hook = _subscribe(seeded_client, admin_headers, receiver.url + "/hook")
        _suspend(seeded_client, admin_headers, [1])
        worker = Worker(seeded, settings)
        path = f"{API}/webhooks/{hook['id']}"
        _drain(
            worker,
            lambda: not seeded_client.get(path, headers=admin_headers).json()["active"],
        )
        state = seeded_client.get(path, headers=admin_headers).json()
        assert state["failures"] == 3
        assert "503" in state["disabled_reason"]
        assert worker.run_once() is False  # disabled: nothing is sent
        delivery = seeded_client.get(f"{path}/deliveries", headers=admin_headers).json()
        uid = delivery["items"][0]["id"]
        answers["status"] = 200
        again = seeded_client.post(f"{path}/deliveries/{uid}/redeliver", headers=admin_headers)
        assert again.status_code == 202
        assert again.json()["redelivery_of"] == uid
        _drain(worker, lambda: len(receiver.accepted_items()) >= 2)
    # the batch that was pending when it was disabled is sent first, then the redelivery
    accepted = [r["delivery"] for r in receiver.requests if r["status"] == 200]
    assert accepted == [uid, again.json()["id"]]
    assert seeded_client.get(path, headers=admin_headers).json()["active"] is True


def test_backoff_doubles_with_jitter_up_to_the_ceiling():
    settings = Settings(webhook_retry_base_seconds=10, webhook_retry_max_seconds=60)
    for failures, ceiling in ((1, 10), (2, 20), (3, 40), (4, 60), (9, 60)):
        waits = {backoff(settings, failures) for _ in range(20)}
        assert all(ceiling / 2 <= w <= ceiling for w in waits)
        assert len(waits) > 1


@pytest.mark.audit_unchecked
def test_killing_and_restarting_the_worker_process_loses_nothing(
    seeded_client, admin_headers, settings
):
    with Receiver(delay=0.4) as receiver:
        hook = _subscribe(seeded_client, admin_headers, receiver.url + "/hook")
        _suspend(seeded_client, admin_headers, range(1, 9))
        expected, _ = read_feed(seeded_client, since=hook["cursor"], entity="program")
        env = {
            **os.environ,
            "REGISTRY_DATABASE_URL": settings.database_url,
            "REGISTRY_WEBHOOK_ALLOWED_HOSTS": "127.0.0.1",
            "REGISTRY_WEBHOOK_BATCH": "2",
            "REGISTRY_WEBHOOK_TIMEOUT_SECONDS": "1",  # lease: 3 s after a kill
            "REGISTRY_WEBHOOK_POLL_SECONDS": "0.1",
        }
        command = [os.path.join(os.path.dirname(sys.executable), "registry"), "webhooks", "work"]
        first = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(receiver.requests) < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # killed while a POST is in flight
        first.send_signal(signal.SIGKILL)
        first.wait()
        assert len(receiver.accepted_items()) < len(expected)
        second = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 40
            while {i["seq"] for i in receiver.accepted_items()} != {e["seq"] for e in expected}:
                assert time.monotonic() < deadline, "the restarted worker did not finish"
                time.sleep(0.1)
        finally:
            second.terminate()
            second.wait(10)
    received = receiver.accepted_items()
    first_seen = list(dict.fromkeys(i["seq"] for i in received))
    assert first_seen == [e["seq"] for e in expected]  # at least once, in order
    assert all(verify(SECRET, r) for r in receiver.requests)


@pytest.mark.postgres_only
@pytest.mark.audit_unchecked
def test_several_workers_never_send_one_webhooks_batch_at_the_same_time(
    seeded_client, admin_headers, seeded, settings
):
    with Receiver(delay=0.05) as receiver:
        hooks = [
            _subscribe(seeded_client, admin_headers, f"{receiver.url}/hook/{n}") for n in range(3)
        ]
        _suspend(seeded_client, admin_headers, range(1, 11))
        expected, _ = read_feed(seeded_client, since=hooks[0]["cursor"], entity="program")
        workers = [Worker(seeded, settings, owner=f"w{n}") for n in range(4)]
        threads = [w.start_thread() for w in workers]
        deadline = time.monotonic() + 40
        try:
            while len(receiver.accepted_items()) < 3 * len(expected):
                assert time.monotonic() < deadline, "deliveries did not finish"
                time.sleep(0.05)
        finally:
            for w in workers:
                w.stop()
            for t in threads:
                t.join(10)
    assert set(receiver.max_in_flight.values()) == {1}  # never two POSTs of one webhook at once
    deliveries = [r["delivery"] for r in receiver.requests]
    assert len(deliveries) == len(set(deliveries))  # no batch sent twice
    for n in range(3):
        assert receiver.accepted_items(f"/hook/{n}") == expected
    assert threading.active_count() < 50
