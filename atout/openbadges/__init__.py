"""Open Badges 2.0 and 3.0 without Django: build, sign (Data Integrity ``eddsa-rdfc-2022``
and VC-JWT), bake into PNG/SVG, revoke (Bitstring Status List) and verify anyone's badges.

Modules: ``keys`` (Ed25519/RSA, Multikey, did:key, JWK), ``loader`` (shipped JSON-LD
contexts, never fetched), ``proof``, ``jwt``, ``ob3``, ``ob2``, ``status``, ``bake``,
``verify``.
"""
