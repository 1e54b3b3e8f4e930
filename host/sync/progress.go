package sync

import (
	"fmt"
	"time"
)

// progress measures the import rate between two log lines.
type progress struct {
	at      time.Time
	number  uint32
	lastLog time.Time
}

func (p *progress) reset(now time.Time, n uint32) { p.at, p.number, p.lastLog = now, n, now }

// logProgress writes "sync: #N of #target, X blocks/s, ETA …" every
// ProgressInterval while the node is behind.
func (s *Syncer) logProgress() {
	now := s.cfg.Now()
	if now.Sub(s.progress.lastLog) < s.cfg.ProgressInterval {
		return
	}
	s.updateStatus()
	_, cur, high := s.Status()
	elapsed := now.Sub(s.progress.at).Seconds()
	var rate float64
	if cur > s.progress.number && elapsed > 0 {
		rate = float64(cur-s.progress.number) / elapsed
	}
	if high > cur {
		eta := "unknown"
		if rate > 0 {
			eta = time.Duration(float64(high-cur) / rate * float64(time.Second)).Round(time.Second).String()
		}
		s.log.Info(fmt.Sprintf("sync: #%d of #%d, %.1f blocks/s, ETA %s", cur, high, rate, eta), "peers", len(s.peers))
	} else {
		s.log.Debug(fmt.Sprintf("sync: idle at #%d", cur), "peers", len(s.peers))
	}
	s.progress.reset(now, cur)
}
