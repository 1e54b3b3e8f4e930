package executor

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
)

// instState is the per-instance state that host functions reach through
// the call's context (stateOf). One instState belongs to one instance (or
// one native host); it is never shared between blocks.
type instState struct {
	exec    *Executor // for ext_misc_runtime_version; nil in a native host
	store   Storage   // nil while probing another runtime's version
	version uint8     // state version of ext_storage_root
	input   []byte    // the current call's input (ext_input_read)
	txDepth int       // transactions the runtime opened in this call

	log      *slog.Logger
	maxLevel uint8
	stderr   boundedBuffer  // what the runtime wrote to fd 2 in this call, for error messages
	stdout   boundedBuffer  // what it wrote to fd 1 in this call
	logged   int            // how much of stderr flushOutput has logged
	rng      *rand.ChaCha8  // WASI random_get: fixed seed, fresh per instance
	batch    *batchVerifier // the open signature batch of this call, if any
}

// randomSeed seeds WASI random_get. It is fixed so that every node runs a
// runtime through exactly the same steps (Go seeds its map hashing from it).
var randomSeed = [32]byte{'m', 'a', 'r', 's', '-', 'w', 'a', 's', 'i'}

func newInstState(exec *Executor, store Storage, version uint8, log *slog.Logger, maxLevel uint8) *instState {
	return &instState{
		exec: exec, store: store, version: version,
		log: log, maxLevel: maxLevel,
		rng: rand.NewChaCha8(randomSeed),
	}
}

type stateKey struct{}

func withState(ctx context.Context, s *instState) context.Context {
	return context.WithValue(ctx, stateKey{}, s)
}

// stateOf is the one typed accessor of per-call state.
func stateOf(ctx context.Context) *instState {
	s, _ := ctx.Value(stateKey{}).(*instState)
	if s == nil {
		// Only reachable if a module calls into our host modules through a
		// context we did not build: refuse rather than crash.
		trap(fmt.Errorf("%w: host function called without executor state", ErrBadArgument))
	}
	return s
}

// maxStderr bounds what we keep of a runtime's stderr (a Go panic prints a
// goroutine dump after the message; the message comes first).
const maxStderr = 16 << 10

type boundedBuffer struct{ bytes.Buffer }

func (b *boundedBuffer) add(p []byte) {
	if room := maxStderr - b.Len(); room > 0 {
		if len(p) > room {
			p = p[:room]
		}
		b.Write(p)
	}
}

// message extracts the runtime's own words from its stderr: a Go panic
// prints "panic: …" then a blank line and the goroutine dump.
func (b *boundedBuffer) message() string {
	s := b.String()
	if i := bytes.Index(b.Bytes(), []byte("\n\ngoroutine ")); i >= 0 {
		s = s[:i]
	}
	const maxMsg = 2048
	if len(s) > maxMsg {
		s = s[:maxMsg]
	}
	return string(bytes.TrimSpace([]byte(s)))
}

// flushOutput logs what the runtime wrote to stdout/stderr during a call,
// once per call rather than per fd_write (Go writes a panic in fragments).
func (s *instState) flushOutput(fn string) {
	if s.stdout.Len() > 0 {
		s.log.Debug("runtime stdout", "func", fn, "text", s.stdout.String())
		s.stdout.Reset()
	}
	if s.stderr.Len() > s.logged {
		s.log.Warn("runtime stderr", "func", fn, "text", s.stderr.String()[s.logged:])
		s.logged = s.stderr.Len()
	}
}
