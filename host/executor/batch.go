package executor

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/oasisprotocol/curve25519-voi/primitives/sr25519"
)

// batchVerifier runs the signature checks a runtime deferred with
// ext_crypto_{sr25519,ed25519}_batch_verify_version_1 on other cores while
// the runtime goes on, and reports at ext_crypto_finish_batch_verify_version_1
// whether all of them held.
//
// Only the runtime decides to defer: it opens a batch
// (ext_crypto_start_batch_verify_version_1) where a single bad signature
// fails the whole call anyway, i.e. while executing a block, whose validity
// is all or nothing. Everywhere else (validate_transaction, apply_extrinsic
// while building) it calls the plain verify functions, whose answer decides
// inclusion. Outside a batch the batch functions verify at once, as
// Substrate's did.
//
// Checks travel to the workers in chunks: waking a parked worker costs a
// futex call and a scheduler round trip (about 15 µs on a 2-core VM, as
// much as a quarter of the check itself), so handing over every check
// alone cost the runtime's thread more than the checks it gave away. A
// chunk's sr25519 signatures are verified together (schnorrkel batch
// verification: one multi-scalar multiplication for the chunk), since all
// that matters is whether every one of them holds.
type batchVerifier struct {
	pending []sigCheck
	chunks  chan []sigCheck
	wg      sync.WaitGroup // chunks queued and not finished
	failed  atomic.Bool
}

// batchChunk is how many checks go to a worker at once: large enough that
// hand-over costs little per check, small enough that the last partial
// chunk, verified while finish waits, is short (16 sr25519 checks ≈ 0.8 ms).
const batchChunk = 16

// sigScheme says which verification a sigCheck needs.
type sigScheme uint8

const (
	schemeSr25519 sigScheme = iota
	schemeEd25519
)

// sigCheck is one deferred check with its inputs copied out of guest
// memory (which is only valid during the host call).
type sigCheck struct {
	scheme sigScheme
	sig    [64]byte
	pub    [32]byte
	msg    []byte
}

// newBatchVerifier starts workers on all cores but the runtime's own.
func newBatchVerifier() *batchVerifier {
	b := &batchVerifier{chunks: make(chan []sigCheck, 64)}
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		go b.work()
	}
	return b
}

func (b *batchVerifier) work() {
	for chunk := range b.chunks {
		if !b.failed.Load() && !verifyChunk(chunk) {
			b.failed.Store(true)
		}
		b.wg.Done()
	}
}

// add queues a check.
func (b *batchVerifier) add(c sigCheck) {
	if b.failed.Load() {
		return // the batch has failed already: no need to check more
	}
	b.pending = append(b.pending, c)
	if len(b.pending) == batchChunk {
		b.flush()
	}
}

func (b *batchVerifier) flush() {
	if len(b.pending) == 0 {
		return
	}
	b.wg.Add(1)
	b.chunks <- b.pending
	b.pending = make([]sigCheck, 0, batchChunk)
}

// finish hands over the last checks, waits for every queued one, stops the
// workers and reports whether all checks held.
func (b *batchVerifier) finish() bool {
	b.flush()
	b.wg.Wait()
	close(b.chunks)
	return !b.failed.Load()
}

// verifyChunk reports whether every check of chunk holds. If the batched
// sr25519 equation fails, some signature is bad (schnorrkel batch
// verification accepts exactly the batches whose members all verify, up to
// negligible probability): which one does not matter here.
func verifyChunk(chunk []sigCheck) bool {
	var bv *sr25519.BatchVerifier
	for i := range chunk {
		c := &chunk[i]
		switch c.scheme {
		case schemeEd25519:
			if !ed25519Verify(&c.sig, c.msg, &c.pub) {
				return false
			}
		case schemeSr25519:
			pk, err := sr25519.NewPublicKeyFromBytes(c.pub[:])
			if err != nil {
				return false
			}
			s, err := sr25519.NewSignatureFromBytes(c.sig[:])
			if err != nil {
				return false
			}
			if bv == nil {
				bv = sr25519.NewBatchVerifierWithCapacity(len(chunk))
			}
			bv.Add(pk, sr25519Context.NewTranscriptBytes(c.msg), s)
		}
	}
	return bv == nil || bv.VerifyBatchOnly(nil)
}

// The batch operations of an instance (shared by the wasm host functions
// and the native host).

// startBatch opens a batch; it is an error to open one while one is open.
func (s *instState) startBatch() bool {
	if s.batch != nil {
		return false
	}
	s.batch = newBatchVerifier()
	return true
}

// batchVerify defers the check if a batch is open (and answers true), else
// runs it now. msg may alias guest memory: it is copied when deferred.
func (s *instState) batchVerify(scheme sigScheme, sig *[64]byte, msg []byte, pub *[32]byte) bool {
	if s.batch == nil {
		if scheme == schemeEd25519 {
			return ed25519Verify(sig, msg, pub)
		}
		return sr25519Verify(sig, msg, pub)
	}
	s.batch.add(sigCheck{scheme: scheme, sig: *sig, pub: *pub, msg: append([]byte(nil), msg...)})
	return true
}

// finishBatch closes the open batch and reports whether all its checks held;
// ok is false if no batch was open.
func (s *instState) finishBatch() (valid, ok bool) {
	if s.batch == nil {
		return false, false
	}
	b := s.batch
	s.batch = nil
	return b.finish(), true
}

var (
	errBatchOpen = fmt.Errorf("%w: a signature batch is already open", ErrBadArgument)
	errNoBatch   = fmt.Errorf("%w: no signature batch is open", ErrBadArgument)
)
