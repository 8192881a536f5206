#!/usr/bin/env node
// Signs an UNSIGNED credential with Digital Bazaar's libraries, for the reverse interop
// direction (what these libraries sign must verify in atout's own Python code).
//
//   node sign.mjs FILE [--seed HEX32]
//     → {"credential": {...DataIntegrityProof eddsa-rdfc-2022...}, "jwt": "...",
//        "did": "did:key:z6Mk…", "verificationMethod": "did:key:z6Mk…#z6Mk…",
//        "publicKeyMultibase": "z6Mk…", "publicJwk": {"kty": "OKP", "crv": "Ed25519", "x": …}}
//
// The Ed25519 key is random, or derived from the 32-byte seed (RFC 8032 private key) when given.
// The issuer (`issuer.id`, or `issuer` when it is a string) is set to the key's did:key.
import {createPrivateKey, randomBytes, webcrypto} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {SignJWT} from 'jose';

import {createDocumentLoader, errorMessages} from './loader.mjs';

// jose 6 uses the global Web Crypto API, which Node 18 (Debian 12's nodejs) does not expose.
globalThis.crypto ??= webcrypto;

const USAGE = 'usage: node sign.mjs FILE [--seed HEX32]';

function seconds(dateTime) {
  return Math.floor(new Date(dateTime).getTime() / 1000);
}

async function sign(file, seedHex) {
  let seed;
  if(seedHex !== undefined) {
    if(!/^[0-9a-fA-F]{64}$/.test(seedHex)) {
      throw new Error('--seed must be 32 bytes in hex (64 hex digits).');
    }
    seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  } else {
    seed = Uint8Array.from(randomBytes(32));
  }
  const unsigned = JSON.parse(readFileSync(file, 'utf8'));
  delete unsigned.proof;

  // The key's id and controller must be known when it is generated (its signer keeps them).
  const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
  const did = `did:key:${publicKeyMultibase}`;
  const keyPair = await Ed25519Multikey.generate({seed, controller: did});
  const verificationMethod = keyPair.id;

  if(typeof unsigned.issuer === 'string' || unsigned.issuer === undefined) {
    unsigned.issuer = did;
  } else {
    unsigned.issuer = {...unsigned.issuer, id: did};
  }

  // Data Integrity proof (eddsa-rdfc-2022, assertionMethod).
  const suite = new DataIntegrityProof({signer: keyPair.signer(), cryptosuite: eddsaRdfc2022});
  const credential = await vc.issue({
    credential: structuredClone(unsigned),
    suite,
    documentLoader: createDocumentLoader(),
  });

  // VC-JWT as in Open Badges 3.0: the credential's claims plus iss/jti/sub/nbf/exp.
  const publicJwk = await Ed25519Multikey.toJwk({keyPair});
  const privateKey = createPrivateKey({
    format: 'jwk',
    key: {...publicJwk, d: Buffer.from(keyPair.secretKey.subarray(0, 32)).toString('base64url')},
  });
  const payload = {...unsigned, iss: did};
  if(unsigned.id) {
    payload.jti = unsigned.id;
  }
  const subjectId = [].concat(unsigned.credentialSubject || [])[0]?.id;
  if(subjectId) {
    payload.sub = subjectId;
  }
  payload.nbf = seconds(unsigned.validFrom || unsigned.issuanceDate || new Date());
  const until = unsigned.validUntil || unsigned.expirationDate;
  if(until) {
    payload.exp = seconds(until);
  }
  const jwt = await new SignJWT(payload)
    .setProtectedHeader({alg: 'EdDSA', kid: verificationMethod, typ: 'JWT'})
    .sign(privateKey);

  return {
    credential,
    jwt,
    did,
    verificationMethod,
    publicKeyMultibase: keyPair.publicKeyMultibase,
    publicJwk,
  };
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({allowPositionals: true, options: {seed: {type: 'string'}}});
  } catch(e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const {positionals, values} = parsed;
  if(positionals.length !== 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const output = await sign(positionals[0], values.seed);
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}

main().then(code => {
  process.exitCode = code;
}, error => {
  process.stderr.write(`${errorMessages(error).join('\n')}\n${error?.stack || error}\n`);
  process.exitCode = 1;
});
