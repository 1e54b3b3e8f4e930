// Command devbench runs the MSC vs geth dev-node throughput comparison of
// package bench and prints the side-by-side table.
//
//	go run ./tests/bench/cmd/devbench -senders 8 -txs 100
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/metamars/mars/tests/bench"
)

func main() {
	senders := flag.Int("senders", 8, "concurrent senders (K)")
	txs := flag.Int("txs", 100, "transfers per sender (M)")
	only := flag.String("only", "", "run one side only: msc or geth")
	timeout := flag.Duration("timeout", 30*time.Minute, "bound on the whole run")
	quiet := flag.Bool("q", false, "no progress lines")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	cfg := bench.Config{Senders: *senders, PerSender: *txs, Log: os.Stderr}
	if *quiet {
		cfg.Log = nil
	}
	var msc, geth *bench.Result
	var errs []error
	switch *only {
	case "msc":
		r, err := bench.RunMSC(ctx, cfg)
		msc, errs = r, appendErr(errs, err)
	case "geth":
		r, err := bench.RunGeth(ctx, cfg)
		geth, errs = r, appendErr(errs, err)
	case "":
		msc, geth, errs = bench.Compare(ctx, cfg)
	default:
		fmt.Fprintf(os.Stderr, "devbench: -only %q: want msc or geth\n", *only)
		os.Exit(2)
	}
	switch *only {
	case "msc":
		bench.WriteTable(os.Stdout, msc)
	case "geth":
		bench.WriteTable(os.Stdout, geth)
	default:
		bench.WriteTable(os.Stdout, msc, geth)
	}
	for _, err := range errs {
		fmt.Fprintln(os.Stderr, "devbench:", err)
	}
	if len(errs) > 0 {
		os.Exit(1)
	}
}

func appendErr(errs []error, err error) []error {
	if err != nil {
		return append(errs, err)
	}
	return errs
}
