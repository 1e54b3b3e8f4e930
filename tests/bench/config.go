package bench

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// Config is one benchmark run.
type Config struct {
	Senders   int           // K concurrent senders (1..64)
	PerSender int           // M transfers each (1..1000)
	BlockTime time.Duration // block interval of both nodes (default 1s; geth takes whole seconds)

	RepoRoot    string        // the mars module (default: found from this package's source)
	CacheDir    string        // where the geth binary is kept (default os.UserCacheDir()/marsd-bench)
	GethVersion string        // go-ethereum tag to install (default v1.16.7)
	LoadTimeout time.Duration // bound on one node's load phase (default 3 min)
	Log         io.Writer     // progress lines (default: discarded)
}

// maxSenders stays under the MSC RPC server's 100-connection default.
const (
	maxSenders   = 64
	maxPerSender = 1000 // the MSC RPC server allows 1024 subscriptions a connection
)

func (c *Config) fill() error {
	if c.Senders < 1 || c.Senders > maxSenders {
		return fmt.Errorf("bench: Senders %d out of 1..%d", c.Senders, maxSenders)
	}
	if c.PerSender < 1 || c.PerSender > maxPerSender {
		return fmt.Errorf("bench: PerSender %d out of 1..%d", c.PerSender, maxPerSender)
	}
	if c.BlockTime == 0 {
		c.BlockTime = time.Second
	}
	if c.BlockTime < time.Second || c.BlockTime%time.Second != 0 {
		return fmt.Errorf("bench: BlockTime %s: geth's --dev.period takes whole seconds", c.BlockTime)
	}
	if c.RepoRoot == "" {
		r, err := repoRoot()
		if err != nil {
			return err
		}
		c.RepoRoot = r
	}
	if c.CacheDir == "" {
		d, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("bench: no user cache folder (set Config.CacheDir): %w", err)
		}
		c.CacheDir = filepath.Join(d, "marsd-bench")
	}
	if c.GethVersion == "" {
		c.GethVersion = "v1.16.7"
	}
	if c.LoadTimeout == 0 {
		c.LoadTimeout = 3 * time.Minute
	}
	if c.Log == nil {
		c.Log = io.Discard
	}
	return nil
}

func (c *Config) logf(format string, args ...any) {
	fmt.Fprintf(c.Log, time.Now().UTC().Format("15:04:05.000")+" "+format+"\n", args...)
}
