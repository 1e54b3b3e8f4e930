package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"
)

// wantRPCError checks that err is a JSON-RPC error with code and that its
// message or data contains each of the (case-insensitive) words.
func wantRPCError(t *testing.T, what string, err error, code int, words ...string) {
	t.Helper()
	var re *rpcError
	if !errors.As(err, &re) {
		t.Errorf("%s: want RPC error %d, got %v", what, code, err)
		return
	}
	if re.Code != code {
		t.Errorf("%s: code %d (%s), want %d", what, re.Code, re, code)
		return
	}
	text := strings.ToLower(re.Message + " " + re.DataString())
	for _, w := range words {
		if !strings.Contains(text, strings.ToLower(w)) {
			t.Errorf("%s: error %s does not mention %q", what, re, w)
		}
	}
	t.Logf("%s: %s", what, re)
}

// Scenario 5: bad input gets a clear error and the node goes on.
func TestBadInput(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	n := startNode(ctx, t, "bad", nodeOpts{basePath: t.TempDir(), blockTime: 200 * time.Millisecond})
	if _, err := n.waitBlock(ctx, 1, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	ci, err := n.chainInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	alice, bob, dave := pair(t, "//Alice"), pair(t, "//Bob"), pair(t, "//Dave")
	bobID := accountID(bob)
	good := func(nonce uint32) []byte {
		return signImmortal(ci, alice, transferCall(callTransferKeepAlive, bobID, msca(1)), nonce)
	}
	// A transfer from //Dave (nonce 0), included, so that nonce 0 is stale.
	w, err := n.dialWS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	daveExt := signImmortal(ci, dave, transferCall(callTransferKeepAlive, bobID, msca(1)), 0)
	if sts, err := watch(ctx, w, daveExt, 10*time.Second); err != nil || sts[len(sts)-1].kind != "finalized" {
		t.Fatalf("setup transfer from Dave: %s, %v", statusKinds(sts), err)
	}

	t.Run("malformed hex", func(t *testing.T) {
		_, err := n.call(ctx, "author_submitExtrinsic", "0xzz12")
		wantRPCError(t, "0xzz12", err, -32602, "hex")
		_, err = n.call(ctx, "author_submitExtrinsic", "0x123")
		wantRPCError(t, "odd-length 0x123", err, -32602)
		_, err = n.call(ctx, "author_submitExtrinsic", 42)
		wantRPCError(t, "a number", err, -32602)
	})
	t.Run("truncated extrinsic", func(t *testing.T) {
		ext := good(0)
		_, err := n.submit(ctx, ext[:len(ext)-5])
		wantRPCError(t, "truncated", err, 1001, "invalid format")
		// Length prefix says more than there is.
		_, err = n.submit(ctx, ext[:40])
		wantRPCError(t, "cut at 40 bytes", err, 1001, "invalid format")
	})
	t.Run("garbage bytes", func(t *testing.T) {
		// Bytes whose length prefix does not match: not an extrinsic at all.
		for _, g := range [][]byte{{}, {0xde, 0xad, 0xbe, 0xef}, bytes.Repeat([]byte{0xff}, 300)} {
			_, err := n.submit(ctx, g)
			wantRPCError(t, fmt.Sprintf("garbage %x…", g[:min(len(g), 8)]), err, 1001, "invalid format")
		}
		// Well framed (Compact length 4 ++ 4 bytes) but not a valid
		// extrinsic inside: any clear error (Substrate: 1002 from the
		// runtime), no crash.
		_, err := n.submit(ctx, []byte{0x10, 0xde, 0xad, 0xbe, 0xef})
		var re *rpcError
		if !errors.As(err, &re) || re.Message == "" {
			t.Errorf("framed garbage 10deadbeef: want an RPC error, got %v", err)
		} else {
			t.Logf("framed garbage 10deadbeef: %s", re)
		}
	})
	t.Run("bad signature", func(t *testing.T) {
		ext := good(0)
		// compact len (2 bytes here) ++ 0x84 ++ MultiAddress(33) ++ kind(1) ++ sig(64)
		pre := 1
		if ext[0]&3 == 1 {
			pre = 2
		}
		sigAt := pre + 1 + 33 + 1
		if ext[pre] != 0x84 || ext[pre+1] != 0 || ext[sigAt-1] != 1 {
			t.Fatalf("unexpected extrinsic layout %x", ext[:sigAt])
		}
		ext[sigAt+10] ^= 0x55
		_, err := n.submit(ctx, ext)
		wantRPCError(t, "flipped signature byte", err, 1010, "bad signature")
		// Signed for another chain: same error.
		other := ci
		other.genesis[0] ^= 1
		_, err = n.submit(ctx, signImmortal(other, alice, transferCall(callTransferKeepAlive, bobID, msca(1)), 0))
		wantRPCError(t, "signed for another genesis", err, 1010, "bad signature")
	})
	t.Run("reused nonce", func(t *testing.T) {
		// Dave's nonce 0 is in a block: a new transaction with it is stale.
		_, err := n.submit(ctx, signImmortal(ci, dave, transferCall(callTransferKeepAlive, bobID, msca(2)), 0))
		wantRPCError(t, "Dave nonce 0 again", err, 1010, "outdated")
		// The very same bytes again.
		_, err = n.submit(ctx, daveExt)
		if err == nil {
			t.Errorf("resubmitting an included extrinsic was accepted")
		} else {
			t.Logf("resubmitting the included extrinsic: %v", err)
		}
	})
	t.Run("more than the balance", func(t *testing.T) {
		// An account with nothing cannot pay the fee.
		empty := pair(t, "//E2E//Empty")
		_, err := n.submit(ctx, signImmortal(ci, empty, transferCall(callTransferAllowDeath, bobID, msca(1)), 0))
		wantRPCError(t, "unfunded sender", err, 1010, "pay")
		// //Eve sends more than she has.
		eve := pair(t, "//Eve")
		info, err := n.account(ctx, accountID(eve), "")
		if err != nil {
			t.Fatal(err)
		}
		tooMuch := new(big.Int).Add(info.Free, msca(1000))
		ext := signImmortal(ci, eve, transferCall(callTransferAllowDeath, bobID, tooMuch), info.Nonce)
		_, err = n.submit(ctx, ext)
		if err != nil {
			wantRPCError(t, "Eve sends free+1000 MSCA", err, 1010, "pay")
			return
		}
		// Accepted by the pool (as Substrate does: validity checks only
		// the fee): it must then fail in its block and move nothing.
		t.Logf("Eve's over-balance transfer entered the pool (fee payable); checking it fails in its block")
		var blockHash string
		err = poll(ctx, 10*time.Second, 50*time.Millisecond, "Eve's nonce to move", func(ctx context.Context) (bool, error) {
			a, err := n.account(ctx, accountID(eve), "")
			return err == nil && a.Nonce > info.Nonce, err
		})
		if err != nil {
			t.Fatal(err)
		}
		_, blockHash, _ = n.best(ctx)
		after, err := n.account(ctx, accountID(eve), blockHash)
		if err != nil {
			t.Fatal(err)
		}
		if after.Free.Cmp(info.Free) >= 0 || bigSub(info.Free, after.Free).Cmp(big.NewInt(oneMSCA)) >= 0 {
			t.Errorf("Eve's balance %s → %s: want only a fee taken", info.Free, after.Free)
		}
	})
	t.Run("oversized HTTP request", func(t *testing.T) {
		// A 16 MiB hex string in a valid request.
		body := []byte(`{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["0x` +
			strings.Repeat("00", 8<<20) + `"]}`)
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, n.rpcHTTP, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		resp, err := httpClient.Do(req)
		if err != nil {
			// The server may close the connection mid-upload; the node
			// must still serve (checked below).
			t.Logf("oversized request: transport error %v", err)
		} else {
			raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
			var r rpcResponse
			jerr := json.Unmarshal(raw, &r)
			switch {
			case jerr == nil && r.Error != nil:
				wantRPCError(t, fmt.Sprintf("16 MiB body (HTTP %d)", resp.StatusCode), r.Error, -32007, "too big")
			case resp.StatusCode == http.StatusRequestEntityTooLarge:
				t.Logf("16 MiB body: HTTP 413 %.100q", raw)
			default:
				t.Errorf("16 MiB body: HTTP %d %.200q, want error -32007 or HTTP 413", resp.StatusCode, raw)
			}
		}
		if _, err := n.getHeader(ctx, ""); err != nil {
			t.Errorf("node does not serve after the oversized request: %v", err)
		}
	})
	t.Run("unknown method", func(t *testing.T) {
		_, err := n.call(ctx, "e2e_noSuchMethod", 1)
		wantRPCError(t, "e2e_noSuchMethod", err, -32601, "not found")
		_, err = w.call(ctx, "e2e_noSuchMethod")
		wantRPCError(t, "e2e_noSuchMethod over WS", err, -32601, "not found")
	})
	t.Run("subscription flood", func(t *testing.T) {
		fw, err := n.dialWS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// A storage key nobody writes: one initial notification per
		// subscription, nothing after.
		key := hexOf([]byte(":e2e:nothing"))
		const limit, extra, chunk = 1024, 16, 16 // chunk = the server's concurrent calls per connection
		var ok, refused int
		var firstRefusal *rpcError
		for sent := 0; sent < limit+extra; sent += chunk {
			var chans []chan rpcResponse
			for i := 0; i < chunk && sent+i < limit+extra; i++ {
				_, ch, err := fw.send(ctx, "state_subscribeStorage", []string{key})
				if err != nil {
					t.Fatalf("after %d subscriptions: send: %v", sent+i, err)
				}
				chans = append(chans, ch)
			}
			for _, ch := range chans {
				_, err := fw.await(ctx, ch)
				var re *rpcError
				switch {
				case err == nil:
					ok++
				case errors.As(err, &re):
					refused++
					if re.Code != -32006 {
						t.Errorf("subscription refused with %s, want -32006", re)
					}
					if firstRefusal == nil {
						firstRefusal = re
					}
				default:
					t.Fatalf("after %d ok, %d refused: %v", ok, refused, err)
				}
			}
		}
		t.Logf("%d subscriptions: %d accepted, %d refused (first: %v)", limit+extra, ok, refused, firstRefusal)
		if ok != limit || refused != extra {
			dropped := len(n.log.grep(reSubDropped))
			t.Errorf("accepted %d, refused %d; want the per-connection limit %d accepted and %d refused (node dropped %d subscriptions as too slow)",
				ok, refused, limit, extra, dropped)
		}
		// The same connection still answers calls.
		if _, err := fw.call(ctx, "chain_getHeader"); err != nil {
			t.Errorf("flooded connection no longer answers: %v", err)
		}
		// Another connection subscribes normally.
		_, heads, err := w.subscribe(ctx, "chain_subscribeNewHeads")
		if err != nil {
			t.Fatalf("a fresh subscription on another connection: %v", err)
		}
		select {
		case raw := <-heads:
			var h header
			if json.Unmarshal(raw, &h) != nil || h.Number == "" {
				t.Errorf("chain_newHead notification %s", raw)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("no new head notification within 5 s")
		}
		fw.close()
	})

	t.Run("pipelined subscriptions all deliver", func(t *testing.T) {
		// A client that sends 256 subscribe requests at once and reads as
		// fast as it can (as @polkadot/api may at start-up) must get, for
		// each accepted subscription, its initial notification: a dropped
		// subscription is invisible to the client.
		pw, err := n.dialWS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		before := len(n.log.grep(reSubDropped))
		const count = 256
		var chans []chan rpcResponse
		for i := 0; i < count; i++ {
			_, ch, err := pw.send(ctx, "state_subscribeStorage", []string{hexOf([]byte(":e2e:pipelined"))})
			if err != nil {
				t.Fatal(err)
			}
			chans = append(chans, ch)
		}
		var ids []string
		for _, ch := range chans {
			r, err := pw.await(ctx, ch)
			if err != nil {
				t.Fatalf("pipelined subscribe: %v", err)
			}
			var id string
			if err := json.Unmarshal(r.Result, &id); err != nil {
				t.Fatalf("subscription id %s", r.Result)
			}
			ids = append(ids, id)
		}
		var missing []string
		err = poll(ctx, 2*time.Second, 20*time.Millisecond, "initial notifications", func(context.Context) (bool, error) {
			pw.mu.Lock()
			defer pw.mu.Unlock()
			missing = missing[:0]
			for _, id := range ids {
				if len(pw.early[id]) == 0 {
					missing = append(missing, id)
				}
			}
			return len(missing) == 0, nil
		})
		dropped := len(n.log.grep(reSubDropped)) - before
		if err != nil || dropped > 0 {
			t.Errorf("%d of %d accepted subscriptions never sent their initial notification; the node logged %d 'subscription dropped: client too slow' (the client was reading continuously)",
				len(missing), count, dropped)
		}
		pw.close()
	})

	// The node goes on: a good transaction is still included and blocks
	// are still authored.
	b, _, err := n.best(ctx)
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := n.nextIndex(ctx, accountID(alice))
	if err != nil {
		t.Fatal(err)
	}
	if sts, err := watch(ctx, w, good(nonce), 10*time.Second); err != nil || sts[len(sts)-1].kind != "finalized" {
		t.Errorf("good transfer after the bad input: %s, %v", statusKinds(sts), err)
	}
	if _, err := n.waitBlock(ctx, b+2, 10*time.Second); err != nil {
		t.Errorf("no block after the bad input: %v", err)
	}
	if !n.alive() {
		t.Fatalf("node exited: %v", n.waitErr)
	}
	if lines := n.log.grep(reAnyPanic); len(lines) > 0 {
		t.Errorf("panics in the log:\n%s", strings.Join(lines, "\n"))
	}
}
