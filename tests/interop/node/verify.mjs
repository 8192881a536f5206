#!/usr/bin/env node
// Independent, offline verifier for the credentials atout issues (Digital Bazaar + jose).
//
//   node verify.mjs di FILE [--doc URL=FILE ...]
//     → {"verified": bool, "revoked": bool|null, "errors": [string]}
//   node verify.mjs jwt FILE [--jwk JWKFILE]
//     → {"verified": bool, "errors": [string], "payload": object|null}
//
// Prints exactly one JSON object on stdout and exits 0 whether the credential is valid or not;
// exits 2 on a usage error and 1 on a crash.
import {webcrypto} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {parseArgs} from 'node:util';

import * as vc from '@digitalbazaar/vc';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {checkStatus} from '@digitalbazaar/vc-bitstring-status-list';
import {decodeJwt, importJWK, jwtVerify} from 'jose';

import {createDocumentLoader, didKeyDriver, errorMessages, readDocs} from './loader.mjs';

// jose 6 uses the global Web Crypto API, which Node 18 (Debian 12's nodejs) does not expose.
globalThis.crypto ??= webcrypto;

const USAGE =
  'usage: node verify.mjs di FILE [--doc URL=FILE ...]\n' +
  '       node verify.mjs jwt FILE [--jwk JWKFILE]';

// JWT registered claims that VC-JWT (OB 3.0) adds next to the credential's own claims.
const JWT_CLAIMS = ['iss', 'jti', 'sub', 'nbf', 'exp', 'iat', 'aud'];

function unique(messages) {
  return [...new Set(messages.filter(Boolean))];
}

function statusEntries(credential) {
  const {credentialStatus} = credential;
  const entries = Array.isArray(credentialStatus) ? credentialStatus :
    (credentialStatus ? [credentialStatus] : []);
  return entries.filter(entry => entry?.type === 'BitstringStatusListEntry');
}

async function verifyDataIntegrity(file, docPairs) {
  const credential = JSON.parse(readFileSync(file, 'utf8'));
  const documentLoader = createDocumentLoader({documents: readDocs(docPairs)});
  const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});
  const withStatus = statusEntries(credential).length > 0;

  const result = await vc.verifyCredential({
    credential,
    suite,
    documentLoader,
    ...(withStatus ? {checkStatus} : {}),
  });

  const errors = [
    ...errorMessages(result.error),
    ...(result.results || []).flatMap(r => errorMessages(r.error)),
  ];

  // With a status checker, `statusResult.verified` only says that the check ran (and that the
  // status list credential verified): the bit itself is `results[].status` (true = set).
  let revoked = null;
  const {statusResult} = result;
  if(statusResult) {
    errors.push(...errorMessages(statusResult.error));
    const checked = (statusResult.results || []).filter(
      r => r.credentialStatus?.statusPurpose === 'revocation');
    if(statusResult.verified && checked.length > 0) {
      revoked = checked.some(r => r.status === true);
    }
  }

  return {verified: result.verified === true, revoked, errors: unique(errors)};
}

function issuerId(credential) {
  const {issuer} = credential;
  return typeof issuer === 'string' ? issuer : issuer?.id;
}

async function keyFromDidKey(protectedHeader) {
  const {kid} = protectedHeader;
  if(typeof kid !== 'string' || !kid.startsWith('did:key:')) {
    throw new Error(`JWT header "kid" must be a did:key URL when no --jwk is given (got ${
      JSON.stringify(kid)}).`);
  }
  const url = kid.includes('#') ? kid : `${kid}#${kid.slice('did:key:'.length)}`;
  const verificationMethod = await didKeyDriver().get({url});
  const keyPair = await Ed25519Multikey.from(verificationMethod);
  const jwk = await Ed25519Multikey.toJwk({keyPair});
  return importJWK(jwk, 'EdDSA');
}

async function verifyJwt(file, jwkFile) {
  const token = readFileSync(file, 'utf8').trim();
  const errors = [];
  let payload = null;
  try {
    payload = decodeJwt(token);
  } catch(e) {
    errors.push(...errorMessages(e));
  }

  let key;
  if(jwkFile) {
    const jwk = JSON.parse(readFileSync(jwkFile, 'utf8'));
    const alg = jwk.alg || (jwk.kty === 'RSA' ? 'RS256' : 'EdDSA');
    key = await importJWK(jwk, alg);
  } else {
    key = keyFromDidKey;
  }

  let verified = false;
  try {
    const result = await jwtVerify(token, key, {algorithms: ['EdDSA', 'RS256']});
    ({payload} = result);
    verified = true;
    errors.push(...checkJwtCredential(result.payload, result.protectedHeader, !jwkFile));
  } catch(e) {
    errors.push(...errorMessages(e));
  }
  return {verified: verified && errors.length === 0, errors: unique(errors), payload};
}

// VC-JWT as in Open Badges 3.0: the payload is the credential plus iss/jti/sub/nbf/exp; a `vc`
// claim holding the credential is accepted as well.
function checkJwtCredential(payload, protectedHeader, keyFromKid) {
  const errors = [];
  let credential;
  if(payload.vc && typeof payload.vc === 'object') {
    credential = payload.vc;
  } else {
    credential = {...payload};
    for(const claim of JWT_CLAIMS) {
      delete credential[claim];
    }
  }
  try {
    vc._checkCredential({credential, mode: 'verify'});
  } catch(e) {
    errors.push(`payload does not hold a valid credential: ${e.message}`);
  }
  const issuer = issuerId(credential);
  if(payload.iss !== issuer) {
    errors.push(`"iss" (${JSON.stringify(payload.iss)}) does not equal the credential's ` +
      `issuer id (${JSON.stringify(issuer)}).`);
  }
  if(payload.jti !== undefined && credential.id !== undefined && payload.jti !== credential.id) {
    errors.push(`"jti" (${JSON.stringify(payload.jti)}) does not equal the credential id ` +
      `(${JSON.stringify(credential.id)}).`);
  }
  const subjects = [].concat(credential.credentialSubject || []);
  const subjectId = subjects[0]?.id;
  if(payload.sub !== undefined && subjectId !== undefined && payload.sub !== subjectId) {
    errors.push(`"sub" (${JSON.stringify(payload.sub)}) does not equal credentialSubject.id ` +
      `(${JSON.stringify(subjectId)}).`);
  }
  if(keyFromKid) {
    const kidDid = String(protectedHeader.kid).split('#')[0];
    if(kidDid !== payload.iss) {
      errors.push(`the signing key ${protectedHeader.kid} is not the issuer's ` +
        `(${JSON.stringify(payload.iss)}).`);
    }
  }
  return errors;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        doc: {type: 'string', multiple: true, default: []},
        jwk: {type: 'string'},
      },
    });
  } catch(e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const {positionals, values} = parsed;
  const [mode, file] = positionals;
  let output;
  if(mode === 'di' && file && positionals.length === 2 && !values.jwk) {
    output = await verifyDataIntegrity(file, values.doc);
  } else if(mode === 'jwt' && file && positionals.length === 2 && values.doc.length === 0) {
    output = await verifyJwt(file, values.jwk);
  } else {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  process.stdout.write(`${JSON.stringify(output)}\n`);
  return 0;
}

main().then(code => {
  process.exitCode = code;
}, error => {
  process.stderr.write(`${error?.stack || error}\n`);
  process.exitCode = 1;
});
