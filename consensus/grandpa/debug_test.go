package grandpa

import "fmt"

func (s *sim) dump() {
	for i, n := range s.nodes {
		r := n.st.cur
		fmt.Printf("node %d online=%v set=%d round=%d fin=#%d self=%d prevoted=%v precommitted=%v pw=%d cw=%d ghost=%v est=%v compl=%v tree=%d\n", i, n.online, n.st.setID, r.number, n.st.finalized.Number, n.st.self, r.prevoted, r.precommitted, r.prevoteWeight, r.precommitWeight, r.hasGhost, r.hasEstimate, r.completable, len(n.st.tree))
	}
}
