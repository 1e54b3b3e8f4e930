package rpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"

	"github.com/metamars/mars/runtime/types"
)

// archiveKeysPage is how many keys a descendants or diff walk asks the
// backend for at a time.
const archiveKeysPage = 64

// archiveQuery is one item of archive_v1_storage.
type archiveQuery struct {
	Key                *Bytes `json:"key"`
	Type               string `json:"type"`
	PaginationStartKey *Bytes `json:"paginationStartKey"`
}

// archiveStorageEvent is a {"event":"storage", key, value|hash|
// closestDescendantMerkleValue} notification.
type archiveStorageEvent struct {
	Event string `json:"event"`
	storageItem
}

func descendantsType(t string) bool { return t == "descendantsValues" || t == "descendantsHashes" }

// parseArchiveItems validates archive_v1_storage's items (-32602 on any
// malformed one, as the spec requires).
func parseArchiveItems(p Params) ([]archiveQuery, error) {
	var items []archiveQuery
	if err := p.Decode(1, &items); err != nil {
		return nil, err
	}
	for i, it := range items {
		if it.Key == nil {
			return nil, invalidParams("item %d: missing key", i)
		}
		switch it.Type {
		case "value", "hash", "closestDescendantMerkleValue":
			if it.PaginationStartKey != nil {
				return nil, invalidParams("item %d: paginationStartKey is only valid for descendants queries", i)
			}
		case "descendantsValues", "descendantsHashes":
		default:
			return nil, invalidParams("item %d: unknown type %q", i, it.Type)
		}
	}
	return items, nil
}

// childTrieParam reads an optional child trie key: null/absent, or hex.
func childTrieParam(p Params, i int) (present bool, err error) {
	_, present, err = p.OptBytes(i)
	return present, err
}

var errChildTries = errors.New("child tries are not supported by this node")

// acquire waits for a worker slot; false when the subscription ended first.
func (a *archiveAPI) acquire(sink *Sink) bool {
	select {
	case a.slots <- struct{}{}:
		return true
	case <-sink.Done():
		return false
	}
}

func (a *archiveAPI) release() { <-a.slots }

// archive_v1_storage [hash, items, childTrie] → a subscription id; the
// results follow as archive_v1_storageEvent notifications: one "storage"
// event per found entry, in item order, then "storageDone", or
// "storageError" (unknown block, state not kept, backend failure) and
// nothing more. Descendants queries stream every key under the item's key
// that sorts after its paginationStartKey (exclusive, so a client resumes
// with the last key it received); a slow reader slows the walk down rather
// than lose the subscription.
func (a *archiveAPI) storage(_ context.Context, p Params, sink *Sink) error {
	if err := p.Max(3); err != nil {
		return err
	}
	h, err := hashParam(p, 0)
	if err != nil {
		return err
	}
	items, err := parseArchiveItems(p)
	if err != nil {
		return err
	}
	child, err := childTrieParam(p, 2)
	if err != nil {
		return err
	}
	go func() {
		if !a.acquire(sink) {
			return
		}
		defer a.release()
		defer sink.Close()
		var err error
		if child {
			err = errChildTries
		} else {
			err = a.runStorage(h, items, sink)
		}
		switch {
		case errors.Is(err, errSinkClosed):
		case err != nil:
			sink.sendWait(map[string]string{"event": "storageError", "error": err.Error()})
		default:
			sink.sendWait(map[string]string{"event": "storageDone"})
		}
	}()
	return nil
}

var errSinkClosed = errors.New("subscription closed")

// knownBlock fails for a block the chain does not hold.
func (a *archiveAPI) knownBlock(h types.Hash) (types.Header, error) {
	hdr, ok, err := a.chain.Header(h)
	if err != nil {
		return hdr, err
	}
	if !ok {
		return hdr, fmt.Errorf("block %s not found", h)
	}
	return hdr, nil
}

