package rpc

import (
	"context"
	"encoding/json"
	"errors"
	"strings"

	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

type systemAPI struct {
	sys   System
	chain Chain // optional: system_accountNextIndex
	state State // optional: system_accountNextIndex
	pool  Pool  // optional: pooled nonces
}

func (a *systemAPI) register(s *Server) error {
	str := func(f func() string) Handler {
		return func(_ context.Context, p Params) (any, error) {
			if err := p.Max(0); err != nil {
				return nil, err
			}
			return f(), nil
		}
	}
	l := regList{
		func() error { return s.Register("system_name", str(a.sys.Name)) },
		func() error { return s.Register("system_version", str(a.sys.Version)) },
		func() error { return s.Register("system_chain", str(a.sys.Chain)) },
		func() error { return s.Register("system_chainType", a.chainType) },
		func() error { return s.Register("system_properties", a.properties) },
		func() error { return s.Register("system_health", a.health) },
	}
	if n, ok := a.sys.(Network); ok {
		l = append(l, a.network(s, n)...)
	}
	if a.chain != nil && a.state != nil {
		l = append(l, func() error {
			return s.Register("system_accountNextIndex", a.accountNextIndex, Aliases("account_nextIndex"))
		})
	}
	return l.run()
}

func (a *systemAPI) chainType(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	switch t := a.sys.ChainType(); t {
	case "Development", "Local", "Live":
		return t, nil
	default:
		return map[string]string{"Custom": t}, nil
	}
}

func (a *systemAPI) properties(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	props := a.sys.Properties()
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}

func (a *systemAPI) health(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	return a.sys.Health(), nil
}

// maxPooledNonces bounds the walk over an account's ready transactions.
const maxPooledNonces = 1 << 16

// accountNextIndex answers the account's nonce from AccountNonceApi at the
// best block, plus its ready transactions in the pool, as
// substrate-frame-rpc-system does. The account is SS58 (or 0x-hex).
func (a *systemAPI) accountNextIndex(ctx context.Context, p Params) (any, error) {
	if err := p.Max(1); err != nil {
		return nil, err
	}
	s, err := p.String(0)
	if err != nil {
		return nil, err
	}
	var id types.AccountID
	if strings.HasPrefix(s, "0x") {
		b, herr := decodeHex(s)
		if herr != nil || len(b) != 32 {
			return nil, invalidParams("param 0: not an account id")
		}
		id = types.AccountID(b)
	} else if id, _, err = types.ParseSS58(s); err != nil {
		return nil, invalidParams("param 0: %v", err)
	}
	out, err := a.state.Call(ctx, a.chain.BestHash(), "AccountNonceApi_account_nonce", id[:])
	if err != nil {
		return nil, NewError(CodePaymentRuntimeError, "Unable to query nonce.", err.Error())
	}
	d := scale.NewDecoder(out)
	nonce := d.U32()
	if err := d.Finish(); err != nil {
		return nil, NewError(CodePaymentDecodeError, "Unable to query nonce.", err.Error())
	}
	if a.pool != nil {
		tag := make([]byte, 36)
		copy(tag, id[:])
		for i := 0; i < maxPooledNonces; i++ {
			tag[32], tag[33], tag[34], tag[35] = byte(nonce), byte(nonce>>8), byte(nonce>>16), byte(nonce>>24)
			if !a.pool.ProvidesReady(tag) {
				break
			}
			nonce++
		}
	}
	return nonce, nil
}

// network lists the methods of an optional Network.
func (a *systemAPI) network(s *Server, n Network) regList {
	noArgs := func(f func() any) Handler {
		return func(_ context.Context, p Params) (any, error) {
			if err := p.Max(0); err != nil {
				return nil, err
			}
			return f(), nil
		}
	}
	strList := func(xs []string) any {
		if xs == nil {
			return []string{}
		}
		return xs
	}
	oneString := func(f func(string) error) Handler {
		return func(_ context.Context, p Params) (any, error) {
			if err := p.Max(1); err != nil {
				return nil, err
			}
			arg, err := p.String(0)
			if err != nil {
				return nil, err
			}
			if err := f(arg); err != nil {
				var re *Error
				if errors.As(err, &re) {
					return nil, re
				}
				return nil, NewError(CodeSystemMalformedPeer, err.Error(), nil)
			}
			return json.RawMessage("null"), nil
		}
	}
	return regList{
		func() error {
			return s.Register("system_localPeerId", noArgs(func() any { return n.LocalPeerID() }))
		},
		func() error {
			return s.Register("system_localListenAddresses", noArgs(func() any { return strList(n.ListenAddresses()) }))
		},
		func() error {
			return s.Register("system_nodeRoles", noArgs(func() any { return strList(n.NodeRoles()) }))
		},
		func() error { return s.Register("system_syncState", noArgs(func() any { return n.SyncState() })) },
		func() error {
			return s.Register("system_peers", noArgs(func() any {
				peers := n.Peers()
				if peers == nil {
					peers = []PeerInfo{}
				}
				return peers
			}), Unsafe())
		},
		func() error {
			return s.Register("system_reservedPeers", noArgs(func() any { return strList(n.ReservedPeers()) }))
		},
		func() error { return s.Register("system_addReservedPeer", oneString(n.AddReservedPeer), Unsafe()) },
		func() error {
			return s.Register("system_removeReservedPeer", oneString(n.RemoveReservedPeer), Unsafe())
		},
	}
}
