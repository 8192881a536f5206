"""`atout bench badges`: signing, baking and verifying per second on one core, and a bulk
issue through the database (rolled back)."""

import json
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction

from atout.openbadges import bake, jwt, keys, ob3, proof
from atout.openbadges.verify import Resolver, verify

ISSUER = "did:web:bench.example:issuers:bench"


def _rate(label: str, n: int, work: Callable[[], Any]) -> str:
    work()  # warm-up (context loading, caches)
    start = time.perf_counter()
    for _ in range(n):
        work()
    seconds = time.perf_counter() - start
    return f"{label:<34} {n / seconds:>9,.0f} per second ({seconds / n * 1000:.2f} ms each)"


def run(n: int = 200, bulk: int = 1000) -> list[str]:
    ed_private = keys.new_ed25519(bytes(32))
    ed = keys.SigningKey(ed_private, f"{ISSUER}#ed25519-1")
    rs = keys.SigningKey(keys.new_rsa(), f"{ISSUER}#rsa-1")
    did = {
        "id": ISSUER,
        "verificationMethod": [
            {
                "id": ed.key_id,
                "type": "Multikey",
                "controller": ISSUER,
                "publicKeyMultibase": keys.multikey_encode(ed_private.public_key()),
            },
            {
                "id": rs.key_id,
                "type": "JsonWebKey",
                "controller": ISSUER,
                "publicKeyJwk": keys.public_jwk(rs.public()),
            },
        ],  # fmt: skip
        "assertionMethod": [ed.key_id, rs.key_id],
    }
    resolver = Resolver({ISSUER: did})
    credential = ob3.Award(
        issuer=ob3.Issuer(id=ISSUER, name="Bench"),
        achievement=ob3.Achievement(
            id="https://bench.example/a/1",
            name="Travailler en équipe — Confirmé",
            description="d",
            criteria="c",
        ),  # fmt: skip
        recipient_email="bench@example.org",
        valid_from="2026-01-01T00:00:00Z",
    ).credential()
    signed = proof.sign(credential, ed)
    token_ed, token_rs = jwt.encode(credential, ed), jwt.encode(credential, rs)
    png = bake.minimal_png(400, 400)
    baked = bake.bake_png(png, json.dumps(signed), version=bake.OB3)
    lines = [
        _rate("sign Data Integrity (eddsa-rdfc)", n, lambda: proof.sign(credential, ed)),
        _rate("sign VC-JWT EdDSA", n * 10, lambda: jwt.encode(credential, ed)),
        _rate("sign VC-JWT RS256", n, lambda: jwt.encode(credential, rs)),
        _rate("bake PNG", n * 10, lambda: bake.bake_png(png, json.dumps(signed), version=bake.OB3)),
        _rate("verify Data Integrity", n, lambda: verify(signed, resolver=resolver)),
        _rate("verify VC-JWT EdDSA", n * 10, lambda: verify(token_ed, resolver=resolver)),
        _rate("verify VC-JWT RS256", n * 10, lambda: verify(token_rs, resolver=resolver)),
        _rate("verify baked PNG (DI)", n, lambda: verify(baked, resolver=resolver)),
    ]
    if bulk:
        lines.append(_bulk(bulk))
    return lines


def _bulk(count: int) -> str:
    from atout.badges import services
    from atout.organisations.models import Organisation
    from atout.referentiel.models import Skill

    skill = Skill.objects.filter(framework__code="atout", code="teamwork").first()
    if skill is None:
        return "bulk issue: skipped, load the référentiel first (atout setup)"
    with transaction.atomic():
        organisation = Organisation.objects.create(slug="bench-issuer", name="Bench")
        services.issuer_keys_create(organisation=organisation)
        achievement = services.achievement_for_level(skill=skill, level=3)
        start = time.perf_counter()
        for i in range(count):
            services.award_issue(
                achievement=achievement, organisation=organisation, email=f"p{i}@bench.example"
            )
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return (
        f"bulk issue (every form, baked, stored) {count} awards in {seconds:.1f} s "
        f"({count / seconds:,.0f} per second)"
    )
