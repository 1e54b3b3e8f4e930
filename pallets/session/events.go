package session

import "github.com/metamars/mars/runtime/scale"

// EvNewSession is the index of NewSession.
const EvNewSession uint8 = 0

// EventNewSession: a new session has happened. Note that the argument is
// the session index, not the block number as the type might suggest.
type EventNewSession struct{ SessionIndex uint32 }

// EncodeTo writes variant 0 ++ session_index u32.
func (e EventNewSession) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvNewSession)
	enc.PutU32(e.SessionIndex)
}
