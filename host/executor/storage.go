package executor

import (
	"context"
	"fmt"

	"github.com/tetratelabs/wazero/api"

	"github.com/metamars/mars/runtime/abi"
	"github.com/metamars/mars/runtime/scale"
)

// Storage is the state a runtime instance reads and writes: host/state's
// overlay implements it. The executor wraps every runtime call in one
// transaction, committed if the call succeeds and rolled back otherwise.
type Storage interface {
	Get(key []byte) ([]byte, bool, error)
	Set(key, value []byte) error
	Delete(key []byte) error
	// ClearPrefix deletes keys with prefix, at most limit (limit<0 = all), starting at cursor (nil = start);
	// returns how many it deleted, whether all are gone, and the cursor to continue from.
	ClearPrefix(prefix []byte, limit int, cursor []byte) (removed int, done bool, next []byte, err error)
	NextKey(key []byte) ([]byte, bool, error) // strictly greater key in the current (overlaid) view
	Root(version uint8) ([32]byte, error)     // trie root of base + pending changes, nothing written
	StartTransaction()
	RollbackTransaction() error
	CommitTransaction() error
}

// Storage operations shared by the wasm host functions and the native host.
// A backend failure aborts the runtime call (trap); the runtime has no way
// to handle it, exactly as in Substrate.

func (s *instState) storage() Storage {
	if s.store == nil {
		trap(ErrNoStorage)
	}
	return s.store
}

func storageFail(op string, err error) {
	trap(fmt.Errorf("%w: %s: %w", ErrStorage, op, err))
}

func (s *instState) get(key []byte) ([]byte, bool) {
	v, ok, err := s.storage().Get(key)
	if err != nil {
		storageFail("get", err)
	}
	return v, ok
}

func (s *instState) set(key, value []byte) {
	if err := s.storage().Set(key, value); err != nil {
		storageFail("set", err)
	}
}

func (s *instState) clear(key []byte) {
	if err := s.storage().Delete(key); err != nil {
		storageFail("delete", err)
	}
}

// Appender is an optional Storage method: append an encoded item to the
// SCALE Vec under key in time proportional to the item (host/state's
// overlay implements it). Without it, append rewrites the whole value, which
// makes a block's event log cost O(n²).
type Appender interface {
	Append(key, item []byte) error
}

func (s *instState) append(key, item []byte) {
	if a, ok := s.storage().(Appender); ok {
		if err := a.Append(key, item); err != nil {
			storageFail("append", err)
		}
		return
	}
	old, ok := s.get(key)
	s.set(key, appendItem(old, ok, item))
}

// appendItem appends item to the SCALE Vec old (sp-io storage::append): the
// compact length prefix is incremented and the item's encoding appended. A
// missing or undecodable old value is replaced by a one-item Vec.
func appendItem(old []byte, exists bool, item []byte) []byte {
	if exists {
		d := scale.NewDecoder(old)
		n := d.Compact()
		if d.Err() == nil && n < 1<<32-1 {
			rest := old[d.Offset():]
			e := scale.NewEncoder(scale.CompactLen(n+1) + len(rest) + len(item))
			e.PutCompact(n + 1)
			e.PutRaw(rest)
			e.PutRaw(item)
			return e.Bytes()
		}
	}
	e := scale.NewEncoder(1 + len(item))
	e.PutCompact(1)
	e.PutRaw(item)
	return e.Bytes()
}

func (s *instState) clearPrefix(prefix []byte, limit int, cursor []byte) (int, bool, []byte) {
	removed, done, next, err := s.storage().ClearPrefix(prefix, limit, cursor)
	if err != nil {
		storageFail("clear prefix", err)
	}
	if !done && len(next) == 0 {
		// A continuation needs a non-empty cursor (0 means done on the wire);
		// restarting at the prefix is always correct since removed keys are gone.
		next = append([]byte(nil), prefix...)
	}
	return removed, done, next
}

func (s *instState) nextKey(key []byte) ([]byte, bool) {
	k, ok, err := s.storage().NextKey(key)
	if err != nil {
		storageFail("next key", err)
	}
	return k, ok
}

func (s *instState) root() [32]byte {
	r, err := s.storage().Root(s.version)
	if err != nil {
		storageFail("root", err)
	}
	return r
}

func (s *instState) startTx() {
	s.storage().StartTransaction()
	s.txDepth++
}

func (s *instState) endTx(commit bool) {
	st := s.storage()
	if s.txDepth == 0 {
		trap(fmt.Errorf("%w: no storage transaction open", ErrBadArgument))
	}
	s.txDepth--
	var err error
	if commit {
		err = st.CommitTransaction()
	} else {
		err = st.RollbackTransaction()
	}
	if err != nil {
		storageFail("end transaction", err)
	}
}

