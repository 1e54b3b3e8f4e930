package rpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/metamars/mars/host/trie"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// fakeChain is an in-memory block list for tests: test data, not a
// stand-in for the node.
type fakeChain struct {
	mu        sync.Mutex
	headers   map[types.Hash]types.Header
	bodies    map[types.Hash][][]byte
	canon     []types.Hash
	finalized types.Hash
	subs      map[HeadKind]map[int]func(types.Header)
	nextSub   int
	onHeader  func() // test hook, run before Header reads
}

func newFakeChain(n int) *fakeChain {
	c := &fakeChain{
		headers: make(map[types.Hash]types.Header),
		bodies:  make(map[types.Hash][][]byte),
		subs:    map[HeadKind]map[int]func(types.Header){HeadsBest: {}, HeadsFinalized: {}, HeadsAll: {}},
	}
	for i := 0; i < n; i++ {
		c.push(nil)
	}
	c.finalized = c.canon[0]
	return c
}

// push appends a block on the best chain and tells subscribers.
func (c *fakeChain) push(digestData []byte) types.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := types.Header{Number: types.BlockNumber(len(c.canon))}
	if len(c.canon) > 0 {
		h.ParentHash = c.canon[len(c.canon)-1]
	}
	h.StateRoot[0] = byte(len(c.canon))
	h.ExtrinsicsRoot[1] = 0xee
	h.Digest = []types.DigestItem{{Kind: types.DigestPreRuntime, Engine: [4]byte{'a', 'u', 'r', 'a'}, Data: []byte{1, 0, 0, 0, 0, 0, 0, 0}}}
	if digestData != nil {
		h.Digest = append(h.Digest, types.DigestItem{Kind: types.DigestOther, Data: digestData})
	}
	hash := h.Hash()
	c.headers[hash] = h
	c.bodies[hash] = [][]byte{{0x0c, 0x04, 0x01, 0x02}}
	c.canon = append(c.canon, hash)
	for _, fn := range c.subs[HeadsAll] {
		fn(h)
	}
	for _, fn := range c.subs[HeadsBest] {
		fn(h)
	}
	return h
}

func (c *fakeChain) finalize(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.finalized = c.canon[n]
	for _, fn := range c.subs[HeadsFinalized] {
		fn(c.headers[c.finalized])
	}
}

func (c *fakeChain) subCount(kind HeadKind) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.subs[kind])
}

func (c *fakeChain) hashAt(n int) types.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.canon[n]
}

func (c *fakeChain) BestHash() types.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.canon[len(c.canon)-1]
}

func (c *fakeChain) FinalizedHash() types.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.finalized
}

func (c *fakeChain) CanonicalHash(n types.BlockNumber) (types.Hash, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if int(n) >= len(c.canon) {
		return types.Hash{}, false
	}
	return c.canon[n], true
}

func (c *fakeChain) Header(h types.Hash) (types.Header, bool, error) {
	c.mu.Lock()
	hook := c.onHeader
	c.onHeader = nil
	c.mu.Unlock()
	if hook != nil {
		hook()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	hdr, ok := c.headers[h]
	return hdr, ok, nil
}

func (c *fakeChain) Body(h types.Hash) ([][]byte, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.bodies[h]
	return b, ok, nil
}

func (c *fakeChain) SubscribeHeads(kind HeadKind, fn func(types.Header)) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	id := c.nextSub
	c.nextSub++
	c.subs[kind][id] = fn
	return func() {
		c.mu.Lock()
		delete(c.subs[kind], id)
		c.mu.Unlock()
	}
}

// fakeState keeps one key-value map for every block (the same map: the
// tests change it between blocks) and answers a few runtime calls.
type fakeState struct {
	chain   *fakeChain
	mu      sync.Mutex
	kv      map[string][]byte
	version types.RuntimeVersion
	pruned  map[types.Hash]bool              // blocks whose state is gone; guarded by mu
	frozen  map[types.Hash]map[string][]byte // blocks with a state of their own; guarded by mu
}

// freeze gives block at a copy of the current map as its own state, so
// later set calls do not show in it (for storage diffs).
func (s *fakeState) freeze(at types.Hash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.frozen == nil {
		s.frozen = map[types.Hash]map[string][]byte{}
	}
	cp := make(map[string][]byte, len(s.kv))
	for k, v := range s.kv {
		cp[k] = v
	}
	s.frozen[at] = cp
}

// kvAt is at's map; s.mu must be held.
func (s *fakeState) kvAtLocked(at types.Hash) map[string][]byte {
	if m, ok := s.frozen[at]; ok {
		return m
	}
	return s.kv
}

var errFakeTrap = errors.New("Execution failed: wasm trap: unreachable")

