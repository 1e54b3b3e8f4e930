package trie

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// childStorageDefaultPrefix is the well-known top-trie prefix under which the
// roots of default child tries are stored.
const childStorageDefaultPrefix = ":child_storage:default:"

// RawChainSpec is the part of a raw chain spec that determines genesis.
type RawChainSpec struct {
	Name, ID string
	Top      []Pair            // genesis.raw.top, sorted by key
	Children map[string][]Pair // genesis.raw.childrenDefault by (hex-decoded) child key
}

// LoadRawChainSpec parses a raw chain spec (JSON with genesis.raw.top).
// Values are opaque bytes (":code" may be zstd-compressed; it is hashed as is).
func LoadRawChainSpec(r io.Reader) (*RawChainSpec, error) {
	var doc struct {
		Name    string `json:"name"`
		ID      string `json:"id"`
		Genesis struct {
			Raw *struct {
				Top             map[string]string            `json:"top"`
				ChildrenDefault map[string]map[string]string `json:"childrenDefault"`
			} `json:"raw"`
		} `json:"genesis"`
	}
	if err := json.NewDecoder(r).Decode(&doc); err != nil {
		return nil, fmt.Errorf("%w: chain spec: %w", ErrInvalidInput, err)
	}
	if doc.Genesis.Raw == nil {
		return nil, fmt.Errorf("%w: chain spec has no genesis.raw (not a raw spec)", ErrInvalidInput)
	}
	spec := &RawChainSpec{Name: doc.Name, ID: doc.ID, Children: map[string][]Pair{}}
	var err error
	if spec.Top, err = hexMapPairs(doc.Genesis.Raw.Top); err != nil {
		return nil, err
	}
	for ck, kv := range doc.Genesis.Raw.ChildrenDefault {
		key, err := decodeHex(ck)
		if err != nil {
			return nil, err
		}
		if spec.Children[string(key)], err = hexMapPairs(kv); err != nil {
			return nil, err
		}
	}
	return spec, nil
}

// StateRoot returns the genesis state root under ver: the top trie with the
// root of each default child trie stored under ":child_storage:default:"++key.
func (s *RawChainSpec) StateRoot(ver Version) ([32]byte, error) {
	t := New()
	for _, p := range s.Top {
		if err := t.Put(p.Key, p.Value); err != nil {
			return [32]byte{}, err
		}
	}
	keys := make([]string, 0, len(s.Children))
	for k := range s.Children {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if len(s.Children[k]) == 0 {
			continue // an empty child trie has no root entry
		}
		cr, err := RootOfPairs(s.Children[k], ver)
		if err != nil {
			return [32]byte{}, err
		}
		if err := t.Put([]byte(childStorageDefaultPrefix+k), cr[:]); err != nil {
			return [32]byte{}, err
		}
	}
	return t.Hash(ver)
}

// LoadStatePairs parses a state_getPairs JSON-RPC response
// ({"result":[["0xkey","0xvalue"],…]}) or a bare JSON array of such pairs.
func LoadStatePairs(r io.Reader) ([]Pair, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidInput, err)
	}
	var list [][]string
	if trimmed := strings.TrimSpace(string(raw)); strings.HasPrefix(trimmed, "[") {
		err = json.Unmarshal(raw, &list)
	} else {
		var resp struct {
			Result [][]string `json:"result"`
		}
		err = json.Unmarshal(raw, &resp)
		list = resp.Result
	}
	if err != nil {
		return nil, fmt.Errorf("%w: state pairs: %w", ErrInvalidInput, err)
	}
	pairs := make([]Pair, 0, len(list))
	for i, kv := range list {
		if len(kv) != 2 {
			return nil, fmt.Errorf("%w: pair %d has %d elements", ErrInvalidInput, i, len(kv))
		}
		k, err := decodeHex(kv[0])
		if err != nil {
			return nil, err
		}
		v, err := decodeHex(kv[1])
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, Pair{Key: k, Value: v})
	}
	SortPairs(pairs)
	return pairs, nil
}

func hexMapPairs(m map[string]string) ([]Pair, error) {
	pairs := make([]Pair, 0, len(m))
	for hk, hv := range m {
		k, err := decodeHex(hk)
		if err != nil {
			return nil, err
		}
		v, err := decodeHex(hv)
		if err != nil {
			return nil, err
		}
		pairs = append(pairs, Pair{Key: k, Value: v})
	}
	SortPairs(pairs)
	return pairs, nil
}

func decodeHex(s string) ([]byte, error) {
	b, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, fmt.Errorf("%w: hex %.20q: %w", ErrInvalidInput, s, err)
	}
	return b, nil
}
