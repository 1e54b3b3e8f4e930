// Metadata conformance: @polkadot/api (an independent SCALE/scale-info
// decoder) decodes the node's metadata, and every pallet must match the Go
// definitions js_test.go wrote to MSC_GO_METADATA: pallet names and
// indices, call/event/error variants with their field names, storage
// entries with modifier, hashers and default, and constants' value bytes.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { ApiPromise, WsProvider } from '@polkadot/api';

const WS = process.env.MSC_WS;
const DEFS = process.env.MSC_GO_METADATA;

describe('metadata decoded by @polkadot/api equals the Go pallet definitions', { timeout: 120_000 }, () => {
  let api;
  let want;

  before(async () => {
    assert.ok(WS, 'MSC_WS is not set');
    assert.ok(DEFS, 'MSC_GO_METADATA is not set (run through go test ./tests/js)');
    want = JSON.parse(readFileSync(DEFS, 'utf8'));
    api = await ApiPromise.create({ provider: new WsProvider(WS), throwOnConnect: true });
  });

  after(async () => { await api?.disconnect(); });

  const variantsOf = (opt) => {
    if (opt.isNone) return [];
    const def = api.registry.lookup.getSiType(opt.unwrap().type).def;
    assert.ok(def.isVariant, 'call/event/error type is not an enum');
    return def.asVariant.variants.map((v) => ({
      name: v.name.toString(),
      index: v.index.toNumber(),
      fields: v.fields.map((f) => (f.name.isSome ? f.name.unwrap().toString() : ''))
    }));
  };

  test('same pallets, in the same order, with the same indices', () => {
    const got = api.runtimeMetadata.asLatest.pallets.map((p) => `${p.index.toNumber()}:${p.name.toString()}`);
    assert.deepEqual(got, want.map((p) => `${p.index}:${p.name}`));
  });

  test('every pallet: calls, events, errors, storage, constants', () => {
    const pallets = api.runtimeMetadata.asLatest.pallets;
    assert.ok(want.length >= 5, `only ${want.length} pallets in the Go definitions`);
    for (const w of want) {
      const p = pallets.find((x) => x.name.toString() === w.name);
      assert.ok(p, `pallet ${w.name} missing from the decoded metadata`);
      assert.deepEqual(variantsOf(p.calls), w.calls, `${w.name} calls`);
      assert.deepEqual(variantsOf(p.events), w.events, `${w.name} events`);
      assert.deepEqual(variantsOf(p.errors), w.errors, `${w.name} errors`);
      const entries = p.storage.isSome ? p.storage.unwrap().items : [];
      const gotStorage = entries.map((e) => ({
        name: e.name.toString(),
        optional: e.modifier.isOptional,
        hashers: e.type.isMap ? e.type.asMap.hashers.map((h) => h.index) : [],
        default: e.fallback.toHex()
      }));
      assert.deepEqual(gotStorage, w.storage, `${w.name} storage`);
      const gotConsts = p.constants.map((c) => ({ name: c.name.toString(), value: c.value.toHex() }));
      assert.deepEqual(gotConsts, w.constants, `${w.name} constants`);
      // And the decorated API exposes them under PJS's camelCase names.
      const section = w.name.charAt(0).toLowerCase() + w.name.slice(1);
      if (w.calls.length > 0) assert.ok(api.tx[section], `api.tx.${section} missing`);
      if (w.storage.length > 0) assert.ok(api.query[section], `api.query.${section} missing`);
    }
  });
});
