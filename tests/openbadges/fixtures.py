"""Keys, an issuer and awards for the Open Badges tests (no database)."""

from atout.openbadges import keys, ob3, proof, status

SEED = bytes(range(32))
ISSUER_DID = "did:web:atout.example:issuers:ml-93"
LIST_URL = "https://atout.example/status/1"
NOW = "2026-11-22T10:00:00Z"


def issuer_key(seed: bytes = SEED) -> keys.SigningKey:
    private = keys.new_ed25519(seed)
    return keys.SigningKey(private, f"{ISSUER_DID}#key-1")


def did_web_document(*signing: keys.SigningKey) -> dict:
    methods = [
        {
            "id": key.key_id,
            "type": "Multikey",
            "controller": ISSUER_DID,
            "publicKeyMultibase": keys.multikey_encode(key.public()),
        }
        for key in signing
    ]
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": ISSUER_DID,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


ISSUER = ob3.Issuer(id=ISSUER_DID, name="Mission Locale 93", url="https://ml93.example")
ACHIEVEMENT = ob3.Achievement(
    id="https://atout.example/badges/teamwork-3",
    name="Travailler en équipe — Confirmé",
    description="Fait sa part du travail avec d'autres pour un but commun.",
    criteria="Niveau confirmé par deux référents.",
    alignments=(
        ob3.Alignment("Travailler en équipe", "https://atout.example/referentiel/atout/teamwork/",
                      "CFItem", "atout", "teamwork"),
    ),
)  # fmt: skip


def award(**overrides) -> ob3.Award:
    values = {
        "issuer": ISSUER,
        "achievement": ACHIEVEMENT,
        "recipient_email": "lina@example.org",
        "valid_from": NOW,
        "id": "urn:uuid:5f1e0c1e-3b7a-4c55-9a1d-2b6f0f3c9e01",
        "salt": "sel-1",
        "status": status.entry(LIST_URL, 7),
    }
    values.update(overrides)
    return ob3.Award(**values)


def status_list(key: keys.SigningKey, revoked: set[int]) -> dict:
    body = status.list_credential(
        list_url=LIST_URL, issuer=ISSUER.profile(), valid_from=NOW, revoked=revoked
    )
    return proof.sign(body, key, created=NOW)
