package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// Result is one node's figures for one load run.
type Result struct {
	Node      string // "MSC (marsd dev)", "geth --dev"
	Version   string // node binary version, as far as known
	Senders   int    // K
	PerSender int    // M
	Submitted int    // transfers accepted by the node's pool
	Included  int    // transfers finalized (MSC) or mined (geth)
	Failed    int    // refused at submission, invalid, dropped, failed, or not in time
	Verified  int    // receivers whose balance shows the transfer afterwards

	Duration time.Duration  // first submit → last finalized/mined
	TPS      float64        // Included / Duration
	Latency  LatencySummary // submit → in block (as seen by the client)

	Blocks      int   // blocks holding load transfers
	MaxPerBlock int   // most load transfers in one block
	PerBlock    []int // load transfers a block, in the order the blocks were seen

	RSSIdleKiB uint64 // VmRSS after funding, before load
	RSSPeakKiB uint64 // largest VmRSS sampled during load
	HWMKiB     uint64 // VmHWM at the end of load (life-time peak)

	Notes []string
}

func mib(kib uint64) string {
	if kib == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f MiB", float64(kib)/1024)
}

func ms(d time.Duration) string {
	if d == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

// Ratio is a's tx/s divided by b's (0 when b has none).
func Ratio(a, b *Result) float64 {
	if a == nil || b == nil || b.TPS == 0 {
		return 0
	}
	return a.TPS / b.TPS
}

// WriteTable prints the results side by side (a nil result is a "(not
// run)" column), then the tx/s ratio of the first to the second when there
// are two.
func WriteTable(w io.Writer, rs ...*Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(label string, f func(r *Result) string) {
		cells := []string{label}
		for _, r := range rs {
			if r == nil {
				cells = append(cells, "(not run)")
			} else {
				cells = append(cells, f(r))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	row("", func(r *Result) string { return r.Node })
	row("version", func(r *Result) string { return r.Version })
	row("senders × transfers", func(r *Result) string { return fmt.Sprintf("%d × %d", r.Senders, r.PerSender) })
	row("submitted / included / failed", func(r *Result) string {
		return fmt.Sprintf("%d / %d / %d", r.Submitted, r.Included, r.Failed)
	})
	row("receivers verified", func(r *Result) string { return fmt.Sprintf("%d", r.Verified) })
	row("first submit → last final", func(r *Result) string { return r.Duration.Round(time.Millisecond).String() })
	row("sustained tx/s", func(r *Result) string { return fmt.Sprintf("%.1f", r.TPS) })
	row("submit → in block, median", func(r *Result) string { return ms(r.Latency.Median) })
	row("submit → in block, p99", func(r *Result) string { return ms(r.Latency.P99) })
	row("submit → in block, max", func(r *Result) string { return ms(r.Latency.Max) })
	row("blocks used / max tx per block", func(r *Result) string { return fmt.Sprintf("%d / %d", r.Blocks, r.MaxPerBlock) })
	row("RSS idle (before load)", func(r *Result) string { return mib(r.RSSIdleKiB) })
	row("RSS peak under load", func(r *Result) string { return mib(r.RSSPeakKiB) })
	row("VmHWM at end of load", func(r *Result) string { return mib(r.HWMKiB) })
	tw.Flush()
	if len(rs) == 2 && rs[0] != nil && rs[1] != nil {
		fmt.Fprintf(w, "\nratio %s tx/s ÷ %s tx/s = %.2f\n", rs[0].Node, rs[1].Node, Ratio(rs[0], rs[1]))
	}
	for _, r := range rs {
		if r == nil {
			continue
		}
		if len(r.PerBlock) > 0 {
			fmt.Fprintf(w, "transfers per block (%s): %v\n", r.Node, r.PerBlock)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(w, "note (%s): %s\n", r.Node, n)
		}
	}
}
