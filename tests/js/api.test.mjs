// @polkadot/api conformance tests against a running MSC dev node.
//
// Run by js_test.go (which starts `marsd dev` and sets MSC_WS); by hand:
//
//	MSC_WS=ws://127.0.0.1:9944 node --test
//
// Only ApiPromise.create({ provider }) is used: no type overrides, no
// custom RPC definitions. Everything the client needs must come from the
// node (system_properties, rpc_methods, runtime metadata V14/V15).
//
// Tests inside the describe block run one after another (node:test's
// default), sharing one connection; each has its own timeout.

import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

const WS = process.env.MSC_WS;
const UNIT = 10n ** 12n; // 1 MSCA (12 decimals)
const T = 30_000; // default per-test timeout (ms)
const TX_TIMEOUT = 30_000; // bound on Ready → InBlock → Finalized

/** Races p against a timer; rejects naming what timed out (what: string or () => string, evaluated then). */
function within (ms, what, p) {
  let timer;
  const to = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timeout after ${ms} ms: ${typeof what === 'function' ? what() : what}`)), ms);
  });
  return Promise.race([p, to]).finally(() => clearTimeout(timer));
}

/**
 * signAndSend with a status callback; resolves when the extrinsic is
 * finalized with { statuses, blockHash, result (the InBlock result with its
 * events), txHash }. Rejects on Invalid/Dropped/Usurped/timeout.
 */
function sendAndFinalize (tx, signer, what) {
  const statuses = [];
  let unsub = () => {};
  let inBlock = null;
  const p = new Promise((resolve, reject) => {
    tx.signAndSend(signer, (result) => {
      const { status } = result;
      statuses.push(status.type);
      if (status.isInBlock) {
        inBlock = result;
      } else if (status.isFinalized) {
        // The InBlock result carries the events; if InBlock was skipped the
        // Finalized one does too (PJS fetches events for both).
        resolve({ statuses, blockHash: status.asFinalized.toHex(), result: inBlock ?? result, txHash: tx.hash.toHex() });
      } else if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
        reject(new Error(`${what}: terminal status ${status.type} (statuses so far: ${statuses.join(' → ')})`));
      }
    }).then((u) => { unsub = u; }, reject);
  });
  return within(TX_TIMEOUT, () => `${what} (statuses so far: ${statuses.join(' → ') || 'none'})`, p).finally(() => unsub());
}

/** Describes a DispatchError the way a wallet would show it. */
function describeDispatchError (api, err) {
  if (err.isModule) {
    const meta = api.registry.findMetaError(err.asModule);
    return { kind: 'Module', name: `${meta.section}.${meta.name}`, docs: meta.docs.join(' ') };
  }
  if (err.isToken) return { kind: 'Token', name: `Token.${err.asToken.type}` };
  if (err.isArithmetic) return { kind: 'Arithmetic', name: `Arithmetic.${err.asArithmetic.type}` };
  return { kind: err.type, name: err.type };
}

// Runs first, over a bare WsProvider: if the runtime does not advertise the
// Metadata API, ApiPromise.create falls back to state_getMetadata, and a
// failure there would otherwise only show as "Unable to initialize the API".
describe('raw RPC before ApiPromise', { timeout: 60_000 }, () => {
  let provider;
  before(async () => {
    assert.ok(WS, 'MSC_WS must be set to the node\'s WebSocket endpoint (ws://127.0.0.1:PORT)');
    provider = new WsProvider(WS, 0);
    await within(20_000, `connect WsProvider(${WS})`, provider.connect().then(() => provider.isReady));
  }, { timeout: 30_000 });
  after(async () => { if (provider) await provider.disconnect(); });

  test('state_getRuntimeVersion advertises Metadata API v2 (0x37e397fc7c91f5e4) so PJS fetches V15 via state_call', { timeout: T }, async () => {
    const v = await provider.send('state_getRuntimeVersion', []);
    const apis = Object.fromEntries(v.apis);
    assert.ok((apis['0x37e397fc7c91f5e4'] ?? 0) >= 2,
      `runtime ${v.specName} v${v.specVersion} apis ${JSON.stringify(v.apis)} lack Metadata v2: ` +
      'the runtime blob embedded in marsd (runtime/blobs/relay.wasm.zst) is older than runtime/relay ' +
      '(rebuild with `go run ./cmd/marsd runtime build`; `marsd runtime build --check` reports the mismatch)');
  });

  test('state_getMetadata (legacy path) returns meta-prefixed V14+ metadata', { timeout: T }, async () => {
    const hex = await provider.send('state_getMetadata', []);
    assert.match(hex, /^0x6d657461(0e|0f|10)/, `metadata prefix ${hex.slice(0, 12)} (expect 'meta' ++ V14/V15/V16)`);
  });
});

describe('MSC dev node via @polkadot/api 16.5.6', { timeout: 300_000 }, () => {
  /** @type {ApiPromise} */
  let api;
  let apiError;
  let provider;
  let alice, bob, charlie, dave, eve, ferdie;

  before(async () => {
    assert.ok(WS, 'MSC_WS must be set to the node\'s WebSocket endpoint (ws://127.0.0.1:PORT)');
    await cryptoWaitReady();
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    [alice, bob, charlie, dave, eve, ferdie] = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie']
      .map((n) => keyring.addFromUri(`//${n}`));
    // autoConnectMs 0: fail instead of retrying forever when the node is gone.
    provider = new WsProvider(WS, 0);
    await within(20_000, `connect WsProvider(${WS})`, provider.connect().then(() => provider.isReady));
    try {
      api = await within(30_000, 'ApiPromise.create({ provider }) (metadata fetch + decoration)', ApiPromise.create({ provider, throwOnConnect: true }));
    } catch (e) {
      apiError = e; // reported by every test (beforeEach) rather than cancelling them silently
    }
  }, { timeout: 60_000 });

  beforeEach(() => {
    if (!api) throw new Error(`ApiPromise.create({ provider }) failed, nothing to test: ${apiError?.message ?? apiError}`);
  });

  after(async () => {
    // If ApiPromise.create failed, the provider is still open: close it so
    // the process can exit.
    if (api) await within(10_000, 'api.disconnect()', api.disconnect());
    else if (provider) await within(10_000, 'provider.disconnect()', provider.disconnect());
  }, { timeout: 15_000 });

  test('connects: chain, runtime version, metadata V15 decorated', { timeout: T }, async () => {
    const [chain, version] = await Promise.all([api.rpc.system.chain(), api.rpc.state.getRuntimeVersion()]);
    assert.ok(chain.toString().length > 0, 'system_chain is empty');
    assert.ok(version.specVersion.toNumber() > 0, 'specVersion');
    assert.ok(api.genesisHash.toHex().match(/^0x[0-9a-f]{64}$/), 'genesisHash');
    // The runtime advertises Metadata API v2, so PJS must have used V15.
    assert.equal(api.runtimeMetadata.version, 15, `metadata version used by PJS (expected 15 via Metadata_metadata_at_version)`);
    for (const s of ['system', 'timestamp', 'sudo', 'balances', 'transactionPayment']) {
      assert.ok(api.query[s], `api.query.${s} missing (pallet not decorated from metadata)`);
    }
    assert.equal(typeof api.tx.balances.transferKeepAlive, 'function', 'api.tx.balances.transferKeepAlive');
    assert.equal(api.registry.chainSS58, 42, 'registry ss58 from system_properties');
  });

  test('system_properties: ss58Format 42, tokenDecimals 12, tokenSymbol MSCA', { timeout: T }, async () => {
    const props = await api.rpc.system.properties();
    assert.equal(props.ss58Format.unwrap().toNumber(), 42, 'ss58Format');
    assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [12], 'tokenDecimals');
    assert.deepEqual(props.tokenSymbol.unwrap().map((s) => s.toString()), ['MSCA'], 'tokenSymbol');
    // And the registry picked them up.
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.deepEqual(api.registry.chainTokens, ['MSCA']);
  });

  test('constants: balances.existentialDeposit, system.blockHashCount', { timeout: T }, async () => {
    const ed = api.consts.balances.existentialDeposit;
    assert.ok(ed, 'api.consts.balances.existentialDeposit missing');
    assert.ok(ed.toBigInt() > 0n, `existentialDeposit must be > 0, got ${ed.toString()}`);
    const bhc = api.consts.system.blockHashCount;
    assert.ok(bhc, 'api.consts.system.blockHashCount missing');
    assert.ok(bhc.toNumber() > 0, `blockHashCount must be > 0, got ${bhc.toString()}`);
    // Used by PJS for mortal eras; SS58Prefix should agree with system_properties.
    assert.equal(api.consts.system.ss58Prefix.toNumber(), 42, 'consts.system.ss58Prefix');
  });

  test('query.system.account(Alice): nonce and funded free balance', { timeout: T }, async () => {
    const acct = await api.query.system.account(alice.address);
    assert.ok(acct.nonce.toNumber() >= 0);
    assert.ok(acct.providers.toNumber() >= 1, `Alice providers ${acct.providers}`);
    const free = acct.data.free.toBigInt();
    // Funded with 1,000,000 MSCA at genesis; other tests may have spent some fees.
    assert.ok(free > 900_000n * UNIT && free <= 1_000_000n * UNIT, `Alice free ${free}`);
    assert.equal(typeof acct.data.reserved.toBigInt(), 'bigint');
    assert.equal(typeof acct.data.frozen.toBigInt(), 'bigint');
  });

  test('transferKeepAlive(Bob, 1 MSCA).paymentInfo(Alice): positive partialFee', { timeout: T }, async () => {
    const info = await api.tx.balances.transferKeepAlive(bob.address, UNIT).paymentInfo(alice);
    assert.ok(info.partialFee.toBigInt() > 0n, `partialFee ${info.partialFee}`);
    assert.ok(info.weight.refTime.toBigInt() > 0n, `weight.refTime ${info.weight.refTime}`);
    assert.equal(info.class.type, 'Normal');
  });

  /**
   * Checks a successful Alice→Bob transfer of amount in block blockHash:
   * events (given, as PJS filtered them for the extrinsic, or fetched from
   * System.Events at the block), Bob's balance across the block, and the
   * extrinsic in the block body.
   */
  async function checkTransfer (blockHash, txHash, amount, events) {
    const signed = await api.rpc.chain.getBlock(blockHash);
    const index = signed.block.extrinsics.findIndex((x) => x.hash.toHex() === txHash);
    assert.ok(index >= 0, `extrinsic ${txHash} not found in the body of ${blockHash}`);
    const ours = signed.block.extrinsics[index];
    assert.equal(ours.signer.toString(), alice.address, 'extrinsic signer');
    assert.equal(`${ours.method.section}.${ours.method.method}`, 'balances.transferKeepAlive');

    if (!events) {
      const all = await api.query.system.events.at(blockHash);
      events = all.filter(({ phase }) => phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index);
    }
    const names = events.map(({ event }) => `${event.section}.${event.method}`);
    const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, `balances.Transfer missing; events: ${names.join(', ')}`);
    const { from, to, amount: got } = transfer.event.data;
    assert.equal(from.toString(), alice.address, 'Transfer.from');
    assert.equal(to.toString(), bob.address, 'Transfer.to');
    assert.equal(got.toBigInt(), amount, 'Transfer.amount');
    assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)),
      `system.ExtrinsicSuccess missing; events: ${names.join(', ')}`);
    const feePaid = events.find(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event));
    assert.ok(feePaid, `transactionPayment.TransactionFeePaid missing; events: ${names.join(', ')}`);
    assert.equal(feePaid.event.data.who.toString(), alice.address, 'TransactionFeePaid.who');
    assert.ok(feePaid.event.data.actualFee.toBigInt() > 0n, 'TransactionFeePaid.actualFee > 0');
    for (const { phase } of events) {
      assert.ok(phase.isApplyExtrinsic && phase.asApplyExtrinsic.toNumber() === index, `event phase ${phase.toString()}`);
    }

    const header = await api.rpc.chain.getHeader(blockHash);
    const [before, afterAcct] = await Promise.all([
      api.query.system.account.at(header.parentHash, bob.address),
      api.query.system.account.at(blockHash, bob.address)
    ]);
    assert.equal(afterAcct.data.free.toBigInt() - before.data.free.toBigInt(), amount, 'Bob free balance delta across the block');
    return feePaid;
  }

  test('author_submitAndWatchExtrinsic Alice→Bob 1 MSCA: isReady → isInBlock → isFinalized, events, Bob +1 MSCA', { timeout: 60_000 }, async () => {
    // The node's own status stream, as PJS types it (ExtrinsicStatus), without
    // signAndSend's result post-processing (see the next test).
    const amount = UNIT;
    const tx = await api.tx.balances.transferKeepAlive(bob.address, amount).signAsync(alice);
    // Runtime API through V15's api.call (TransactionPaymentApi_query_info on
    // the signed bytes). As on Substrate, `uxt` is sp_runtime's
    // UncheckedExtrinsic, described as a Vec<u8> wrapper, so PJS types it as
    // Bytes: pass the length-prefixed u8a (as PJS's own paymentInfo does);
    // a hex string or the Extrinsic object would be wrapped once more.
    const quoted = await api.call.transactionPaymentApi.queryInfo(tx.toU8a(), tx.encodedLength);
    // AccountNonceApi through api.call agrees with the nonce PJS signed with.
    const nonce = await api.call.accountNonceApi.accountNonce(alice.address);
    assert.equal(nonce.toNumber(), tx.nonce.toNumber(), 'AccountNonceApi_account_nonce vs signed nonce');
    const statuses = [];
    let inBlock, finalized;
    let unsub = () => {};
    const done = new Promise((resolve, reject) => {
      api.rpc.author.submitAndWatchExtrinsic(tx, (status) => {
        statuses.push(status.type);
        if (status.isInBlock) inBlock = status.asInBlock.toHex();
        if (status.isFinalized) { finalized = status.asFinalized.toHex(); resolve(); }
        if (status.isInvalid || status.isDropped || status.isUsurped || status.isFinalityTimeout) {
          reject(new Error(`terminal status ${status.type} after ${statuses.join(' → ')}`));
        }
      }).then((u) => { unsub = u; }, reject);
    });
    try {
      await within(TX_TIMEOUT, () => `Ready → InBlock → Finalized (so far: ${statuses.join(' → ') || 'none'})`, done);
    } finally {
      unsub();
    }
    const seen = statuses.filter((s) => s !== 'Broadcast');
    assert.deepEqual(seen, ['Ready', 'InBlock', 'Finalized'], `status sequence ${statuses.join(' → ')}`);
    assert.equal(finalized, inBlock, 'finalized block = inBlock block');
    const feePaid = await checkTransfer(inBlock, tx.hash.toHex(), amount, null);
    // transfer_keep_alive has no post-dispatch weight correction: the fee
    // charged equals the quote (as in Substrate).
    assert.equal(feePaid.event.data.actualFee.toBigInt(), quoted.partialFee.toBigInt(),
      `TransactionFeePaid.actualFee vs TransactionPaymentApi_query_info partialFee`);
  });

  test('signAndSend Alice→Bob 1 MSCA: callback sees isReady → isInBlock → isFinalized with events, Bob +1 MSCA', { timeout: 60_000 }, async (t) => {
    const amount = UNIT;
    const tx = api.tx.balances.transferKeepAlive(bob.address, amount);
    const { statuses, blockHash, result } = await sendAndFinalize(tx, alice, 'Alice→Bob transferKeepAlive');
    const seen = statuses.filter((s) => s !== 'Broadcast');
    // signAndSend maps each node status through switchMap(api.derive.tx.events(block)):
    // when `finalized` arrives before the InBlock block/events fetch completes
    // (here the dev node finalizes each block at once, ~3 ms after inBlock),
    // PJS drops the InBlock result and the callback only sees Ready → Finalized.
    // The node sends inBlock (previous test); the same happens on Substrate
    // with instant finality (manual-seal finalize=true). Accept both, say which.
    if (seen.length === 2) {
      t.diagnostic(`signAndSend callback saw ${statuses.join(' → ')}: InBlock superseded by an immediate Finalized (PJS switchMap), not a node gap`);
      assert.deepEqual(seen, ['Ready', 'Finalized'], `status sequence ${statuses.join(' → ')}`);
    } else {
      assert.deepEqual(seen, ['Ready', 'InBlock', 'Finalized'], `status sequence ${statuses.join(' → ')}`);
    }
    assert.ok(result.status.isInBlock || result.status.isFinalized);
    assert.equal(result.dispatchError, undefined, `dispatchError ${result.dispatchError?.toString()}`);
    await checkTransfer(blockHash, tx.hash.toHex(), amount, result.events);
  });

  test('failing transferKeepAlive (more than Charlie has) → ExtrinsicFailed Token.FundsUnavailable', { timeout: 60_000 }, async () => {
    const { data } = await api.query.system.account(charlie.address);
    const tx = api.tx.balances.transferKeepAlive(dave.address, data.free.toBigInt() + UNIT);
    const { result } = await sendAndFinalize(tx, charlie, 'Charlie over-balance transferKeepAlive');
    const failed = result.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
    const names = result.events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(failed, `system.ExtrinsicFailed missing; events: ${names.join(', ')}`);
    assert.ok(result.dispatchError, 'PJS result.dispatchError not set');
    const d = describeDispatchError(api, failed.event.data.dispatchError);
    assert.equal(d.name, 'Token.FundsUnavailable', `dispatchError ${JSON.stringify(d)}`);
    assert.ok(!result.events.some(({ event }) => api.events.balances.Transfer.is(event)), 'no Transfer on failure');
    // The fee is still charged.
    assert.ok(result.events.some(({ event }) => api.events.transactionPayment.TransactionFeePaid.is(event)), 'fee charged on failure');
  });

  test('failing transferKeepAlive that would reap Dave → ExtrinsicFailed Token.NotExpendable', { timeout: 60_000 }, async () => {
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const { data } = await api.query.system.account(dave.address);
    const free = data.free.toBigInt();
    const probe = api.tx.balances.transferKeepAlive(eve.address, free);
    const fee = (await probe.paymentInfo(dave)).partialFee.toBigInt();
    // After the fee, leave less than the existential deposit.
    const amount = free - fee - ed / 2n;
    assert.ok(amount > 0n);
    const { result } = await sendAndFinalize(api.tx.balances.transferKeepAlive(eve.address, amount), dave, 'Dave reaping transferKeepAlive');
    const failed = result.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
    assert.ok(failed, `system.ExtrinsicFailed missing; events: ${result.events.map(({ event }) => `${event.section}.${event.method}`).join(', ')}`);
    const d = describeDispatchError(api, failed.event.data.dispatchError);
    assert.equal(d.name, 'Token.NotExpendable', `dispatchError ${JSON.stringify(d)}`);
  });

  test('failing sudo.sudo from Charlie → ExtrinsicFailed Module error sudo.RequireSudo (findMetaError)', { timeout: 60_000 }, async () => {
    const tx = api.tx.sudo.sudo(api.tx.system.remark('0x6d7363'));
    const { result } = await sendAndFinalize(tx, charlie, 'Charlie sudo.sudo');
    const failed = result.events.find(({ event }) => api.events.system.ExtrinsicFailed.is(event));
    assert.ok(failed, `system.ExtrinsicFailed missing; events: ${result.events.map(({ event }) => `${event.section}.${event.method}`).join(', ')}`);
    const err = failed.event.data.dispatchError;
    assert.ok(err.isModule, `dispatchError should be Module, got ${err.type}`);
    assert.equal(err.asModule.index.toNumber(), 5, 'Module.index (Sudo = 5)');
    const d = describeDispatchError(api, err);
    assert.equal(d.name, 'sudo.RequireSudo', `dispatchError ${JSON.stringify(d)}`);
  });

  test('query.system.account.entries() lists the 6 dev accounts', { timeout: T }, async () => {
    const entries = await api.query.system.account.entries();
    const addrs = new Set(entries.map(([key]) => key.args[0].toString()));
    assert.ok(entries.length >= 6, `entries ${entries.length}`);
    for (const p of [alice, bob, charlie, dave, eve, ferdie]) {
      assert.ok(addrs.has(p.address), `${p.address} (${p.meta?.name ?? ''}) not among System.Account entries`);
    }
    for (const [, info] of entries) assert.equal(typeof info.data.free.toBigInt(), 'bigint');
  });

  test('author.rotateKeys → session keys the node holds (SessionKeys runtime API)', { timeout: T }, async () => {
    const keys = await api.rpc.author.rotateKeys();
    assert.equal(keys.length, 64, `session keys are aura sr25519 ++ grandpa ed25519 (64 bytes), got ${keys.length}`);
    assert.equal((await api.rpc.author.hasSessionKeys(keys.toHex())).isTrue, true, 'hasSessionKeys(rotated keys)');
    const decoded = await api.call.sessionKeys.decodeSessionKeys(keys.toHex());
    assert.ok(decoded.isSome, 'decodeSessionKeys returned None');
    const types = decoded.unwrap().map(([, kt]) => Buffer.from(kt.toU8a()).toString('latin1'));
    assert.deepEqual(types, ['aura', 'gran']);
    const other = '0x' + '07'.repeat(64);
    assert.equal((await api.rpc.author.hasSessionKeys(other)).isTrue, false, 'hasSessionKeys(unknown keys)');
  });

  for (const [name, fn] of [['subscribeNewHeads', 'subscribeNewHeads'], ['subscribeFinalizedHeads', 'subscribeFinalizedHeads']]) {
    test(`chain.${name} delivers increasing block numbers`, { timeout: T }, async () => {
      const nums = [];
      let unsub = () => {};
      const done = new Promise((resolve, reject) => {
        api.rpc.chain[fn]((h) => {
          nums.push(h.number.toNumber());
          if (nums.length >= 3) resolve();
        }).then((u) => { unsub = u; }, reject);
      });
      try {
        await within(15_000, () => `${name}: 3 headers (got ${nums.join(', ') || 'none'})`, done);
      } finally {
        unsub();
      }
      for (let i = 1; i < nums.length; i++) {
        assert.ok(nums[i] > nums[i - 1], `${name} numbers not increasing: ${nums.join(', ')}`);
      }
    });
  }
});