func (a *archiveAPI) runStorage(at types.Hash, items []archiveQuery, sink *Sink) error {
	if _, err := a.knownBlock(at); err != nil {
		return err
	}
	emit := func(it storageItem) error {
		if !sink.sendWait(archiveStorageEvent{Event: "storage", storageItem: it}) {
			return errSinkClosed
		}
		return nil
	}
	for _, q := range items {
		key := []byte(*q.Key)
		switch q.Type {
		case "value", "hash":
			v, ok, err := a.state.Storage(at, key)
			if err != nil {
				return err
			}
			if ok {
				if err := emit(valueItem(key, v, q.Type == "hash")); err != nil {
					return err
				}
			}
		case "closestDescendantMerkleValue":
			mv, ok, err := a.state.ClosestDescendantMerkleValue(at, key)
			if err != nil {
				return err
			}
			if ok {
				if err := emit(merkleItem(key, mv)); err != nil {
					return err
				}
			}
		default: // descendants
			var start []byte
			if q.PaginationStartKey != nil {
				start = *q.PaginationStartKey
			}
			err := a.walkKeys(at, key, start, func(k []byte) error {
				v, ok, err := a.state.Storage(at, k)
				if err != nil || !ok {
					return err
				}
				return emit(valueItem(k, v, q.Type == "descendantsHashes"))
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// walkKeys calls fn for every key of at's state that starts with prefix
// and sorts strictly after start (every such key when start is nil), in
// order, a page at a time.
func (a *archiveAPI) walkKeys(at types.Hash, prefix, start []byte, fn func(k []byte) error) error {
	for {
		keys, err := a.state.StorageKeys(at, prefix, archiveKeysPage, start)
		if err != nil {
			return err
		}
		for _, k := range keys {
			if err := fn(k); err != nil {
				return err
			}
		}
		if len(keys) < archiveKeysPage {
			return nil
		}
		start = keys[len(keys)-1]
	}
}

// diffItem is one item of archive_v1_storageDiff.
type diffItem struct {
	Key          *Bytes `json:"key"`
	ReturnType   string `json:"returnType"`
	ChildTrieKey *Bytes `json:"childTrieKey"`
}

// storageDiffEvent is a {"event":"storageDiff", key, value|hash, type}
// notification.
type storageDiffEvent struct {
	Event string `json:"event"`
	Key   Bytes  `json:"key"`
	Value *Bytes `json:"value,omitempty"`
	Hash  *Bytes `json:"hash,omitempty"`
	Type  string `json:"type"`
}

// parseDiffItems validates archive_v1_storageDiff's items; absent or null
// items mean every key of the main trie, with neither value nor hash.
func parseDiffItems(p Params) ([]diffItem, error) {
	if !p.Present(1) {
		return []diffItem{{}}, nil
	}
	var items []diffItem
	if err := p.Decode(1, &items); err != nil {
		return nil, err
	}
	for i, it := range items {
		switch it.ReturnType {
		case "value", "hash":
		default:
			return nil, invalidParams("item %d: returnType must be \"value\" or \"hash\", not %q", i, it.ReturnType)
		}
	}
	return items, nil
}

// dedupDiffItems drops items another item of the same return type already
// covers (its key is a prefix of theirs), so that no difference is
// reported twice in the same form.
func dedupDiffItems(items []diffItem) []diffItem {
	key := func(it diffItem) []byte {
		if it.Key == nil {
			return nil
		}
		return *it.Key
	}
	sorted := append([]diffItem(nil), items...)
	sort.SliceStable(sorted, func(i, j int) bool { return bytes.Compare(key(sorted[i]), key(sorted[j])) < 0 })
	var out []diffItem
	for _, it := range sorted {
		covered := false
		for _, o := range out {
			if o.ReturnType == it.ReturnType && (o.ChildTrieKey == nil) == (it.ChildTrieKey == nil) &&
				(o.ChildTrieKey == nil || bytes.Equal(*o.ChildTrieKey, *it.ChildTrieKey)) &&
				bytes.HasPrefix(key(it), key(o)) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, it)
		}
	}
	return out
}

// archive_v1_storageDiff [hash, items, previousHash] → a subscription id;
// archive_v1_storageDiffEvent notifications follow: one "storageDiff"
// event per key added, modified or deleted between previousHash (default:
// hash's parent; it must be an ancestor) and hash, in key order per item,
// then "storageDiffDone", or "storageDiffError" and nothing more. A
// deleted key's value or hash is the one it had in previousHash.
func (a *archiveAPI) storageDiff(_ context.Context, p Params, sink *Sink) error {
	if err := p.Max(3); err != nil {
		return err
	}
	h, err := hashParam(p, 0)
	if err != nil {
		return err
	}
	items, err := parseDiffItems(p)
	if err != nil {
		return err
	}
	var prev *types.Hash
	if p.Present(2) {
		ph, err := hashParam(p, 2)
		if err != nil {
			return err
		}
		prev = &ph
	}
	items = dedupDiffItems(items)
	go func() {
		if !a.acquire(sink) {
			return
		}
		defer a.release()
		defer sink.Close()
		err := a.runDiff(h, prev, items, sink)
		switch {
		case errors.Is(err, errSinkClosed):
		case err != nil:
			sink.sendWait(map[string]string{"event": "storageDiffError", "error": err.Error()})
		default:
			sink.sendWait(map[string]string{"event": "storageDiffDone"})
		}
	}()
	return nil
}

// diffBase returns the block the difference is taken from: prev, checked
// to be an ancestor of hdr, or hdr's parent.
func (a *archiveAPI) diffBase(hdr types.Header, prev *types.Hash) (types.Hash, error) {
	if prev == nil {
		if hdr.Number == 0 {
			return types.Hash{}, errors.New("the genesis block has no parent: give previousHash")
		}
		if _, err := a.knownBlock(hdr.ParentHash); err != nil {
			return types.Hash{}, err
		}
		return hdr.ParentHash, nil
	}
	base, err := a.knownBlock(*prev)
	if err != nil {
		return types.Hash{}, err
	}
	cur := hdr
	for cur.Number > base.Number {
		if cur, err = a.knownBlock(cur.ParentHash); err != nil {
			return types.Hash{}, err
		}
	}
	if cur.Hash() != *prev {
		return types.Hash{}, fmt.Errorf("block %s is not an ancestor of block %s", *prev, hdr.Hash())
	}
	return *prev, nil
}

func (a *archiveAPI) runDiff(at types.Hash, prev *types.Hash, items []diffItem, sink *Sink) error {
	hdr, err := a.knownBlock(at)
	if err != nil {
		return err
	}
	base, err := a.diffBase(hdr, prev)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.ChildTrieKey != nil {
			return errChildTries
		}
	}
	for _, it := range items {
		var prefix []byte
		if it.Key != nil {
			prefix = *it.Key
		}
		emit := func(key, val []byte, kind string) error {
			ev := storageDiffEvent{Event: "storageDiff", Key: key, Type: kind}
			switch it.ReturnType {
			case "value":
				v := Bytes(val)
				ev.Value = &v
			case "hash":
				sum := types.Blake2b256(val)
				hv := Bytes(sum[:])
				ev.Hash = &hv
			}
			if !sink.sendWait(ev) {
				return errSinkClosed
			}
			return nil
		}
		if err := a.diffPrefix(base, at, prefix, emit); err != nil {
			return err
		}
	}
	return nil
}

// keyCursor walks the keys under a prefix of one block's state in order.
type keyCursor struct {
	a      *archiveAPI
	at     types.Hash
	prefix []byte
	page   [][]byte
	last   []byte
	done   bool
}

// peek returns the cursor's current key; nil when the walk is over.
func (c *keyCursor) peek() ([]byte, error) {
	if len(c.page) == 0 && !c.done {
		keys, err := c.a.state.StorageKeys(c.at, c.prefix, archiveKeysPage, c.last)
		if err != nil {
			return nil, err
		}
		c.page, c.done = keys, len(keys) < archiveKeysPage
		if len(keys) > 0 {
			c.last = keys[len(keys)-1]
		}
	}
	if len(c.page) == 0 {
		return nil, nil
	}
	return c.page[0], nil
}

func (c *keyCursor) next() { c.page = c.page[1:] }

// diffPrefix merges the sorted keys under prefix of the two states and
// reports each added, deleted and modified key.
func (a *archiveAPI) diffPrefix(base, at types.Hash, prefix []byte, emit func(key, val []byte, kind string) error) error {
	old := &keyCursor{a: a, at: base, prefix: prefix}
	cur := &keyCursor{a: a, at: at, prefix: prefix}
	value := func(h types.Hash, k []byte) ([]byte, error) {
		v, ok, err := a.state.Storage(h, k)
		if err == nil && !ok {
			err = fmt.Errorf("key %x listed but not readable", k)
		}
		return v, err
	}
	for {
		ok, err := old.peek()
		if err != nil {
			return err
		}
		ck, err := cur.peek()
		if err != nil {
			return err
		}
		switch {
		case ok == nil && ck == nil:
			return nil
		case ok == nil || (ck != nil && bytes.Compare(ck, ok) < 0):
			v, err := value(at, ck)
			if err != nil {
				return err
			}
			cur.next()
			if err := emit(ck, v, "added"); err != nil {
				return err
			}
		case ck == nil || bytes.Compare(ok, ck) < 0:
			v, err := value(base, ok)
			if err != nil {
				return err
			}
			old.next()
			if err := emit(ok, v, "deleted"); err != nil {
				return err
			}
		default:
			ov, err := value(base, ok)
			if err != nil {
				return err
			}
			cv, err := value(at, ck)
			if err != nil {
				return err
			}
			old.next()
			cur.next()
			if !bytes.Equal(ov, cv) {
				if err := emit(ck, cv, "modified"); err != nil {
					return err
				}
			}
		}
	}
}
