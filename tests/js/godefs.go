package js

import (
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/metamars/mars/runtime/frame/metadata"
	"github.com/metamars/mars/runtime/relay"
)

// The Go definitions of every pallet, as metadata.test.mjs compares them
// with what @polkadot/api decoded from the node's metadata: names and
// indices of pallets, calls, events and errors (with field names), storage
// entries (modifier, hashers, default) and constants (value bytes).
type goPallet struct {
	Name      string       `json:"name"`
	Index     uint8        `json:"index"`
	Storage   []goStorage  `json:"storage"`
	Calls     []goVariant  `json:"calls"`
	Events    []goVariant  `json:"events"`
	Errors    []goVariant  `json:"errors"`
	Constants []goConstant `json:"constants"`
}

type goStorage struct {
	Name     string `json:"name"`
	Optional bool   `json:"optional"`
	Hashers  []int  `json:"hashers"` // not []uint8: JSON would make that base64
	Default  string `json:"default"`
}

type goVariant struct {
	Name   string   `json:"name"`
	Index  uint8    `json:"index"`
	Fields []string `json:"fields"`
}

type goConstant struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// goDefinitions describes the relay runtime's pallets from their Go
// descriptors. Variant lists come from the registry the descriptors built
// (decoded from the Go encoder's own V15 bytes: the registry has no lookup).
func goDefinitions() ([]byte, error) {
	m, missing := relay.Default().Metadata()
	if len(missing) > 0 {
		return nil, fmt.Errorf("pallets without metadata: %v", missing)
	}
	reg, err := metadata.Decode(m.V15())
	if err != nil {
		return nil, err
	}
	variants := func(id *metadata.TypeID) []goVariant {
		out := []goVariant{}
		if id == nil {
			return out
		}
		for _, v := range reg.Types[*id].Variants {
			f := []string{}
			for _, fl := range v.Fields {
				f = append(f, fl.Name)
			}
			out = append(out, goVariant{Name: v.Name, Index: v.Index, Fields: f})
		}
		return out
	}
	var out []goPallet
	for _, p := range m.Pallets {
		gp := goPallet{Name: p.Name, Index: p.Index, Storage: []goStorage{}, Constants: []goConstant{},
			Calls: variants(p.Calls), Events: variants(p.Event), Errors: variants(p.Error)}
		for _, s := range p.Storage {
			h := []int{}
			for _, x := range s.Hashers {
				h = append(h, int(x))
			}
			gp.Storage = append(gp.Storage, goStorage{Name: s.Name, Optional: s.Optional, Hashers: h, Default: "0x" + hex.EncodeToString(s.Default)})
		}
		for _, c := range p.Constants {
			gp.Constants = append(gp.Constants, goConstant{Name: c.Name, Value: "0x" + hex.EncodeToString(c.Value)})
		}
		out = append(out, gp)
	}
	return json.Marshal(out)
}
