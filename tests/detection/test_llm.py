"""The optional LLM backend, against a local fake OpenAI-compatible server (never the network)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from atout.detection import ChatState, detect
from atout.detection.llm import LLMConfig, detect_with_fallback, follow_up_with_fallback

STORY = "Le livreur n'est pas venu. Alors j'ai appelé un autre fournisseur tout de suite."
SKILLS = {"problem_solving": "Solving problems", "adaptability": "Adapting"}


class FakeLLM(BaseHTTPRequestHandler):
    reply: object = None
    delay = 0.0
    status = 200
    seen: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeLLM.seen.append((self.path, self.headers.get("Authorization"), body))
        time.sleep(FakeLLM.delay)
        self.send_response(FakeLLM.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        content = json.dumps(FakeLLM.reply)
        self.wfile.write(json.dumps({"choices": [{"message": {"content": content}}]}).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    FakeLLM.reply, FakeLLM.delay, FakeLLM.status, FakeLLM.seen = None, 0.0, 200, []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeLLM)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield LLMConfig(
        url=f"http://127.0.0.1:{httpd.server_port}/v1", model="fake", key="k", timeout=0.5
    )
    httpd.shutdown()
    httpd.server_close()


def test_llm_detection_maps_quotes_to_offsets_and_drops_inventions(server):
    FakeLLM.reply = {
        "skills": [
            {
                "code": "problem_solving",
                "score": 0.9,
                "quotes": ["Alors j'ai appelé un autre fournisseur tout de suite."],
            },
            {
                "code": "leadership",
                "score": 0.8,
                "quotes": ["J'ai dirigé l'équipe."],
            },  # not a listed code
            {
                "code": "adaptability",
                "score": 0.7,
                "quotes": ["une phrase inventée"],
            },  # not in the text
        ]
    }
    detections = detect_with_fallback(STORY, "fr", server, SKILLS)
    assert [d.code for d in detections] == ["problem_solving"]
    e = detections[0].evidence[0]
    assert STORY[e.start : e.end] == "Alors j'ai appelé un autre fournisseur tout de suite."
    path, auth, body = FakeLLM.seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer k" and body["model"] == "fake"


@pytest.mark.parametrize("failure", ["status", "slow", "garbage"])
def test_any_llm_failure_falls_back_to_the_offline_engine(server, failure):
    if failure == "status":
        FakeLLM.status = 500
    elif failure == "slow":
        FakeLLM.delay = 1.5  # over the 0.5 s timeout
    else:
        FakeLLM.reply = "not an object"
    expected = [(d.code, d.score) for d in detect(STORY, "fr")]
    got = [(d.code, d.score) for d in detect_with_fallback(STORY, "fr", server, SKILLS)]
    assert got == expected


def test_off_by_default_no_request_is_made(monkeypatch):
    monkeypatch.delenv("ATOUT_LLM_URL", raising=False)
    assert LLMConfig.from_env() is None
    assert [d.code for d in detect_with_fallback(STORY, "fr", None, SKILLS)] == [
        d.code for d in detect(STORY, "fr")
    ]


def test_follow_up_is_phrased_by_the_llm_only_for_probes(server):
    FakeLLM.reply = {"question": "Et quand le livreur n'est pas venu, tu as fait comment ?"}
    state = ChatState(lang="fr", asked=["kind", "situation", "actions", "difficulty", "result"],
                      answers=["une réponse assez longue pour compter"] * 5, scores={"problem_solving": 0.2})  # fmt: skip
    q = follow_up_with_fallback(state, STORY, server)
    assert q.id == "probe:problem_solving"
    assert q.text == "Et quand le livreur n'est pas venu, tu as fait comment ?"
    first = follow_up_with_fallback(ChatState(lang="fr"), "", server)
    assert first.id == "kind" and len(FakeLLM.seen) == 1  # story steps never call the LLM
    FakeLLM.status = 500
    q = follow_up_with_fallback(state, STORY, server)
    assert q.id == "probe:problem_solving" and "problème" in q.text
