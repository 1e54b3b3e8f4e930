package txpool

import (
	"time"
)

// Config tunes the pool. The zero value of a field selects its default.
type Config struct {
	ReadyCount  int // ready transactions kept (default 8192)
	ReadyBytes  int // summed encoded size of ready transactions (default 20 MiB)
	FutureCount int // future transactions kept (default 512)
	FutureBytes int // summed encoded size of future transactions (default 1 MiB)
	MaxTxBytes  int // largest accepted encoding (default 5 MiB, the block length limit)

	// Sender, when set, names the signer of an extrinsic (ok false for
	// unsigned ones); with MaxPerSender > 0 the pool then holds at most
	// that many transactions of one sender.
	Sender       func(ext []byte) (sender string, ok bool)
	MaxPerSender int

	// BanTime is how long a hash stays banned after the transaction was
	// found invalid or included (default 30 min); MaxBanned bounds the ban
	// list (default 4096), expiring the oldest bans first.
	BanTime   time.Duration
	MaxBanned int

	// RevalidateBatch is how many transactions one Revalidate call
	// re-validates at most (default 256).
	RevalidateBatch int

	// FinalityTimeout is how many blocks with watched transactions may
	// wait for finality before the oldest one's watchers end with
	// FinalityTimeout (default 512, as in Substrate).
	FinalityTimeout int

	// WatcherBuffer is each watcher's channel capacity (default 16).
	WatcherBuffer int

	// Now is the clock for bans (default time.Now).
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&c.ReadyCount, 8192)
	def(&c.ReadyBytes, 20<<20)
	def(&c.FutureCount, 512)
	def(&c.FutureBytes, 1<<20)
	def(&c.MaxTxBytes, 5<<20)
	def(&c.MaxBanned, 4096)
	def(&c.RevalidateBatch, 256)
	def(&c.FinalityTimeout, 512)
	def(&c.WatcherBuffer, 16)
	if c.BanTime <= 0 {
		c.BanTime = 30 * time.Minute
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	return c
}
