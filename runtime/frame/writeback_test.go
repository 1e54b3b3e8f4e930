package frame_test

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"

	"github.com/metamars/mars/runtime/frame"
	"github.com/metamars/mars/runtime/frame/frametest"
)

// TestWriteBackMatchesHost runs random storage operations, with nested
// transactions committed and rolled back, through a Context whose cache
// writes back (as during ExecuteBlock) and through one that writes through,
// each over its own copy of the same host state. Every answer (reads,
// existence, next key, prefix clears, the root) must agree at every step,
// and the host states must be equal once the pending writes are handed over.
func TestWriteBackMatchesHost(t *testing.T) {
	rt := frame.NewRuntime(frame.Config{})
	// Few keys make the same key meet itself in every state often; more
	// keys spread the prefix clears and the next-key walks.
	for seed := range uint64(80) {
		nkeys := 3 + int(seed%2)*21
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			base := frametest.NewHost()
			keys := make([][]byte, nkeys)
			for i := range keys {
				keys[i] = []byte{byte('a' + i%3), byte('a' + i/3%2), byte(i)}
				if r.IntN(2) == 0 {
					base.StorageSet(keys[i], []byte{byte(i), 0})
				}
			}
			hw, ht := base.Clone(), base.Clone()
			wb, wt := rt.NewContext(hw), rt.NewContext(ht)
			end := frame.WriteBack(wb)
			depth := 0
			for step := range 3000 {
				k := keys[r.IntN(len(keys))]
				where := fmt.Sprintf("step %d", step)
				switch op := r.IntN(100); {
				case op < 30:
					v := []byte{byte(step), byte(step >> 8), byte(r.IntN(256))}
					wb.StorageSet(k, v)
					wt.StorageSet(k, v)
				case op < 38:
					wb.StorageClear(k)
					wt.StorageClear(k)
				case op < 46:
					item := []byte{byte(step)}
					wb.StorageAppend(k, item)
					wt.StorageAppend(k, item)
				case op < 66:
					v1, ok1 := wb.StorageGet(k)
					v2, ok2 := wt.StorageGet(k)
					if ok1 != ok2 || !bytes.Equal(v1, v2) {
						t.Fatalf("%s: get %x: write-back %x,%v, through %x,%v", where, k, v1, ok1, v2, ok2)
					}
				case op < 70:
					if a, b := wb.StorageExists(k), wt.StorageExists(k); a != b {
						t.Fatalf("%s: exists %x: %v vs %v", where, k, a, b)
					}
				case op < 73:
					n1, ok1 := wb.StorageNextKey(k)
					n2, ok2 := wt.StorageNextKey(k)
					if ok1 != ok2 || !bytes.Equal(n1, n2) {
						t.Fatalf("%s: next key of %x: %x vs %x", where, k, n1, n2)
					}
				case op < 75:
					p, limit := k[:1+r.IntN(2)], uint32(r.IntN(3))
					r1, a1 := wb.StorageClearPrefix(p, limit)
					r2, a2 := wt.StorageClearPrefix(p, limit)
					if r1 != r2 || a1 != a2 {
						t.Fatalf("%s: clear prefix %x: %d,%v vs %d,%v", where, p, r1, a1, r2, a2)
					}
				case op < 77:
					if a, b := wb.StorageRoot(), wt.StorageRoot(); a != b {
						t.Fatalf("%s: root %x vs %x", where, a, b)
					}
				case op < 87:
					if depth < 4 {
						wb.StartTransaction()
						wt.StartTransaction()
						depth++
					}
				case op < 93:
					if depth > 0 {
						wb.CommitTransaction()
						wt.CommitTransaction()
						depth--
					}
				default:
					if depth > 0 {
						wb.RollbackTransaction()
						wt.RollbackTransaction()
						depth--
					}
				}
			}
			for ; depth > 0; depth-- {
				wb.CommitTransaction()
				wt.CommitTransaction()
			}
			end()
			if a, b := hw.Snapshot(), ht.Snapshot(); !maps.Equal(a, b) {
				t.Fatalf("host states differ after the write-back:\n%v\n%v", a, b)
			}
		})
	}
}