// storageFuncs are the ext_storage_* host functions.
func storageFuncs() []hostFunc {
	return []hostFunc{
		// ext_storage_read_version_2(key ps, value_out ps, value_offset i32, allow_partial i32) -> i64
		// Writes value[offset:] to value_out if it fits (or its first
		// len(value_out) bytes when allow_partial != 0); returns the full
		// length of the value, or -1 if there is none.
		{abi.FnStorageRead, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			key := viewPS(m, stack[0])
			optr, olen := outPS(m, stack[1])
			offset, partial := uint32(stack[2]), uint32(stack[3]) != 0
			v, ok := st.get(key)
			if !ok {
				stack[0] = noneResult
				return
			}
			var rest []byte
			if uint64(offset) < uint64(len(v)) {
				rest = v[offset:]
			}
			switch {
			case len(rest) <= int(olen):
				write(m, optr, rest)
			case partial:
				write(m, optr, rest[:olen])
			}
			stack[0] = uint64(len(v))
		}},
		// ext_storage_set_version_1(key ps, value ps)
		{abi.FnStorageSet, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			st.set(copyPS(m, stack[0]), copyPS(m, stack[1]))
		}},
		// ext_storage_clear_version_1(key ps)
		{abi.FnStorageClear, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			st.clear(copyPS(m, stack[0]))
		}},
		// ext_storage_exists_version_1(key ps) -> i32 (1 if a value exists)
		{abi.FnStorageExists, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			_, ok := st.get(viewPS(m, stack[0]))
			stack[0] = boolResult(ok)
		}},
		// ext_storage_append_version_1(key ps, item ps): see appendItem.
		{abi.FnStorageAppend, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			st.append(copyPS(m, stack[0]), viewPS(m, stack[1]))
		}},
		// ext_storage_clear_prefix_version_3(prefix ps, maybe_limit i64,
		//   maybe_cursor_in ps|u64::MAX, cursor_out ps, counters_out p12) -> i32
		// counters_out receives three u32 LE: backend deletions, unique keys
		// deleted, iterations (all equal here: the overlay counts once). The
		// result is the continuation cursor's length (0 = prefix cleared); the
		// cursor is written to cursor_out only if it fits.
		{abi.FnStorageClearPrefix, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			prefix := copyPS(m, stack[0])
			limit := -1
			switch l := int64(stack[1]); {
			case l == abi.NoneI64:
			case l >= 0 && l <= 1<<32-1:
				limit = int(l)
			default:
				trap(fmt.Errorf("%w: clear_prefix limit %d", ErrBadArgument, l))
			}
			var cursor []byte
			if stack[2] != abi.NonePtrSize {
				cursor = copyPS(m, stack[2])
			}
			optr, olen := outPS(m, stack[3])
			counters := uint32(stack[4])
			view(m, counters, 12) // bounds check before any deletion
			removed, done, next := st.clearPrefix(prefix, limit, cursor)
			putU32(m, counters, uint32(removed))
			putU32(m, counters+4, uint32(removed))
			putU32(m, counters+8, uint32(removed))
			if done {
				stack[0] = 0
				return
			}
			if len(next) <= int(olen) {
				write(m, optr, next)
			}
			stack[0] = uint64(uint32(len(next)))
		}},
		// ext_storage_next_key_version_2(key_in ps, key_out ps) -> i32
		// Returns the length of the next key (0 if none) and writes it to
		// key_out only if it fits.
		{abi.FnStorageNextKey, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			key := viewPS(m, stack[0])
			optr, olen := outPS(m, stack[1])
			next, ok := st.nextKey(key)
			if !ok {
				stack[0] = 0
				return
			}
			if len(next) <= int(olen) {
				write(m, optr, next)
			}
			stack[0] = uint64(uint32(len(next)))
		}},
		// ext_storage_root_version_3(out ps): writes the 32-byte state root
		// (state version of the running runtime); out must hold 32 bytes.
		{abi.FnStorageRoot, func(ctx context.Context, mod api.Module, stack []uint64) {
			st, m := stateOf(ctx), memOf(mod)
			optr, olen := outPS(m, stack[0])
			if olen < 32 {
				trap(fmt.Errorf("%w: storage root buffer of %d bytes", ErrBadArgument, olen))
			}
			r := st.root()
			write(m, optr, r[:])
		}},
		// ext_storage_{start,rollback,commit}_transaction_version_1()
		{abi.FnStorageStartTransaction, func(ctx context.Context, _ api.Module, _ []uint64) {
			stateOf(ctx).startTx()
		}},
		{abi.FnStorageRollback, func(ctx context.Context, _ api.Module, _ []uint64) {
			stateOf(ctx).endTx(false)
		}},
		{abi.FnStorageCommit, func(ctx context.Context, _ api.Module, _ []uint64) {
			stateOf(ctx).endTx(true)
		}},
	}
}
