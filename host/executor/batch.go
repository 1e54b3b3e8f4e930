package executor

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
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
type batchVerifier struct {
	jobs   chan func() bool
	wg     sync.WaitGroup // jobs queued and not finished
	failed atomic.Bool
	count  int
}

// newBatchVerifier starts workers on all cores but the runtime's own.
func newBatchVerifier() *batchVerifier {
	b := &batchVerifier{jobs: make(chan func() bool, 256)}
	for range max(1, runtime.GOMAXPROCS(0)-1) {
		go b.work()
	}
	return b
}

func (b *batchVerifier) work() {
	for job := range b.jobs {
		if !job() {
			b.failed.Store(true)
		}
		b.wg.Done()
	}
}

// add queues a check; its inputs must not alias guest memory.
func (b *batchVerifier) add(job func() bool) {
	b.count++
	if b.failed.Load() {
		return // the batch has failed already: no need to check more
	}
	b.wg.Add(1)
	b.jobs <- job
}

// finish waits for every queued check, stops the workers and reports
// whether all checks held.
func (b *batchVerifier) finish() bool {
	b.wg.Wait()
	close(b.jobs)
	return !b.failed.Load()
}

// sr25519 and ed25519 jobs copy their inputs: guest memory is only valid
// during the host call.
func sr25519Job(sig *[64]byte, msg []byte, pub *[32]byte) func() bool {
	s, m, p := *sig, append([]byte(nil), msg...), *pub
	return func() bool { return sr25519Verify(&s, m, &p) }
}

func ed25519Job(sig *[64]byte, msg []byte, pub *[32]byte) func() bool {
	s, m, p := *sig, append([]byte(nil), msg...), *pub
	return func() bool { return ed25519Verify(&s, m, &p) }
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

// batchVerify defers job if a batch is open (and answers true), else runs
// it now.
func (s *instState) batchVerify(job func() bool) bool {
	if s.batch == nil {
		return job()
	}
	s.batch.add(job)
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
