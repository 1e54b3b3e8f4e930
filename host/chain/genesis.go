package chain

import (
	"context"
	"fmt"

	"github.com/metamars/mars/host/db"
	"github.com/metamars/mars/host/executor"
	"github.com/metamars/mars/host/state"
	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
)

// GenesisFromPreset builds the genesis storage of a runtime: :code plus what
// the runtime's GenesisBuilder_build_state writes for its named preset
// (preset "" asks for the runtime's default). The result is what a raw chain
// spec's genesis.raw.top holds.
func GenesisFromPreset(ctx context.Context, exec *executor.Executor, code []byte, preset string) ([]trie.Pair, error) {
	e := scale.NewEncoder(16)
	e.PutOption(preset != "")
	if preset != "" {
		e.PutString(preset)
	}
	cfg, err := genesisCall(ctx, exec, code, "GenesisBuilder_get_preset", e.Bytes(), nil)
	if err != nil {
		return nil, err
	}
	d := scale.NewDecoder(cfg)
	if !d.Option() {
		if d.Err() != nil {
			return nil, fmt.Errorf("chain: get_preset output: %w", d.Err())
		}
		return nil, fmt.Errorf("chain: runtime has no genesis preset %q", preset)
	}
	json := d.Bytes()
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("chain: get_preset output: %w", err)
	}
	return GenesisFromConfig(ctx, exec, code, json)
}

// GenesisFromConfig builds genesis storage from a full JSON genesis config.
func GenesisFromConfig(ctx context.Context, exec *executor.Executor, code, config []byte) ([]trie.Pair, error) {
	var pairs []trie.Pair
	e := scale.NewEncoder(len(config) + 8)
	e.PutBytes(config)
	out, err := genesisCall(ctx, exec, code, "GenesisBuilder_build_state", e.Bytes(), &pairs)
	if err != nil {
		return nil, err
	}
	// Result<(), String>
	d := scale.NewDecoder(out)
	if d.Enum() != 0 {
		msg := d.String()
		return nil, fmt.Errorf("chain: runtime refused the genesis config: %s", msg)
	}
	if err := d.Finish(); err != nil {
		return nil, fmt.Errorf("chain: build_state output: %w", err)
	}
	return pairs, nil
}

// genesisCall runs one call on an empty state holding only :code, and
// collects the resulting storage into pairs when it is non-nil.
func genesisCall(ctx context.Context, exec *executor.Executor, code []byte, method string, input []byte, pairs *[]trie.Pair) ([]byte, error) {
	st, err := state.New(db.NewMemory(), state.Config{})
	if err != nil {
		return nil, err
	}
	ov := st.NewOverlay(trie.EmptyRoot)
	if err := ov.Set(CodeKey, code); err != nil {
		return nil, err
	}
	inst, err := exec.NewInstance(ctx, code, ov)
	if err != nil {
		return nil, err
	}
	defer inst.Close(ctx)
	out, err := inst.Call(ctx, method, input)
	if err != nil {
		return nil, fmt.Errorf("chain: %s: %w", method, err)
	}
	if pairs != nil {
		changes, err := ov.Changes()
		if err != nil {
			return nil, err
		}
		for _, ch := range changes {
			if !ch.Deleted {
				*pairs = append(*pairs, trie.Pair{Key: ch.Key, Value: ch.Value})
			}
		}
	}
	return out, nil
}