func newFakeState(c *fakeChain) *fakeState {
	return &fakeState{chain: c, kv: map[string][]byte{
		"\x01\x02":     {0xaa},
		"\x01\x02\x03": {0xbb, 0xcc},
		"\x01\x03":     {0xdd},
		"\x09":         {},
	}, version: types.RuntimeVersion{
		SpecName: "mars", ImplName: "marsd", AuthoringVersion: 1, SpecVersion: 100, ImplVersion: 2,
		APIs:               []types.APIVersion{{ID: types.APIID("Core"), Version: 5}, {ID: types.APIID("Metadata"), Version: 2}},
		TransactionVersion: 1, SystemVersion: 1,
	}}
}

func (s *fakeState) known(at types.Hash) error {
	if _, ok, _ := s.chain.Header(at); !ok {
		return fmt.Errorf("%w: %s", ErrUnknownBlock, at)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pruned[at] {
		return fmt.Errorf("%w: state of %s is pruned", ErrUnknownBlock, at)
	}
	return nil
}

// prune makes at's state unavailable, as the node's pruning does.
func (s *fakeState) prune(at types.Hash) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pruned == nil {
		s.pruned = map[types.Hash]bool{}
	}
	s.pruned[at] = true
}

// ClosestDescendantMerkleValue builds the real trie (host/trie, layout V1)
// of the fake's map and asks it.
func (s *fakeState) ClosestDescendantMerkleValue(at types.Hash, key []byte) ([]byte, bool, error) {
	if err := s.known(at); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t := trie.New()
	for k, v := range s.kvAtLocked(at) {
		if err := t.Put([]byte(k), v); err != nil {
			return nil, false, err
		}
	}
	return t.ClosestDescendantMerkleValue(key, trie.V1)
}

func (s *fakeState) set(k string, v []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v == nil {
		delete(s.kv, k)
		return
	}
	s.kv[k] = v
}

