// Forkless runtime upgrade through @polkadot/api, run by js_test.go AFTER
// api.test.mjs (it replaces the runtime, so nothing may run after it):
//
//	MSC_WS=ws://127.0.0.1:9944 MSC_V2_WASM=/tmp/v2.wasm.zst node --test upgrade.mjs
//
// MSC_V2_WASM is a relay runtime built with `marsd runtime build --tags
// relayv2 --out FILE` (spec_version 2, a Balances storage migration). Alice
// is the dev chain's sudo key. The file name does not match node --test's
// default patterns, so a plain `node --test` never runs it by accident.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady, xxhashAsU8a } from '@polkadot/util-crypto';

const WS = process.env.MSC_WS;
const V2 = process.env.MSC_V2_WASM;
const UNIT = 10n ** 12n;
const TX_TIMEOUT = 60_000;

function within (ms, what, p) {
  let timer;
  const to = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${typeof what === 'function' ? what() : what}`)), ms);
  });
  return Promise.race([p, to]).finally(() => clearTimeout(timer));
}

/** signAndSend; resolves with the InBlock result (it carries the events). */
function sendInBlock (tx, signer, what) {
  const statuses = [];
  let unsub = () => {};
  const p = new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      statuses.push(status.type);
      if (status.isInBlock || status.isFinalized) {
        resolve(result);
      } else if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        reject(new Error(`${what}: terminal status ${status.type} (statuses: ${statuses.join(' → ')})`));
      }
    }).then((u) => { unsub = u; }, reject);
  });
  return within(TX_TIMEOUT, () => `${what} (statuses so far: ${statuses.join(' → ') || 'none'})`, p).finally(() => unsub());
}

function eventNames (result) {
  return result.events.map(({ event }) => `${event.section}.${event.method}`);
}

describe('sudo setCode upgrade', { timeout: 300_000 }, () => {
  let api;
  let provider;
  let alice, bob;

  before(async () => {
    assert.ok(WS, 'MSC_WS must be set to the node\'s WebSocket endpoint');
    assert.ok(V2, 'MSC_V2_WASM must name the v2 runtime blob (marsd runtime build --tags relayv2 --out FILE)');
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob] = ['Alice', 'Bob'].map((n) => keyring.addFromUri(`//${n}`));
    provider = new WsProvider(WS, 0);
    await within(20_000, `connect WsProvider(${WS})`, provider.connect().then(() => provider.isReady));
    api = await within(30_000, 'ApiPromise.create', ApiPromise.create({ provider, throwOnConnect: true }));
  }, { timeout: 60_000 });

  after(async () => {
    if (api) await within(10_000, 'api.disconnect()', api.disconnect());
    else if (provider) await provider.disconnect();
  });

  test('sudo(setCode(v2)) → specVersion 2, storage and transfers still work', { timeout: 240_000 }, async () => {
    const code = readFileSync(V2);
    const before = api.runtimeVersion.specVersion.toNumber();
    assert.ok(before < 2, `runtime already at spec ${before}`);

    // Bytes from a bare Uint8Array is read as SCALE (length-prefixed), so
    // the blob goes in as hex, as the polkadot-js docs do it.
    const tx = api.tx.sudo.sudo(api.tx.system.setCode('0x' + code.toString('hex')));
    const res = await sendInBlock(tx, alice, 'Alice sudo(setCode)');
    const names = eventNames(res);
    assert.ok(res.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)), `events: ${names.join(', ')}`);
    const sudid = res.events.find(({ event }) => api.events.sudo.Sudid.is(event));
    assert.ok(sudid, `Sudo.Sudid missing; events: ${names.join(', ')}`);
    const inner = sudid.event.data[0];
    assert.ok(inner.isOk, `set_code failed: ${inner.isErr ? JSON.stringify(inner.asErr.toHuman()) : inner.toString()}`);
    assert.ok(res.events.some(({ event }) => api.events.system.CodeUpdated.is(event)), `System.CodeUpdated missing; events: ${names.join(', ')}`);

    // The client follows state_subscribeRuntimeVersion and refetches metadata.
    const deadline = Date.now() + 60_000;
    while (api.runtimeVersion.specVersion.toNumber() !== 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    assert.equal(api.runtimeVersion.specVersion.toNumber(), 2, 'api.runtimeVersion.specVersion after the upgrade');
    const rv = await api.rpc.state.getRuntimeVersion();
    assert.equal(rv.specVersion.toNumber(), 2, 'state_getRuntimeVersion');

    // The v2 migration ran: Balances.MigratedToV2At is set.
    const key = '0x' + Buffer.concat([xxhashAsU8a('Balances', 128), xxhashAsU8a('MigratedToV2At', 128)]).toString('hex');
    const migrated = await api.rpc.state.getStorage(key);
    assert.ok(migrated.isSome, `storage ${key} (Balances.MigratedToV2At) missing after the upgrade`);

    const { data: bobBefore } = await api.query.system.account(bob.address);
    assert.ok(bobBefore.free.toBigInt() > 0n, 'Bob free balance after the upgrade');

    const amount = UNIT / 1000n;
    const t2 = await sendInBlock(api.tx.balances.transferKeepAlive(bob.address, amount), alice, 'Alice→Bob after the upgrade');
    assert.ok(t2.events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)), `events: ${eventNames(t2).join(', ')}`);
    const transfer = t2.events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, `balances.Transfer missing; events: ${eventNames(t2).join(', ')}`);
    assert.equal(transfer.event.data.amount.toBigInt(), amount);
    const { data: bobAfter } = await api.query.system.account.at(t2.status.isInBlock ? t2.status.asInBlock : t2.status.asFinalized, bob.address);
    assert.ok(bobAfter.free.toBigInt() >= bobBefore.free.toBigInt() + amount, `Bob ${bobBefore.free} → ${bobAfter.free}`);
  });
});
