package grandpa

import "github.com/metamars/mars/runtime/scale"

// Event variant indices, as in pallet_grandpa.
const (
	EvNewAuthorities uint8 = 0 // {authority_set}
	EvPaused         uint8 = 1
	EvResumed        uint8 = 2
)

// EventNewAuthorities: new authority set has been applied.
type EventNewAuthorities struct{ AuthoritySet []Authority }

// EncodeTo writes variant 0 ++ Vec<(key, weight)>.
func (e EventNewAuthorities) EncodeTo(enc *scale.Encoder) {
	enc.PutU8(EvNewAuthorities)
	enc.PutLen(len(e.AuthoritySet))
	for _, a := range e.AuthoritySet {
		a.EncodeTo(enc)
	}
}
