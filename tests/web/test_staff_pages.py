"""Staff pages in-process (issue 25): what a reviewer, a clerk or an admin gets from a page,
checked without a browser (the browser walks are in test_role_walks.py)."""


def test_the_reviewers_search_with_every_round_answers_the_queue(seeded_client, tokens):
    """Item 1: 全部批次 is round= (empty); it answered 422 validation_error."""
    reviewer = tokens("reviewer", authority="GZ-HRSS")
    query = "/review?round=&college=%E5%B9%BF%E5%B7%9E&major=&status=submitted"
    answer = seeded_client.get(query, headers=reviewer)
    assert answer.status_code == 200, answer.text[:300]
    assert 'id="round"' in answer.text and 'value="广州"' in answer.text
    chosen = seeded_client.get("/review?round=abc&status=submitted", headers=reviewer)
    assert chosen.status_code == 200  # a hand-typed round is ignored, not an error page
