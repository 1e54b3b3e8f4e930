package rpc

import (
	"context"
	"encoding/json"

	"github.com/metamars/mars/runtime/types"
)

type authorAPI struct {
	pool Pool // may be nil when only keys are served
	keys Keys // may be nil
}

func (a *authorAPI) register(s *Server) error {
	var l regList
	if a.pool != nil {
		l = append(l,
			func() error { return s.Register("author_submitExtrinsic", a.submit) },
			func() error { return s.Register("author_pendingExtrinsics", a.pending) },
			func() error {
				return s.RegisterSubscription("author_submitAndWatchExtrinsic", "author_unwatchExtrinsic",
					"author_extrinsicUpdate", a.submitAndWatch)
			})
		if r, ok := a.pool.(PoolRemover); ok {
			l = append(l, func() error { return s.Register("author_removeExtrinsic", a.remove(r), Unsafe()) })
		}
	}
	if a.keys != nil {
		l = append(l,
			func() error { return s.Register("author_insertKey", a.insertKey, Unsafe()) },
			func() error { return s.Register("author_hasKey", a.hasKey, Unsafe()) },
			func() error { return s.Register("author_rotateKeys", a.rotateKeys, Unsafe()) },
			func() error { return s.Register("author_hasSessionKeys", a.hasSessionKeys, Unsafe()) })
	}
	return l.run()
}

func (a *authorAPI) extrinsic(p Params) ([]byte, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	return p.Bytes(0)
}

func (a *authorAPI) submit(ctx context.Context, p Params) (any, error) {
	ext, err := a.extrinsic(p)
	if err != nil {
		return nil, err
	}
	h, err := a.pool.Submit(ctx, ext)
	if err != nil {
		return nil, authorError(err)
	}
	return h, nil
}

func (a *authorAPI) pending(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	txs := a.pool.Pending()
	out := make([]Bytes, len(txs))
	for i, t := range txs {
		out[i] = t
	}
	return out, nil
}

// submitAndWatch refuses the subscription when the pool refuses the
// transaction (the error is the call's), else streams its statuses and
// ends the subscription after a final one.
func (a *authorAPI) submitAndWatch(ctx context.Context, p Params, sink *Sink) error {
	ext, err := a.extrinsic(p)
	if err != nil {
		return err
	}
	_, cancel, err := a.pool.SubmitAndWatch(ctx, ext, func(st TxStatus) {
		sink.Send(txStatusJSON(st))
		if st.Final() {
			sink.Close()
		}
	})
	if err != nil {
		return authorError(err)
	}
	go func() { <-sink.Done(); cancel() }()
	return nil
}

// remove answers author_removeExtrinsic([{"hash":h} | {"extrinsic":x}, …])
// with the hashes removed.
func (a *authorAPI) remove(r PoolRemover) Handler {
	return func(_ context.Context, p Params) (any, error) {
		if err := p.Max(1); err != nil {
			return nil, err
		}
		var items []struct {
			Hash      *Bytes `json:"hash"`
			Extrinsic *Bytes `json:"extrinsic"`
		}
		if err := p.Decode(0, &items); err != nil {
			return nil, err
		}
		hashes := make([]types.Hash, 0, len(items))
		for i, it := range items {
			switch {
			case it.Hash != nil && it.Extrinsic == nil && len(*it.Hash) == 32:
				hashes = append(hashes, types.Hash(*it.Hash))
			case it.Extrinsic != nil && it.Hash == nil:
				hashes = append(hashes, types.Blake2b256(*it.Extrinsic))
			default:
				return nil, invalidParams("param 0: item %d is neither {\"hash\"} nor {\"extrinsic\"}", i)
			}
		}
		removed := r.Remove(hashes)
		if removed == nil {
			removed = []types.Hash{}
		}
		return removed, nil
	}
}

var errBadKeyType = NewError(CodeAuthorOther, "Invalid key type ID format (should be of length four)", nil)

func keyType(p Params, i int) ([4]byte, error) {
	s, err := p.String(i)
	if err != nil {
		return [4]byte{}, err
	}
	if len(s) != 4 {
		return [4]byte{}, errBadKeyType
	}
	return [4]byte([]byte(s)), nil
}

// insertKey(keyType, suri, public) answers null.
func (a *authorAPI) insertKey(_ context.Context, p Params) (any, error) {
	if err := p.Max(3); err != nil {
		return nil, err
	}
	kt, err := keyType(p, 0)
	if err != nil {
		return nil, err
	}
	suri, err := p.String(1)
	if err != nil {
		return nil, err
	}
	pub, err := p.Bytes(2)
	if err != nil {
		return nil, err
	}
	if err := a.keys.InsertKey(kt, suri, pub); err != nil {
		return nil, NewError(CodeAuthorOther, err.Error(), nil)
	}
	return json.RawMessage("null"), nil
}

// hasKey(public, keyType) answers a bool.
func (a *authorAPI) hasKey(_ context.Context, p Params) (any, error) {
	if err := p.Max(2); err != nil {
		return nil, err
	}
	pub, err := p.Bytes(0)
	if err != nil {
		return nil, err
	}
	kt, err := keyType(p, 1)
	if err != nil {
		return nil, err
	}
	return a.keys.HasKey(kt, pub), nil
}

func (a *authorAPI) rotateKeys(ctx context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	keys, err := a.keys.RotateKeys(ctx)
	if err != nil {
		return nil, NewError(CodeAuthorOther, "Client error: "+err.Error(), nil)
	}
	return Bytes(keys), nil
}

func (a *authorAPI) hasSessionKeys(ctx context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	keys, err := p.Bytes(0)
	if err != nil {
		return nil, err
	}
	ok, err := a.keys.HasSessionKeys(ctx, keys)
	if err != nil {
		return nil, NewError(CodeAuthorOther, "Session keys are not encoded correctly", err.Error())
	}
	return ok, nil
}
