package sync

import (
	"github.com/metamars/mars/host/sync/internal/frnk"
	"github.com/metamars/mars/runtime/types"
)

// EnactsSetChange reports whether hdr carries a GRANDPA ScheduledChange:
// the block whose justification moves finality to the next authority set.
// A node that missed that justification can never follow the new set's
// votes, so it asks peers for it (host/node does).
func EnactsSetChange(hdr *types.Header) bool {
	c, err := frnk.ScheduledChange(hdr)
	return err == nil && c != nil
}
