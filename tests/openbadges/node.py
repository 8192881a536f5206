"""Independent, offline verifiers (Digital Bazaar's libraries, jose) for the pytest suite.

The Node scripts live in ``tests/interop/node`` (``make test`` installs their pinned
dependencies with ``npm ci``). Every call writes its inputs to a temporary directory, runs
``node SCRIPT ...`` there with a 60 s timeout and returns the one JSON object it printed.
Nothing is fetched from the network: the verifiers' document loader refuses any URL that is
not a bundled JSON-LD context, a did:key, or a document handed over in ``docs``.

Tests take the ``node`` fixture (``from tests.openbadges.node import node  # noqa: F401``):
it skips when Node or ``node_modules`` is missing, and fails instead when ``CI`` is set.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

NODE_DIR = Path(__file__).resolve().parents[1] / "interop" / "node"
TIMEOUT = 60  # seconds, for one node process


class NodeHarnessError(RuntimeError):
    """A Node script crashed or was misused (a failed verification is NOT an error)."""


def unavailable_reason() -> str | None:
    """Why the Node verifiers cannot run here, or None when they can."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not (NODE_DIR / "node_modules").is_dir():
        return f"{NODE_DIR / 'node_modules'} is missing (run `make interop-deps`)"
    return None


@pytest.fixture
def node() -> str:
    """Path of the node executable; skips the test without Node, fails it on CI."""
    reason = unavailable_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Node interop verifiers unavailable on CI: {reason}", pytrace=False)
        pytest.skip(f"Node interop verifiers unavailable: {reason}")
    executable = shutil.which("node")
    assert executable is not None
    return executable


Arg = str | tuple[str, str]


def _run(script: str, args: list[Arg], files: dict[str, str]) -> dict[str, Any]:
    """Write ``files`` (name → text) to a temp dir, run the script, parse its JSON output.

    An argument ``(prefix, name)`` stands for ``prefix`` followed by the path of file ``name``.
    """
    executable = shutil.which("node")
    if executable is None:
        raise NodeHarnessError("node is not on PATH")
    with tempfile.TemporaryDirectory(prefix="atout-node-") as tmp:
        paths = {}
        for name, text in files.items():
            path = Path(tmp) / name
            path.write_text(text, encoding="utf-8")
            paths[name] = str(path)
        argv = [executable, str(NODE_DIR / script)]
        argv += [a if isinstance(a, str) else a[0] + paths[a[1]] for a in args]
        try:
            done = subprocess.run(
                argv,
                cwd=NODE_DIR,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise NodeHarnessError(f"{script} took more than {TIMEOUT} s") from exc
    if done.returncode != 0:
        raise NodeHarnessError(
            f"{script} exited {done.returncode}:\n{done.stderr.strip()}\n{done.stdout.strip()}"
        )
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except json.JSONDecodeError as exc:
        raise NodeHarnessError(f"{script} printed no JSON object:\n{done.stdout!r}") from exc
    return result


def node_verify_di(credential: dict, docs: dict[str, dict] | None = None) -> dict:
    """Verify a credential's DataIntegrityProof (eddsa-rdfc-2022, did:key) with @digitalbazaar/vc.

    ``docs`` maps URLs to the documents the loader may answer with (the status list
    credential, an issuer profile…). Returns ``{"verified": bool, "revoked": bool | None,
    "errors": [str]}``; ``revoked`` is None when the credential has no revocation status
    entry or the status could not be checked.
    """
    files = {"credential.json": json.dumps(credential)}
    args: list[Arg] = ["di", ("", "credential.json")]
    for index, (url, document) in enumerate((docs or {}).items()):
        name = f"doc-{index}.json"
        files[name] = json.dumps(document)
        args += ["--doc", (f"{url}=", name)]
    return _run("verify.mjs", args, files)


def node_verify_jwt(token: str, jwk: dict | None = None) -> dict:
    """Verify a compact VC-JWT (EdDSA or RS256) with jose.

    The key is ``jwk`` (a public JWK) when given, else the did:key named by the header's
    ``kid``. Returns ``{"verified": bool, "errors": [str], "payload": dict | None}``.
    """
    files = {"token.jwt": token}
    args: list[Arg] = ["jwt", ("", "token.jwt")]
    if jwk is not None:
        files["key.jwk"] = json.dumps(jwk)
        args += ["--jwk", ("", "key.jwk")]
    return _run("verify.mjs", args, files)


def node_sign(credential: dict, seed: bytes | None = None) -> dict:
    """Sign an unsigned credential with Digital Bazaar's libraries (issuer := the did:key).

    ``seed`` is the 32-byte Ed25519 private key (random when None). Returns ``{"credential",
    "jwt", "did", "verificationMethod", "publicKeyMultibase", "publicJwk"}``.
    """
    args: list[Arg] = [("", "credential.json")]
    if seed is not None:
        if len(seed) != 32:
            raise ValueError("the seed must be 32 bytes")
        args += ["--seed", seed.hex()]
    return _run("sign.mjs", args, {"credential.json": json.dumps(credential)})


def node_status_list(size: int = 131072, revoked: list[int] | tuple[int, ...] = ()) -> dict:
    """A status list encoded by @digitalbazaar/vc-bitstring-status-list.

    Returns ``{"encodedList": "u…", "length": size, "set": [...], "credential": {...}}``.
    """
    args: list[Arg] = ["--size", str(size), "--revoke", ",".join(str(i) for i in revoked)]
    return _run("status.mjs", args, {})


def node_decode_status_list(encoded_list: str) -> dict:
    """Decode an ``encodedList`` with the DB library: ``{"length": n, "set": [indices]}``."""
    return _run("status.mjs", [f"--decode={encoded_list}"], {})
