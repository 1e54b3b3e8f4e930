// Package session is MSC's pallet_session: the validator set of the current
// session, the session keys every validator registers (an Aura sr25519 key
// and a GRANDPA ed25519 key, 64 bytes), and the rotation of sessions every
// Period blocks.
//
// Why it looks like Substrate's: @polkadot/api, polkadot-js apps and the
// `author_rotateKeys` + `session.setKeys` flow read and write this pallet by
// its storage layout and call indices, so Validators, CurrentIndex,
// QueuedChanged, QueuedKeys, NextKeys and KeyOwner are pallet_session's items
// and set_keys/purge_keys keep their indices.
//
// Rotation (hooks.go) follows rotate_session: at every block n with
// n % Period == 0 (n > 0) the queued validators become the current ones,
// CurrentIndex advances, the SessionManager (staking) is told EndSession(i),
// StartSession(i+1) and asked NewSession(i+2) for the set after; the queued
// set for the next session is that answer filtered to validators with keys.
// So a set elected for session i+2 is known one session ahead, and keys set
// during session i are used from session i+2 on, as in Substrate. The
// handlers (Aura and GRANDPA, SessionHandler in expected.go) then learn the
// new current keys, in the same order as Validators: index k of their
// authority lists is Validators[k] (ValidatorAt), which is how authorship and
// the equivocation reports find the account behind a key.
//
// MSC simplifications: the validator id is the account itself (no
// ValidatorIdOf conversion); the ownership proof of set_keys is accepted as
// Substrate accepts it for sr25519/ed25519 keys (not checked, at most
// MaxProofLen bytes); Period is a genesis value kept in storage (Period),
// with no offset; there are no disabled validators.
package session
