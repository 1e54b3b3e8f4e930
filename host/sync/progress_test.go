package sync

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/host/chain"
	"github.com/metamars/mars/runtime/types"
)

// staticChain is a Chain whose best block the test sets.
type staticChain struct {
	Chain
	best chain.BlockRef
}

func (c *staticChain) Best() chain.BlockRef { return c.best }

// TestProgressLine drives the progress log with an injected clock.
func TestProgressLine(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	c := &staticChain{best: chain.BlockRef{Number: 100}}
	s, err := New(Config{Chain: c, Network: newFakeNet(), Logger: slog.New(slog.NewTextHandler(&buf, nil)),
		Now: func() time.Time { return now }, ProgressInterval: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	s.peers["p"] = &peer{id: "p", best: chain.BlockRef{Hash: types.Hash{1}, Number: 1100}}
	s.progress.reset(now, 100)
	now = now.Add(4 * time.Second)
	s.logProgress()
	if buf.Len() != 0 {
		t.Fatalf("logged before the interval: %s", buf.String())
	}
	now = now.Add(time.Second)
	c.best.Number = 600 // 500 blocks in 5 s
	s.logProgress()
	if got := buf.String(); !strings.Contains(got, "sync: #600 of #1100, 100.0 blocks/s, ETA 5s") {
		t.Fatalf("progress line: %s", got)
	}
	if st, cur, high := s.Status(); st != 100 || cur != 600 || high != 1100 {
		t.Fatalf("status (%d, %d, %d)", st, cur, high)
	}
}
