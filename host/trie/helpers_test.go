package trie

import "github.com/metamars/mars/runtime/scale"

func newTestDecoder(b []byte) *scale.Decoder { return scale.NewDecoder(b) }

func scaleEncoder() *scale.Encoder { return scale.NewEncoder(8) }
