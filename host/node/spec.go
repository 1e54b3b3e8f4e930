package node

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/metamars/mars/host/trie"
)

// Spec is a chain's identity and genesis: what a raw chain spec holds.
type Spec struct {
	Name       string
	ID         string
	ChainType  string // Development, Local or Live
	Properties map[string]any
	BootNodes  []string // libp2p multiaddrs of the chain's bootnodes
	Genesis    []trie.Pair
}

// LoadSpec reads a raw chain spec in Substrate's JSON format.
func LoadSpec(r io.Reader) (*Spec, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	rs, err := trie.LoadRawChainSpec(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	if len(rs.Children) > 0 {
		return nil, fmt.Errorf("node: chain spec has child tries, which MSC does not support")
	}
	var meta struct {
		ChainType  string         `json:"chainType"`
		Properties map[string]any `json:"properties"`
		BootNodes  []string       `json:"bootNodes"`
	}
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("node: chain spec: %w", err)
	}
	return &Spec{Name: rs.Name, ID: rs.ID, ChainType: meta.ChainType, Properties: meta.Properties, BootNodes: meta.BootNodes, Genesis: rs.Top}, nil
}

// DefaultProperties are the token properties of MSC chains (system_properties).
func DefaultProperties() map[string]any {
	return map[string]any{"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "MSCA"}
}
