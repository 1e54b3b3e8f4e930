package e2e

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// TestNetworkFinality runs four validators with 1 s slots and checks, in
// order: they author and finalize with finality at most 3 blocks behind;
// with one killed the rest keep finalizing; with two killed blocks go on
// but finality stops, and resumes when one returns; a restarted validator
// catches up and votes again; a new full node syncs from genesis (full
// sync) and another by warp sync; no two nodes ever finalize conflicting
// blocks.
func TestNetworkFinality(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process network test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tn := newTestnet(ctx, t, 4, 10, 2)
	var vs []*node
	for i := 0; i < 4; i++ {
		vs = append(vs, tn.startValidator(ctx, i))
	}

	// 1. All four author and finalize; finality ≤ 3 blocks behind the head.
	lagOK := 0
	eventually(ctx, t, 90*time.Second, "4 validators finalize block 8 with finality ≤ 3 behind", func() (bool, string) {
		best, fin, err := vs[0].heads(ctx)
		if err != nil {
			return false, err.Error()
		}
		if fin >= 1 && best-fin <= 3 {
			lagOK++
		}
		return fin >= 8 && lagOK >= 3, fmt.Sprintf("best %d finalized %d (lag ≤ 3 seen %d times)", best, fin, lagOK)
	})
	finalityAgree(ctx, t, vs...)

	// 2. One validator down: the other three still finalize.
	vs[3].kill()
	_, fin0, _ := vs[0].heads(ctx)
	eventually(ctx, t, 60*time.Second, "3 of 4 keep finalizing", func() (bool, string) {
		_, fin, err := vs[1].heads(ctx)
		return err == nil && fin >= fin0+5, fmt.Sprintf("finalized %d, want ≥ %d (err %v)", fin, fin0+5, err)
	})

	// 3. Two down: blocks continue, finality stops.
	vs[2].kill()
	best1, fin1, _ := vs[0].heads(ctx)
	eventually(ctx, t, 60*time.Second, "2 of 4 keep authoring", func() (bool, string) {
		best, _, err := vs[0].heads(ctx)
		return err == nil && best >= best1+4, fmt.Sprintf("best %d, want ≥ %d", best, best1+4)
	})
	_, fin2, _ := vs[0].heads(ctx)
	if fin2 > fin1+1 { // one in-flight round may still complete
		t.Fatalf("finality went on with 2 of 4 validators: %d → %d", fin1, fin2)
	}

	// 4. One returns (restarted, same base path): finality resumes, and
	// it catches up and votes (3 votes are needed).
	vs[2] = tn.startValidator(ctx, 2)
	eventually(ctx, t, 90*time.Second, "finality resumes with 3 of 4", func() (bool, string) {
		_, fin, err := vs[0].heads(ctx)
		return err == nil && fin >= fin2+3, fmt.Sprintf("finalized %d, want ≥ %d", fin, fin2+3)
	})
	eventually(ctx, t, 60*time.Second, "restarted validator catches up", func() (bool, string) {
		_, fin, _ := vs[0].heads(ctx)
		best, _, err := vs[2].heads(ctx)
		return err == nil && best >= fin, fmt.Sprintf("restarted best %d, network finalized %d", best, fin)
	})
	vs[3] = tn.startValidator(ctx, 3)

	// 5. New full nodes: one by full sync from genesis, one by warp sync.
	full := tn.startFull(ctx, "full1", "full")
	warp := tn.startFull(ctx, "warp1", "warp")
	for _, n := range []*node{full, warp} {
		n := n
		eventually(ctx, t, 90*time.Second, n.name+" syncs to the network's finalized block", func() (bool, string) {
			_, target, _ := vs[0].heads(ctx)
			_, fin, err := n.heads(ctx)
			return err == nil && fin+2 >= target && fin > 0, fmt.Sprintf("%s finalized %d, network %d (err %v)", n.name, fin, target, err)
		})
	}
	if _, err := warp.waitLog(ctx, reWarped, 0, 5*time.Second); err != nil {
		t.Fatalf("warp1 did not warp: %v", err)
	}
	finalityAgree(ctx, t, append(vs, full, warp)...)
	for _, n := range append(vs, full, warp) {
		if err := n.stop(syscall.SIGINT, 20*time.Second); err != nil {
			t.Errorf("%s: %v", n.name, err)
		}
	}
}

// TestNetworkSplitHeals splits four finalizing validators 2|2 (two are
// restarted knowing only each other and without discovery): both halves
// keep authoring on their own fork, neither finalizes; when a node of one
// half reconnects to the other, one fork wins, finality resumes, and all
// four agree on every finalized block.
func TestNetworkSplitHeals(t *testing.T) {
	if testing.Short() {
		t.Skip("multi-process network test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	tn := newTestnet(ctx, t, 4, 10, 2)
	var vs []*node
	for i := 0; i < 4; i++ {
		vs = append(vs, tn.startValidator(ctx, i))
	}
	eventually(ctx, t, 90*time.Second, "finality before the split", func() (bool, string) {
		_, fin, err := vs[0].heads(ctx)
		return err == nil && fin >= 5, fmt.Sprintf("finalized %d (err %v)", fin, err)
	})

	// Split: v3 and v4 come back knowing only each other.
	vs[2].kill()
	vs[3].kill()
	_, finSplit, _ := vs[0].heads(ctx)
	vs[2] = tn.startValidator(ctx, 2, "--no-dht", noBootnodes)
	vs[3] = tn.startValidator(ctx, 3, "--no-dht", "--bootnodes", tn.addrs["v3"][0])
	bestA0, _, _ := vs[0].heads(ctx)
	bestB0, _, _ := vs[2].heads(ctx)
	eventually(ctx, t, 60*time.Second, "both halves author on their own forks", func() (bool, string) {
		a, _, errA := vs[0].heads(ctx)
		b, _, errB := vs[2].heads(ctx)
		if errA != nil || errB != nil || a < bestA0+3 || b < bestB0+3 {
			return false, fmt.Sprintf("A best %d (from %d), B best %d (from %d)", a, bestA0, b, bestB0)
		}
		h := min(a, b)
		ha, _ := vs[0].canonHash(ctx, h)
		hb, _ := vs[2].canonHash(ctx, h)
		return ha != hb, fmt.Sprintf("block #%d: A %s, B %s", h, ha, hb)
	})
	for _, n := range vs {
		if _, fin, _ := n.heads(ctx); fin > finSplit+1 {
			t.Fatalf("%s finalized %d during the 2|2 split (finalized at the split: %d)", n.name, fin, finSplit)
		}
	}

	// Heal: v4 restarts knowing everyone.
	vs[3].kill()
	vs[3] = tn.startValidator(ctx, 3)
	eventually(ctx, t, 120*time.Second, "finality resumes on all four after the heal", func() (bool, string) {
		low := ^uint64(0)
		for _, n := range vs {
			_, fin, err := n.heads(ctx)
			if err != nil {
				return false, err.Error()
			}
			low = min(low, fin)
		}
		return low >= finSplit+5, fmt.Sprintf("lowest finalized %d, want ≥ %d", low, finSplit+5)
	})
	finalityAgree(ctx, t, vs...)
}
