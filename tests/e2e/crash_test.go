package e2e

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Scenario 4: SIGKILL while blocks are authored and transfers are in
// flight; the restarted node serves a fully committed best block, has lost
// nothing it reported final, and keeps authoring. Three crash rounds, killed at
// different moments.
func TestKill9Recovery(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 75*time.Second)
	defer cancel()
	base := t.TempDir()
	opts := nodeOpts{basePath: base, blockTime: 100 * time.Millisecond}
	alice, bob, charlie := pair(t, "//Alice"), pair(t, "//Bob"), pair(t, "//Charlie")
	aliceID, bobID := accountID(alice), accountID(bob)

	n := startNode(ctx, t, "run0", opts)
	if _, err := n.waitBlock(ctx, 3, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	ci, err := n.chainInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const rounds = 3
	for round := 1; round <= rounds; round++ {
		// Transfers in flight from two senders, across blocks.
		var submitted int
		for i, sender := range []string{"//Alice", "//Charlie"} {
			kp := alice
			if i == 1 {
				kp = charlie
			}
			nonce, err := n.nextIndex(ctx, accountID(kp))
			if err != nil {
				t.Fatalf("round %d: nonce of %s: %v", round, sender, err)
			}
			for k := uint32(0); k < 3; k++ {
				ext := signImmortal(ci, kp, transferCall(callTransferKeepAlive, bobID, msca(1)), nonce+k)
				if _, err := n.submit(ctx, ext); err != nil {
					t.Fatalf("round %d: submit %s nonce %d: %v", round, sender, nonce+k, err)
				}
				submitted++
			}
			if i == 0 { // let a block or two go by between the senders
				b, _, _ := n.best(ctx)
				if _, err := n.waitBlock(ctx, b+1, 5*time.Second); err != nil {
					t.Fatal(err)
				}
			}
		}
		// What the node says is final right before the kill.
		var finHash string
		if err := n.callInto(ctx, &finHash, "chain_getFinalizedHead"); err != nil {
			t.Fatal(err)
		}
		fh, err := n.getHeader(ctx, finHash)
		if err != nil {
			t.Fatal(err)
		}
		finNum := fh.num()
		switch round % 3 {
		case 2:
			// Kill the moment the next block is logged as authored: its
			// commit and finality mark may still be under way.
			_, from, _ := n.log.find(reAuthor, 1<<30)
			if _, err := n.waitLog(ctx, reAuthor, from, 5*time.Second); err != nil {
				t.Fatal(err)
			}
		case 0:
			// Kill right after submitting one more transfer.
			nonce, err := n.nextIndex(ctx, aliceID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := n.submit(ctx, signImmortal(ci, alice, transferCall(callTransferKeepAlive, bobID, msca(1)), nonce)); err != nil {
				t.Fatal(err)
			}
			submitted++
		}
		if err := n.stop(syscall.SIGKILL, 10*time.Second); err != nil && !strings.Contains(err.Error(), "killed") {
			t.Fatalf("round %d: SIGKILL: %v", round, err)
		}
		authored := n.log.grep(reAuthor)
		lastLogged := uint64(0)
		if len(authored) > 0 {
			lastLogged = atoi(t, reAuthor.FindStringSubmatch(authored[len(authored)-1])[1])
		}
		t.Logf("round %d: killed with %d transfers submitted, finalized #%d seen, last authored #%d logged",
			round, submitted, finNum, lastLogged)

		// Restart on the same folder.
		n = startNode(ctx, t, fmt.Sprintf("run%d", round), opts)
		rm, _ := n.waitLog(ctx, reReady, 0, time.Second)
		t.Logf("round %d: restarted: %s", round, rm[0])
		best, bestHash, err := n.best(ctx)
		if err != nil {
			t.Fatalf("round %d: best after restart: %v", round, err)
		}
		if best < finNum {
			t.Errorf("round %d: best #%d after restart is below #%d that was reported final before the kill", round, best, finNum)
		}
		if h, err := n.blockHash(ctx, finNum); err != nil || h != finHash {
			t.Errorf("round %d: block #%d after restart is %s (%v), before the kill finalized %s", round, finNum, h, err, finHash)
		}
		// The best block (as of now) is fully there: body, header, state.
		var blk block
		if err := n.callInto(ctx, &blk, "chain_getBlock", bestHash); err != nil {
			t.Fatalf("round %d: chain_getBlock(best %s): %v", round, bestHash, err)
		}
		if blk.Block.Header.num() != best || len(blk.Block.Extrinsics) == 0 {
			t.Errorf("round %d: chain_getBlock(best) = #%d with %d extrinsics, want #%d with ≥1 (the timestamp)",
				round, blk.Block.Header.num(), len(blk.Block.Extrinsics), best)
		}
		raw, err := n.storage(ctx, accountKey(aliceID), bestHash)
		if err != nil || raw == nil {
			t.Fatalf("round %d: state_getStorage(System.Account(Alice), best %s) = %x, %v", round, bestHash, raw, err)
		}
		if _, err := decodeAccount(raw); err != nil {
			t.Errorf("round %d: %v", round, err)
		}
		// Walk back: every ancestor down to the last final one is linked.
		cur := blk.Block.Header
		for cur.num() > finNum && cur.num() > 0 {
			parent, err := n.getHeader(ctx, cur.ParentHash)
			if err != nil {
				t.Fatalf("round %d: parent of #%d: %v", round, cur.num(), err)
			}
			if parent.num()+1 != cur.num() {
				t.Fatalf("round %d: parent of #%d is #%d", round, cur.num(), parent.num())
			}
			cur = parent
		}
		// It keeps authoring, and a new transfer goes through.
		if _, err := n.waitBlock(ctx, best+3, 10*time.Second); err != nil {
			t.Fatalf("round %d: no authoring after restart: %v", round, err)
		}
		nonce, err := n.nextIndex(ctx, aliceID)
		if err != nil {
			t.Fatal(err)
		}
		w, err := n.dialWS(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sts, err := watch(ctx, w, signImmortal(ci, alice, transferCall(callTransferKeepAlive, bobID, msca(1)), nonce), 10*time.Second)
		if err != nil || sts[len(sts)-1].kind != "finalized" {
			t.Fatalf("round %d: transfer after restart: %s, %v", round, statusKinds(sts), err)
		}
		w.close()
		if lines := n.errorLines(); len(lines) > 0 {
			t.Errorf("round %d: error lines in the log:\n%s", round, strings.Join(lines, "\n"))
		}
	}
}
