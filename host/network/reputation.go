package network

import (
	"sync"
	"time"
)

// Reputation changes. Report takes any delta; these are the ones the
// network applies itself, and sensible values for callers.
const (
	// BanThreshold: a peer whose score falls to it or below is
	// disconnected and banned for a while.
	BanThreshold = -100
	// RepInvalid is for provably bad data: garbage or oversized messages,
	// a handshake for another chain, an invalid block or justification.
	// One such report bans the peer.
	RepInvalid = -100
	// RepRejected is for a gossip message the validator rejected.
	RepRejected = -25
	// RepUnhelpful is for a peer that announced a block and then did not
	// serve it, or answered a request with nothing useful.
	RepUnhelpful = -20
	// RepTimeout is for a request that got no answer in time.
	RepTimeout = -10

	repMax = 100   // good behaviour is capped: it cannot buy many bad acts
	repMin = -1000 // bad behaviour is capped so that a ban ends eventually
)

// defaultBanDuration is how long a banned peer is refused.
const defaultBanDuration = 60 * time.Second

// reputation keeps a score per peer. Scores move back toward zero by one
// point per second, so a peer that erred long ago is forgiven; a ban ends
// after banFor regardless of the score.
type reputation struct {
	now    func() time.Time
	banFor time.Duration

	mu    sync.Mutex
	peers map[string]*repEntry // guarded by mu
}

type repEntry struct {
	score       int
	at          time.Time // when score was last decayed
	bannedUntil time.Time
}

func newReputation(now func() time.Time, banFor time.Duration) *reputation {
	if now == nil {
		now = time.Now
	}
	if banFor <= 0 {
		banFor = defaultBanDuration
	}
	return &reputation{now: now, banFor: banFor, peers: make(map[string]*repEntry)}
}

// decayLocked moves e's score toward zero for the whole seconds elapsed.
func (r *reputation) decayLocked(e *repEntry, now time.Time) {
	secs := int(now.Sub(e.at) / time.Second)
	if secs <= 0 {
		return
	}
	e.at = e.at.Add(time.Duration(secs) * time.Second)
	switch {
	case e.score > 0:
		e.score = max(0, e.score-secs)
	case e.score < 0:
		e.score = min(0, e.score+secs)
	}
}

// report adds delta to peer's score and says whether the peer has just
// become banned.
func (r *reputation) report(peer string, delta int) (score int, banned bool) {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.peers[peer]
	if e == nil {
		if len(r.peers) >= 4096 {
			r.pruneLocked(now)
		}
		e = &repEntry{at: now}
		r.peers[peer] = e
	}
	r.decayLocked(e, now)
	e.score = min(repMax, max(repMin, e.score+delta))
	if e.score <= BanThreshold && !now.Before(e.bannedUntil) {
		e.bannedUntil = now.Add(r.banFor)
		return e.score, true
	}
	return e.score, false
}

// pruneLocked forgets peers with a neutral score and no ban.
func (r *reputation) pruneLocked(now time.Time) {
	for id, e := range r.peers {
		r.decayLocked(e, now)
		if e.score == 0 && !now.Before(e.bannedUntil) {
			delete(r.peers, id)
		}
	}
}

// score returns peer's current score.
func (r *reputation) score(peer string) int {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.peers[peer]
	if e == nil {
		return 0
	}
	r.decayLocked(e, now)
	return e.score
}

// banned reports whether peer is banned now.
func (r *reputation) banned(peer string) bool {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	e := r.peers[peer]
	return e != nil && now.Before(e.bannedUntil)
}

// bannedPeers lists the peers banned now.
func (r *reputation) bannedPeers() []string {
	now := r.now()
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for id, e := range r.peers {
		if now.Before(e.bannedUntil) {
			out = append(out, id)
		}
	}
	return out
}
