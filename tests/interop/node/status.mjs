#!/usr/bin/env node
// Bitstring Status List encoding by @digitalbazaar/vc-bitstring-status-list, to compare with
// atout's own ("u" + base64url(gzip(bits)), most significant bit first, ≥ 16 KB).
//
//   node status.mjs [--size N] [--revoke I,J,...] [--id URL] [--purpose revocation]
//     → {"encodedList": "u…", "length": N, "set": [I, J, …], "credential": {…unsigned…}}
//   node status.mjs --decode ENCODED
//     → {"length": N, "set": [indices whose bit is 1]}
//
// Compare decoded bits, not the encodedList strings: gzip output differs between
// implementations (compression level, header fields) for the same bits.
import {parseArgs} from 'node:util';

import {createCredential, createList, decodeList} from '@digitalbazaar/vc-bitstring-status-list';

const USAGE =
  'usage: node status.mjs [--size N] [--revoke I,J,...] [--id URL] [--purpose PURPOSE]\n' +
  '       node status.mjs --decode ENCODED';

// 16 KB of bits: the spec's minimum size, for group privacy.
const DEFAULT_SIZE = 131072;

function setIndices(list) {
  const set = [];
  for(let i = 0; i < list.length; i++) {
    if(list.getStatus(i)) {
      set.push(i);
    }
  }
  return set;
}

async function main() {
  let values;
  try {
    ({values} = parseArgs({
      options: {
        size: {type: 'string'},
        revoke: {type: 'string', default: ''},
        id: {type: 'string', default: 'https://example.org/status/1'},
        purpose: {type: 'string', default: 'revocation'},
        decode: {type: 'string'},
      },
    }));
  } catch(e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }

  if(values.decode !== undefined) {
    const list = await decodeList({encodedList: values.decode});
    process.stdout.write(`${JSON.stringify({length: list.length, set: setIndices(list)})}\n`);
    return 0;
  }

  const length = values.size === undefined ? DEFAULT_SIZE : Number(values.size);
  const indices = values.revoke.split(',').filter(s => s.trim() !== '').map(Number);
  if(!Number.isInteger(length) || length <= 0 || length % 8 !== 0 ||
    !indices.every(i => Number.isInteger(i) && i >= 0 && i < length)) {
    process.stderr.write(`size must be a positive multiple of 8, indices within it\n${USAGE}\n`);
    return 2;
  }
  const list = await createList({length});
  for(const index of indices) {
    list.setStatus(index, true);
  }
  const credential = await createCredential({id: values.id, list, statusPurpose: values.purpose});
  const {encodedList} = credential.credentialSubject;
  process.stdout.write(
    `${JSON.stringify({encodedList, length, set: setIndices(list), credential})}\n`);
  return 0;
}

main().then(code => {
  process.exitCode = code;
}, error => {
  process.stderr.write(`${error?.stack || error}\n`);
  process.exitCode = 1;
});
