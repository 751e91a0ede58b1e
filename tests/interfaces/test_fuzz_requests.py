"""Generated requests against the real app (hypothesis, derandomised): whatever the path, query
or body, no answer is a 500, and every API answer is JSON with an error message when it fails."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storyline.interfaces.api import create_app
from tests.conftest import demo_copy

TOKEN = "s3cret"
PATHS = ("/api/articles/{v}", "/api/stories/{v}", "/api/actors?name={v}", "/api/statements?speaker={v}&since={v}",
         "/api/statements?story={v}", "/api/positions?proposition={v}&actor={v}", "/api/search?q={v}", "/api/search?q={v}&semantic=true",
         "/api/articles?country={v}&since={v}&limit={v}", "/api/stories?country={v}&offset={v}", "/api/shifts?since={v}",
         "/api/webhooks/{v}/deliveries", "/stories/{v}", "/articles/{v}", "/actors/{v}", "/propositions/{v}", "/search?q={v}",
         "/stories/{v}/feed.atom", "/actors/{v}/feed.atom", "/propositions/{v}/feed.atom", "/actors/{v}/positions/{v}.{v}",
         "/export.{v}", "/?country={v}&page={v}", "/{v}")
VALUES = (st.integers(-2 ** 70, 2 ** 70).map(str) | st.sampled_from(["²", "١٢", "0x10", "1e9", "%00", "..%2f..%2fetc", "NaN", "-0", "", " "])
          | st.text(max_size=40).map(lambda t: t.replace("#", "").replace("?", "")))


@pytest.fixture(scope="module")
def client(tmp_path_factory, demo_db):
    db = demo_copy(demo_db, tmp_path_factory.mktemp("fuzz"))
    return TestClient(create_app(db, write_token=TOKEN), raise_server_exceptions=True)


def _judge(answer, path: str) -> None:
    assert answer.status_code < 500, (path, answer.status_code, answer.text[:300])
    if path.startswith("/api") and answer.status_code >= 400:
        assert "error" in answer.json(), (path, answer.text[:300])


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(template=st.sampled_from(PATHS), values=st.lists(VALUES, min_size=3, max_size=3))
def test_generated_reads_never_fail_the_server(client, template, values):
    path = template.replace("{v}", "{}").format(*(quote(v, safe="%/.") for v in values))
    _judge(client.get(path, headers={"accept": "text/html" if not path.startswith("/api") else "application/json"}), path)


_FIELD = st.one_of(st.none(), st.integers(), st.text(max_size=60), st.lists(st.text(max_size=5), max_size=2))


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    st.fixed_dictionaries({"articles": st.lists(st.dictionaries(
        st.sampled_from(["html", "text", "url", "title", "outlet", "country", "language", "published", "extra"]), _FIELD, max_size=6),
        max_size=3)}),
    st.dictionaries(st.text(max_size=8), _FIELD, max_size=3),
    st.binary(max_size=200),
), path=st.sampled_from(["/api/ingest", "/api/webhooks"]))
def test_generated_writes_never_fail_the_server(client, body, path):
    headers = {"authorization": f"Bearer {TOKEN}"}
    answer = client.post(path, content=body, headers={**headers, "content-type": "application/json"}) if isinstance(body, bytes) \
        else client.post(path, json=body, params={"analyse": "false"}, headers=headers)
    _judge(answer, path)
