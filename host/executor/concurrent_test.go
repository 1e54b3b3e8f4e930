package executor

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/metamars/mars/host/executor/internal/testrt/script"
)

// TestConcurrentInstances runs blocks on one executor from several
// goroutines: each instance has its own storage and must see only it.
func TestConcurrentInstances(t *testing.T) {
	e := newTestExecutor(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for round := 0; round < 3; round++ {
				s := newMemStorage()
				inst, err := e.NewInstance(ctx, testrtCode, s)
				if err != nil {
					errs <- err
					return
				}
				val := []byte(fmt.Sprintf("g%d-r%d", g, round))
				p := newProg().op(script.OpSet, []byte("k"), val).op(script.OpGet, []byte("k")).expectOpt(val, true)
				out, err := inst.Call(ctx, "run", p.in.Bytes())
				_ = inst.Close(ctx)
				if err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(out, p.want.Bytes()) || s.dump() != "k="+string(val)+"\n" {
					errs <- fmt.Errorf("goroutine %d round %d: out %x storage %q", g, round, out, s.dump())
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
