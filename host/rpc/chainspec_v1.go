package rpc

import "context"

// chainSpecV1 serves the chainSpec_v1 group of the new JSON-RPC spec.
type chainSpecV1 struct {
	chain Chain
	sys   System
}

func (c *chainSpecV1) register(s *Server) error {
	return regList{
		func() error { return s.Register("chainSpec_v1_chainName", c.chainName) },
		func() error { return s.Register("chainSpec_v1_genesisHash", c.genesisHash) },
		func() error { return s.Register("chainSpec_v1_properties", c.properties) },
	}.run()
}

func (c *chainSpecV1) chainName(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	return c.sys.Chain(), nil
}

func (c *chainSpecV1) genesisHash(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	h, ok := c.chain.CanonicalHash(0)
	if !ok {
		return nil, &Error{Code: CodeInternalError, Message: "Internal error", Data: "no genesis block"}
	}
	return h, nil
}

func (c *chainSpecV1) properties(_ context.Context, p Params) (any, error) {
	if err := p.Max(0); err != nil {
		return nil, err
	}
	props := c.sys.Properties()
	if props == nil {
		props = map[string]any{}
	}
	return props, nil
}
