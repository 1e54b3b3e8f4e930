package grandpa

import "github.com/metamars/mars/runtime/types"

// RoundState is the answer of the grandpa_roundState RPC, in Substrate's
// JSON shape (sc-consensus-grandpa-rpc's ReportedRoundStates).
type RoundState struct {
	SetID      uint64      `json:"setId"`
	Best       RoundInfo   `json:"best"`
	Background []RoundInfo `json:"background"`
}

// RoundInfo is one round's vote tally.
type RoundInfo struct {
	Round           uint64 `json:"round"`
	TotalWeight     uint64 `json:"totalWeight"`
	ThresholdWeight uint64 `json:"thresholdWeight"`
	Prevotes        Tally  `json:"prevotes"`
	Precommits      Tally  `json:"precommits"`
}

// Tally is the weight seen in one stage and the authorities (SS58, generic
// prefix) not heard from.
type Tally struct {
	CurrentWeight uint64   `json:"currentWeight"`
	Missing       []string `json:"missing"`
}

// RoundState reports the current round and the background one.
func (s *State) RoundState() RoundState {
	rs := RoundState{SetID: s.setID, Best: s.roundInfo(s.cur), Background: []RoundInfo{}}
	if s.prev != nil {
		rs.Background = append(rs.Background, s.roundInfo(s.prev))
	}
	return rs
}

func (s *State) roundInfo(r *round) RoundInfo {
	tally := func(stage [][]sv) Tally {
		t := Tally{Missing: []string{}}
		for i, v := range stage {
			if len(v) > 0 {
				t.CurrentWeight += s.vs.auths[i].Weight
			} else {
				t.Missing = append(t.Missing, types.AccountID(s.vs.auths[i].ID).String())
			}
		}
		return t
	}
	return RoundInfo{Round: r.number, TotalWeight: s.vs.total, ThresholdWeight: s.vs.threshold(),
		Prevotes: tally(r.prevotes), Precommits: tally(r.precommits)}
}