func (s *fakeState) Storage(at types.Hash, key []byte) ([]byte, bool, error) {
	if err := s.known(at); err != nil {
		return nil, false, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.kvAtLocked(at)[string(key)]
	return v, ok, nil
}

func (s *fakeState) StorageKeys(at types.Hash, prefix []byte, count int, start []byte) ([][]byte, error) {
	if err := s.known(at); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var keys []string
	for k := range s.kvAtLocked(at) {
		if bytes.HasPrefix([]byte(k), prefix) && (start == nil || k > string(start)) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	if len(keys) > count {
		keys = keys[:count]
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = []byte(k)
	}
	return out, nil
}

func (s *fakeState) Call(_ context.Context, at types.Hash, method string, args []byte) ([]byte, error) {
	if err := s.known(at); err != nil {
		return nil, err
	}
	e := scale.NewEncoder(64)
	switch method {
	case "Metadata_metadata":
		e.PutBytes([]byte("meta\x0f\x00"))
	case "TransactionPaymentApi_query_info":
		types.Weight{RefTime: 123456, ProofSize: 789}.EncodeTo(e)
		e.PutU8(0)
		e.PutU128(scale.U128{Hi: 1, Lo: 5})
	case "TransactionPaymentApi_query_fee_details":
		e.PutOption(true)
		e.PutU128(scale.FromUint64(10))
		e.PutU128(scale.FromUint64(0))
		e.PutU128(scale.U128{Hi: 1, Lo: 255})
		e.PutU128(scale.FromUint64(7))
	case "AccountNonceApi_account_nonce":
		if len(args) != 32 {
			return nil, errors.New("bad account")
		}
		e.PutU32(uint32(args[0]))
	case "Echo":
		e.PutRaw(args)
	case "BadMetadata":
		e.PutU8(0xff)
	default:
		return nil, errFakeTrap
	}
	return e.Bytes(), nil
}

func (s *fakeState) setVersion(spec uint32) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version.SpecVersion = spec
}

func (s *fakeState) RuntimeVersion(at types.Hash) (types.RuntimeVersion, error) {
	if err := s.known(at); err != nil {
		return types.RuntimeVersion{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.version, nil
}

func (s *fakeState) ReadProof(at types.Hash, keys [][]byte) ([][]byte, error) {
	if err := s.known(at); err != nil {
		return nil, err
	}
	out := make([][]byte, len(keys))
	for i, k := range keys {
		out[i] = append([]byte{0x80}, k...)
	}
	return out, nil
}

// Extrinsics the fake pool treats specially.
var (
	extBadSig  = []byte{0x08, 0x84, 0x01}
	extUnknown = []byte{0x08, 0x84, 0x02}
	extBanned  = []byte{0x08, 0x84, 0x03}
	extCustom  = []byte{0x08, 0x84, 0x04}
)

type fakePool struct {
	mu       sync.Mutex
	seen     map[types.Hash]bool
	pending  [][]byte
	watchers map[types.Hash]func(TxStatus)
	ready    map[string]bool
	cancels  int
}

func newFakePool() *fakePool {
	return &fakePool{seen: map[types.Hash]bool{}, watchers: map[types.Hash]func(TxStatus){}, ready: map[string]bool{}}
}

func (p *fakePool) Submit(_ context.Context, ext []byte) (types.Hash, error) {
	switch {
	case bytes.Equal(ext, extBadSig):
		return types.Hash{}, fmt.Errorf("validate: %w", types.TransactionValidityError{Invalid: true, Kind: types.InvalidBadProof})
	case bytes.Equal(ext, extUnknown):
		return types.Hash{}, types.TransactionValidityError{Kind: types.UnknownCannotLookup}
	case bytes.Equal(ext, extBanned):
		return types.Hash{}, &PoolError{Kind: PoolTemporarilyBanned}
	case bytes.Equal(ext, extCustom):
		return types.Hash{}, &types.TransactionValidityError{Invalid: true, Kind: types.InvalidCustom, Custom: 42}
	}
	h := types.Hash(types.Blake2b256(ext))
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[h] {
		return types.Hash{}, &PoolError{Kind: PoolAlreadyImported, Hash: h}
	}
	p.seen[h] = true
	p.pending = append(p.pending, ext)
	return h, nil
}

func (p *fakePool) SubmitAndWatch(ctx context.Context, ext []byte, fn func(TxStatus)) (types.Hash, func(), error) {
	h, err := p.Submit(ctx, ext)
	if err != nil {
		return h, nil, err
	}
	fn(TxStatus{Kind: TxReady}) // synchronously, before the id is out
	p.mu.Lock()
	p.watchers[h] = fn
	p.mu.Unlock()
	return h, func() {
		p.mu.Lock()
		delete(p.watchers, h)
		p.cancels++
		p.mu.Unlock()
	}, nil
}

func (p *fakePool) status(h types.Hash, st TxStatus) bool {
	p.mu.Lock()
	fn := p.watchers[h]
	p.mu.Unlock()
	if fn == nil {
		return false
	}
	fn(st)
	return true
}

func (p *fakePool) Pending() [][]byte {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([][]byte(nil), p.pending...)
}

func (p *fakePool) ProvidesReady(tag []byte) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ready[string(tag)]
}

type fakeSystem struct{ chainType string }

func (fakeSystem) Name() string    { return "marsd" }
func (fakeSystem) Version() string { return "0.1.0-test" }
func (fakeSystem) Chain() string   { return "Mars Development" }
func (s fakeSystem) ChainType() string {
	if s.chainType == "" {
		return "Development"
	}
	return s.chainType
}
func (fakeSystem) Properties() map[string]any {
	return map[string]any{"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "MSCA"}
}
func (fakeSystem) Health() Health { return Health{Peers: 3, IsSyncing: false, ShouldHavePeers: true} }

func (p *fakePool) Remove(hashes []types.Hash) []types.Hash {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []types.Hash
	for _, h := range hashes {
		for i, x := range p.pending {
			if types.Hash(types.Blake2b256(x)) == h {
				p.pending = append(p.pending[:i], p.pending[i+1:]...)
				out = append(out, h)
				break
			}
		}
	}
	return out
}

type fakeKeys struct {
	mu   sync.Mutex
	keys map[string]bool // keyType ++ public
}

func (k *fakeKeys) InsertKey(kt [4]byte, suri string, public []byte) error {
	if suri == "" {
		return errors.New("secret string is empty")
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	k.keys[string(kt[:])+string(public)] = true
	return nil
}

func (k *fakeKeys) HasKey(kt [4]byte, public []byte) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.keys[string(kt[:])+string(public)]
}

func (k *fakeKeys) RotateKeys(context.Context) ([]byte, error) { return []byte{1, 2, 3}, nil }

func (k *fakeKeys) HasSessionKeys(_ context.Context, keys []byte) (bool, error) {
	if len(keys) == 0 {
		return false, errors.New("empty")
	}
	return bytes.Equal(keys, []byte{1, 2, 3}), nil
}

// fakeNetSystem adds the optional Network methods.
type fakeNetSystem struct {
	fakeSystem
	mu       sync.Mutex
	reserved []string
}

func (*fakeNetSystem) LocalPeerID() string       { return "12D3KooWTest" }
func (*fakeNetSystem) ListenAddresses() []string { return nil }
func (*fakeNetSystem) NodeRoles() []string       { return []string{"Authority"} }
func (*fakeNetSystem) SyncState() SyncState {
	return SyncState{StartingBlock: 0, CurrentBlock: 3, HighestBlock: 5}
}
func (*fakeNetSystem) Peers() []PeerInfo {
	return []PeerInfo{{PeerID: "12D3KooWPeer", Roles: "FULL", BestNumber: 3}}
}
func (n *fakeNetSystem) ReservedPeers() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.reserved...)
}
func (n *fakeNetSystem) AddReservedPeer(addr string) error {
	if !strings.Contains(addr, "/p2p/") {
		return errors.New("missing /p2p/<peer id>")
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.reserved = append(n.reserved, addr[strings.LastIndex(addr, "/")+1:])
	return nil
}
func (n *fakeNetSystem) RemoveReservedPeer(id string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i, r := range n.reserved {
		if r == id {
			n.reserved = append(n.reserved[:i], n.reserved[i+1:]...)
		}
	}
	return nil
}
