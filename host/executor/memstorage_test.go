package executor

import (
	"bytes"
	"errors"
	"slices"
	"strings"

	"github.com/metamars/mars/host/trie"
)

// memStorage is a simple in-memory Storage for tests: a map with a journal
// per open transaction.
type memStorage struct {
	kv      map[string][]byte
	journal []map[string]*[]byte // per tx: key -> old value (nil ptr = absent)
}

func newMemStorage() *memStorage { return &memStorage{kv: map[string][]byte{}} }

func (s *memStorage) note(k string) {
	if len(s.journal) == 0 {
		return
	}
	j := s.journal[len(s.journal)-1]
	if _, ok := j[k]; ok {
		return
	}
	if v, ok := s.kv[k]; ok {
		j[k] = &v
	} else {
		j[k] = nil
	}
}

func (s *memStorage) Get(key []byte) ([]byte, bool, error) {
	v, ok := s.kv[string(key)]
	return v, ok, nil
}

func (s *memStorage) Set(key, value []byte) error {
	s.note(string(key))
	s.kv[string(key)] = append([]byte(nil), value...)
	return nil
}

func (s *memStorage) Delete(key []byte) error {
	s.note(string(key))
	delete(s.kv, string(key))
	return nil
}

func (s *memStorage) keys() []string {
	ks := make([]string, 0, len(s.kv))
	for k := range s.kv {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (s *memStorage) ClearPrefix(prefix []byte, limit int, cursor []byte) (int, bool, []byte, error) {
	removed := 0
	for _, k := range s.keys() {
		if !strings.HasPrefix(k, string(prefix)) || (cursor != nil && k < string(cursor)) {
			continue
		}
		if limit >= 0 && removed == limit {
			return removed, false, []byte(k), nil
		}
		s.note(k)
		delete(s.kv, k)
		removed++
	}
	return removed, true, nil, nil
}

func (s *memStorage) NextKey(key []byte) ([]byte, bool, error) {
	for _, k := range s.keys() {
		if k > string(key) {
			return []byte(k), true, nil
		}
	}
	return nil, false, nil
}

func (s *memStorage) Root(version uint8) ([32]byte, error) {
	var pairs []trie.Pair
	for _, k := range s.keys() {
		pairs = append(pairs, trie.Pair{Key: []byte(k), Value: s.kv[k]})
	}
	return trie.RootOfPairs(pairs, trie.Version(version))
}

func (s *memStorage) StartTransaction() { s.journal = append(s.journal, map[string]*[]byte{}) }

var errNoTx = errors.New("memstorage: no transaction")

func (s *memStorage) RollbackTransaction() error {
	if len(s.journal) == 0 {
		return errNoTx
	}
	j := s.journal[len(s.journal)-1]
	s.journal = s.journal[:len(s.journal)-1]
	for k, old := range j {
		if old == nil {
			delete(s.kv, k)
		} else {
			s.kv[k] = *old
		}
	}
	return nil
}

func (s *memStorage) CommitTransaction() error {
	if len(s.journal) == 0 {
		return errNoTx
	}
	j := s.journal[len(s.journal)-1]
	s.journal = s.journal[:len(s.journal)-1]
	if len(s.journal) > 0 {
		parent := s.journal[len(s.journal)-1]
		for k, old := range j {
			if _, seen := parent[k]; !seen {
				parent[k] = old
			}
		}
	}
	return nil
}

// dump is a canonical rendering of the content, for equality checks.
func (s *memStorage) dump() string {
	var b bytes.Buffer
	for _, k := range s.keys() {
		b.WriteString(k)
		b.WriteByte('=')
		b.Write(s.kv[k])
		b.WriteByte('\n')
	}
	return b.String()
}
