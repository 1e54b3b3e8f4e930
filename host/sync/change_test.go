package sync

import (
	"testing"

	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/runtime/types"
)

func TestEnactsSetChange(t *testing.T) {
	change := frnk.Change{Authorities: []frnk.Authority{{ID: [32]byte{1}, Weight: 1}}}.Encode()
	other := types.DigestItem{Kind: types.DigestConsensus, Engine: frnk.Engine, Data: []byte{frnk.LogScheduledChange + 1, 0}}
	broken := types.DigestItem{Kind: types.DigestConsensus, Engine: frnk.Engine, Data: []byte{frnk.LogScheduledChange, 9}}
	for name, c := range map[string]struct {
		digest []types.DigestItem
		want   bool
	}{
		"none":        {nil, false},
		"change":      {[]types.DigestItem{change}, true},
		"other log":   {[]types.DigestItem{other}, false},
		"undecodable": {[]types.DigestItem{broken}, false},
	} {
		if got := EnactsSetChange(&types.Header{Digest: c.digest}); got != c.want {
			t.Errorf("%s: %v, want %v", name, got, c.want)
		}
	}
}
