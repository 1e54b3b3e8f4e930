package network

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	pubsub "github.com/libp2p/go-libp2p-pubsub"
	"github.com/libp2p/go-libp2p/core/peer"
)

// Verdict is a gossip validator's decision on a message.
type Verdict int

const (
	// Accept delivers the message and lets it spread.
	Accept Verdict = iota
	// Ignore drops the message without blaming the sender (stale, duplicate).
	Ignore
	// Reject drops the message, stops its spread and penalises the peer
	// that sent it to us.
	Reject
)

// Message is a gossip message that passed validation. From is the peer
// that relayed it to us (the one charged if it were invalid), not
// necessarily its author.
type Message struct {
	From string
	Data []byte
}

// maxGossipMessage bounds one gossip message (transactions, votes).
const maxGossipMessage = 2 << 20

// Validation runs inline, on pubsub's few validation workers, behind a deep
// queue (network.go): messages are validated in about the order they came,
// and a burst waits in the queue. The default (concurrent validators,
// 32-message queue) drops messages under load, which for transactions
// means a sender's lost nonce and every later transaction of that sender
// stuck as "future" at the peers.

// topicQueue is the Messages() buffer of a topic.
const topicQueue = 4096

// Topic is a joined gossip topic.
type Topic struct {
	n       *Network
	name    string
	t       *pubsub.Topic
	sub     *pubsub.Subscription
	msgs    chan Message
	dropped atomic.Uint64
}

// Join joins the chain's gossip topic named topic ("transactions",
// "grandpa"): its wire name is /mars/<genesis hex>/<topic>. validate runs
// on every message from a peer before it is delivered or relayed; nil
// accepts everything. Joining a topic twice is an error.
func (n *Network) Join(topic string, validate func(from string, data []byte) Verdict) (*Topic, error) {
	full := n.prefix + "/" + topic
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return nil, ErrClosed
	}
	if _, ok := n.topics[topic]; ok {
		return nil, fmt.Errorf("network: topic %q already joined", topic)
	}
	self := n.host.ID()
	err := n.ps.RegisterTopicValidator(full, func(_ context.Context, from peer.ID, m *pubsub.Message) pubsub.ValidationResult {
		if from == self {
			return pubsub.ValidationAccept // our own publication
		}
		v := Accept
		if validate != nil {
			v = validate(from.String(), m.Data)
		}
		return n.gossipVerdict(from.String(), topic, v)
	}, pubsub.WithValidatorInline(true))
	if err != nil {
		return nil, fmt.Errorf("network: topic %q: %w", topic, err)
	}
	t, err := n.ps.Join(full)
	if err != nil {
		return nil, fmt.Errorf("network: topic %q: %w", topic, err)
	}
	if err := t.SetScoreParams(topicScoreParams()); err != nil {
		return nil, fmt.Errorf("network: topic %q: %w", topic, err)
	}
	sub, err := t.Subscribe(pubsub.WithBufferSize(topicQueue))
	if err != nil {
		return nil, fmt.Errorf("network: topic %q: %w", topic, err)
	}
	tp := &Topic{n: n, name: topic, t: t, sub: sub, msgs: make(chan Message, topicQueue)}
	n.topics[topic] = tp
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		tp.run()
	}()
	return tp, nil
}

// gossipVerdict maps a Verdict to pubsub's, charging the relaying peer for
// a Reject (gossipsub's own score also counts it as an invalid delivery).
func (n *Network) gossipVerdict(from, topic string, v Verdict) pubsub.ValidationResult {
	switch v {
	case Accept:
		return pubsub.ValidationAccept
	case Reject:
		n.Report(from, RepRejected, "gossip message rejected on "+topic)
		return pubsub.ValidationReject
	default:
		return pubsub.ValidationIgnore
	}
}

// run moves accepted messages from peers to Messages until the network
// closes.
func (t *Topic) run() {
	defer t.sub.Cancel()
	self := t.n.host.ID()
	for {
		m, err := t.sub.Next(t.n.ctx)
		if err != nil {
			return
		}
		if m.ReceivedFrom == self {
			continue
		}
		select {
		case t.msgs <- Message{From: m.ReceivedFrom.String(), Data: m.Data}:
		default:
			t.dropped.Add(1)
		}
	}
}

// Publish sends data to the topic's peers.
func (t *Topic) Publish(ctx context.Context, data []byte) error {
	if len(data) > maxGossipMessage {
		return fmt.Errorf("network: gossip message of %d bytes: %w", len(data), ErrTooLarge)
	}
	return t.t.Publish(ctx, data)
}

// Messages delivers the accepted messages from peers (never our own). It
// is bounded: when the consumer lags, messages are dropped and counted.
func (t *Topic) Messages() <-chan Message { return t.msgs }

// peerScoreParams enables gossipsub's peer scoring: our reputation feeds
// the application-specific score, and each topic counts invalid
// deliveries. IP colocation is not penalised: validators of a test or
// local network share one address.
func (n *Network) peerScoreParams() *pubsub.PeerScoreParams {
	return &pubsub.PeerScoreParams{
		Topics:            map[string]*pubsub.TopicScoreParams{},
		AppSpecificScore:  func(p peer.ID) float64 { return float64(n.rep.score(p.String())) },
		AppSpecificWeight: 0.5,
		// A peer that keeps misbehaving at the protocol level (broken
		// promises, graft floods) loses score quadratically.
		BehaviourPenaltyWeight:    -10,
		BehaviourPenaltyThreshold: 6,
		BehaviourPenaltyDecay:     0.9,
		DecayInterval:             time.Second,
		DecayToZero:               0.01,
		RetainScore:               10 * time.Minute,
	}
}

// peerScoreThresholds: below -10 a peer gets no gossip from us, below -50
// we do not publish to it, below -80 we ignore it altogether. A peer with
// reputation -100 (banned) is graylisted even before the ban disconnects it.
func peerScoreThresholds() *pubsub.PeerScoreThresholds {
	return &pubsub.PeerScoreThresholds{
		GossipThreshold:             -10,
		PublishThreshold:            -50,
		GraylistThreshold:           -80,
		AcceptPXThreshold:           10,
		OpportunisticGraftThreshold: 1,
	}
}

// topicScoreParams: each invalid message costs 10·n² with slow decay, so
// a few rejects push a peer under the gossip and publish thresholds; time
// in the mesh earns a little (at most +3), which also sets the quantum the
// score computation divides by.
func topicScoreParams() *pubsub.TopicScoreParams {
	return &pubsub.TopicScoreParams{
		SkipAtomicValidation:           true,
		TopicWeight:                    1,
		TimeInMeshWeight:               0.01,
		TimeInMeshQuantum:              time.Second,
		TimeInMeshCap:                  300,
		InvalidMessageDeliveriesWeight: -10,
		InvalidMessageDeliveriesDecay:  0.99,
	}
}
