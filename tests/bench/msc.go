package bench

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/metamars/mars/host/keystore"
	"github.com/metamars/mars/host/rpcclient"
	"github.com/metamars/mars/host/txbuilder"
	"github.com/metamars/mars/runtime/scale"
	"github.com/metamars/mars/runtime/types"
)

// MSC chain constants the driver relies on (runtime/relay, pallets/balances).
const (
	mscBalancesIndex       = 6
	mscTransferAllowDeath  = 0
	mscTransferKeepAlive   = 3
	mscUnit                = 1_000_000_000_000 // 1 MSCA in planck (12 decimals)
	mscTransferAmount      = mscUnit           // each load transfer: 1 MSCA (ED is 0.01)
	mscFundMarginPerSender = 100 * mscUnit     // fees and slack on top of 2 MSCA a transfer
)

var mscDevURIs = []string{"//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"}

var mscReadyLine = regexp.MustCompile(`msg="node running".*rpc=(ws://[0-9.]+:[0-9]+)`)

// mscTransfer encodes Balances.transfer_allow_death or transfer_keep_alive.
func mscTransfer(dest types.AccountID, amount uint64, keepAlive bool) []byte {
	e := scale.NewEncoder(52)
	e.PutU8(mscBalancesIndex)
	if keepAlive {
		e.PutU8(mscTransferKeepAlive)
	} else {
		e.PutU8(mscTransferAllowDeath)
	}
	types.NewAddress(dest).EncodeTo(e)
	e.PutCompactU128(scale.FromUint64(amount))
	return e.Bytes()
}

// mscAccountKey is twox128("System") ++ twox128("Account") ++ blake2_128concat(id).
func mscAccountKey(id types.AccountID) []byte {
	p, s := types.Twox128([]byte("System")), types.Twox128([]byte("Account"))
	k := append(append(make([]byte, 0, 80), p[:]...), s[:]...)
	return append(k, types.Blake2_128Concat(id[:])...)
}

// mscFree reads an account's free balance (its low 64 bits; 0 when the
// account does not exist). AccountInfo = nonce, consumers, providers,
// sufficients (u32 each) ++ free (u128) ++ …
func mscFree(ctx context.Context, c *rpcclient.Client, id types.AccountID) (uint64, error) {
	v, found, err := c.Storage(ctx, mscAccountKey(id), nil)
	if err != nil || !found {
		return 0, err
	}
	if len(v) < 32 {
		return 0, fmt.Errorf("bench: System.Account value of %d bytes", len(v))
	}
	if binary.LittleEndian.Uint64(v[24:32]) != 0 {
		return ^uint64(0), nil
	}
	return binary.LittleEndian.Uint64(v[16:24]), nil
}

// newSr25519 makes a fresh key from a random seed ("0x" seed URI: no PBKDF2).
func newSr25519() (keystore.KeyPair, error) {
	var seed [32]byte
	if _, err := rand.Read(seed[:]); err != nil {
		return nil, err
	}
	return keystore.FromURI(keystore.Sr25519, "0x"+hex.EncodeToString(seed[:]))
}

func randomAccount() types.AccountID {
	var id types.AccountID
	_, _ = rand.Read(id[:])
	return id
}

// mscChain is what signing needs.
type mscChain struct {
	genesis     types.Hash
	specVersion uint32
	txVersion   uint32
}

func (ch *mscChain) sign(kp keystore.KeyPair, nonce uint32, call []byte) []byte {
	return txbuilder.Sign(call, kp, txbuilder.Params{Nonce: nonce, Era: types.ImmortalEra,
		GenesisHash: ch.genesis, BirthHash: ch.genesis, SpecVersion: ch.specVersion, TxVersion: ch.txVersion})
}

// RunMSC builds marsd, runs `marsd dev` and measures it under cfg's load.
func RunMSC(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	tmp, err := mkTemp("marsd-bench-msc-")
	if err != nil {
		return nil, err
	}
	defer removeAll(&cfg, tmp)

	cfg.logf("msc: building marsd")
	bin := filepath.Join(tmp, "marsd")
	bctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	err = goCmd(bctx, cfg.RepoRoot, nil, "build", "-o", bin, "./cmd/marsd")
	cancel()
	if err != nil {
		return nil, err
	}
	p, err := startProc("marsd", bin, tmp, "dev", "--rpc-port", "0", "--base-path", filepath.Join(tmp, "base"),
		"--block-time", cfg.BlockTime.String())
	if err != nil {
		return nil, err
	}
	res := &Result{Node: "MSC (marsd dev)", Senders: cfg.Senders, PerSender: cfg.PerSender}
	defer func() {
		if err := p.stop(); err != nil {
			res.Notes = append(res.Notes, err.Error())
		}
	}()
	m, err := p.waitLine(ctx, mscReadyLine, 3*time.Minute)
	if err != nil {
		return nil, err
	}
	url := m[1]
	cfg.logf("msc: marsd pid %d ready at %s", p.PID(), url)
	err = runMSCLoad(ctx, &cfg, p, url, res)
	if err != nil {
		return nil, fmt.Errorf("%w; marsd's last lines:\n%s", err, p.tail(20))
	}
	return res, nil
}

func runMSCLoad(ctx context.Context, cfg *Config, p *proc, url string, res *Result) error {
	c, err := rpcclient.Dial(ctx, url)
	if err != nil {
		return err
	}
	defer c.Close()
	var ch mscChain
	if ch.genesis, err = c.BlockHash(ctx, 0); err != nil {
		return err
	}
	rv, err := c.RuntimeVersion(ctx, nil)
	if err != nil {
		return err
	}
	ch.specVersion, ch.txVersion = rv.SpecVersion, rv.TransactionVersion
	res.Version = fmt.Sprintf("%s spec %d", rv.SpecName, rv.SpecVersion)

	// Fresh senders, funded from the dev accounts (one batch each, in parallel).
	K, M := cfg.Senders, cfg.PerSender
	senders := make([]keystore.KeyPair, K)
	for i := range senders {
		if senders[i], err = newSr25519(); err != nil {
			return err
		}
	}
	fund := uint64(M)*2*mscTransferAmount + mscFundMarginPerSender
	cfg.logf("msc: funding %d senders with %d MSCA each", K, fund/mscUnit)
	if err := mscFund(ctx, c, &ch, senders, fund); err != nil {
		return err
	}

	// Pre-sign the load (signing speed is the client's, not the node's).
	receivers := make([][]types.AccountID, K)
	exts := make([][][]byte, K)
	for s := range K {
		receivers[s] = make([]types.AccountID, M)
		exts[s] = make([][]byte, M)
		for i := range M {
			receivers[s][i] = randomAccount()
			exts[s][i] = ch.sign(senders[s], uint32(i), mscTransfer(receivers[s][i], mscTransferAmount, true))
		}
	}
	conns := make([]*rpcclient.Client, K)
	for s := range K {
		if conns[s], err = rpcclient.Dial(ctx, url); err != nil {
			return err
		}
		defer conns[s].Close()
	}

	time.Sleep(2 * cfg.BlockTime) // let the funding blocks settle
	idle, err := ReadMem(p.PID())
	if err != nil {
		return err
	}
	res.RSSIdleKiB = idle.RSS

	// Every finalized block is also read from chain_subscribeFinalizedHeads
	// on the main connection: it ends the wait once all transfers are in,
	// and stands in for a watch whose subscription the node dropped.
	head, err := c.Header(ctx, nil)
	if err != nil {
		return err
	}
	from, err := head.BlockNumber()
	if err != nil {
		return err
	}
	recs := make([][]txRec, K)
	obs := make([][]blockObs, K)
	byExt := make(map[string]*blockObs, K*M)
	for s := range K {
		recs[s] = make([]txRec, M)
		obs[s] = make([]blockObs, M)
		for i := range M {
			byExt[string(exts[s][i])] = &obs[s][i]
		}
	}
	fin, err := c.Subscribe(ctx, "chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads")
	if err != nil {
		return err
	}
	var observed atomic.Int64
	octx, ocancel := context.WithCancel(ctx)
	defer ocancel()
	obsDone := make(chan error, 1)
	go func() { obsDone <- mscObserve(octx, c, fin, from, byExt, &observed) }()

	cfg.logf("msc: load: %d senders × %d transfer_keep_alive", K, M)
	lctx, cancel := context.WithTimeout(ctx, cfg.LoadTimeout)
	defer cancel()
	sampler := startRSSSampler(p.PID(), 100*time.Millisecond)
	var watchers sync.WaitGroup
	var senderWG sync.WaitGroup
	var accepted atomic.Int64
	start := make(chan struct{})
	for s := range K {
		senderWG.Add(1)
		go func() {
			defer senderWG.Done()
			<-start
			for i := range M {
				r := &recs[s][i]
				r.sent = time.Now()
				w, err := conns[s].SubmitAndWatch(lctx, exts[s][i])
				if err != nil {
					r.failed = "submit: " + err.Error()
					return // later nonces could only wait in the future queue
				}
				r.accepted = true
				accepted.Add(1)
				watchers.Add(1)
				go func() {
					defer watchers.Done()
					mscWatch(lctx, w, r)
				}()
			}
		}()
	}
	close(start)
	senderWG.Wait()
	cfg.logf("msc: all submitted; waiting for finalization")
	watchDone := make(chan struct{})
	go func() { watchers.Wait(); close(watchDone) }()
	if why := waitLoad(lctx, watchDone, obsDone, &observed, accepted.Load(), loadGrace); why != "" {
		res.Notes = append(res.Notes, why)
	}
	cancel() // ends watches still open (their subscription was dropped)
	<-watchDone
	ocancel()
	res.RSSPeakKiB = sampler.Stop()
	if end, err := ReadMem(p.PID()); err == nil {
		res.HWMKiB = end.HWM
	}
	lost := 0
	for s := range K {
		for i := range M {
			r, o := &recs[s][i], &obs[s][i]
			if r.accepted && r.final.IsZero() && !o.seen.IsZero() {
				lost++
				r.failed, r.final, r.block = "", o.seen, o.block
				if r.included.IsZero() {
					r.included = o.seen
				}
			}
		}
	}
	if lost > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d watches ended without their finalized status (node logged %d "+
			"'subscription dropped' lines); their times are those of chain_subscribeFinalizedHeads", lost,
			p.countLines("subscription dropped")))
	}
	fillFigures(res, recs)
	addFailureNotes(res, recs)
	cfg.logf("msc: %d finalized in %s (%.1f tx/s)", res.Included, res.Duration.Round(time.Millisecond), res.TPS)

	// Check that the transfers moved the money.
	vctx, vcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer vcancel()
	var verified int64
	var mu sync.Mutex
	var wg sync.WaitGroup
	for s := range K {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for i := range M {
				if free, err := mscFree(vctx, conns[s], receivers[s][i]); err == nil && free == mscTransferAmount {
					n++
				}
			}
			mu.Lock()
			verified += int64(n)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Verified = int(verified)
	return nil
}

// mscWatch follows one submitted transfer to its final status.
func mscWatch(ctx context.Context, w rpcclient.TxWatch, r *txRec) {
	for {
		st, err := w.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				r.failed = "no final status when the wait ended"
			} else {
				r.failed = "watch: " + err.Error()
			}
			return
		}
		now := time.Now()
		switch st.Kind {
		case "inBlock":
			if r.included.IsZero() {
				r.included, r.block = now, st.Hash.Hex()
			}
		case "finalized":
			if r.included.IsZero() {
				r.included = now
			}
			r.final, r.block = now, st.Hash.Hex()
			return
		case "retracted":
			r.included = time.Time{}
		default:
			if st.Final() {
				r.failed = "status " + st.Kind
				return
			}
		}
	}
}

// mscFund sends fund planck to every sender from the dev accounts (sender
// i from dev account i mod 6, consecutive nonces) and waits until all the
// transfers are finalized and the balances show.
func mscFund(ctx context.Context, c *rpcclient.Client, ch *mscChain, senders []keystore.KeyPair, fund uint64) error {
	fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	type job struct {
		w  rpcclient.TxWatch
		to int
	}
	var jobs []job
	for d, uri := range mscDevURIs {
		if d >= len(senders) {
			break
		}
		dev, err := keystore.FromURI(keystore.Sr25519, uri)
		if err != nil {
			return err
		}
		nonce, err := c.AccountNextIndex(fctx, dev.AccountID().String())
		if err != nil {
			return err
		}
		for s := d; s < len(senders); s += len(mscDevURIs) {
			ext := ch.sign(dev, nonce, mscTransfer(senders[s].AccountID(), fund, false))
			nonce++
			w, err := c.SubmitAndWatch(fctx, ext)
			if err != nil {
				return fmt.Errorf("bench: funding sender %d from %s: %w", s, uri, err)
			}
			jobs = append(jobs, job{w, s})
		}
	}
	for _, j := range jobs {
		for {
			st, err := j.w.Next(fctx)
			if err != nil {
				return fmt.Errorf("bench: funding sender %d: %w", j.to, err)
			}
			if st.Kind == "finalized" {
				break
			}
			if st.Final() {
				return fmt.Errorf("bench: funding sender %d: status %s", j.to, st)
			}
		}
	}
	for s, kp := range senders {
		free, err := mscFree(fctx, c, kp.AccountID())
		if err != nil {
			return err
		}
		if free != fund {
			return fmt.Errorf("bench: sender %d holds %d planck after funding, want %d (did the transfer fail?)", s, free, fund)
		}
	}
	return nil
}

func addFailureNotes(res *Result, recs [][]txRec) {
	reasons := failureReasons(recs)
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		res.Notes = append(res.Notes, strconv.Itoa(reasons[k])+" × "+k)
	}
}

// blockObs is when the finalized-heads observer saw a transfer's block.
type blockObs struct {
	seen  time.Time
	block string
}

// mscObserve reads every finalized block after from (catching up on
// skipped numbers) and stamps the load transfers it holds.
func mscObserve(ctx context.Context, c *rpcclient.Client, sub *rpcclient.Subscription, from uint64,
	byExt map[string]*blockObs, observed *atomic.Int64) error {
	next := from + 1
	for {
		raw, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("finalized heads: %w", err)
		}
		seen := time.Now()
		var h rpcclient.Header
		if err := json.Unmarshal(raw, &h); err != nil {
			return fmt.Errorf("finalized heads: %w", err)
		}
		number, err := h.BlockNumber()
		if err != nil {
			return err
		}
		for ; next <= number; next++ {
			hash, err := c.BlockHash(ctx, next)
			if err != nil {
				return fmt.Errorf("block %d: %w", next, err)
			}
			b, err := c.Block(ctx, &hash)
			if err != nil {
				return fmt.Errorf("block %d: %w", next, err)
			}
			for _, x := range b.Block.Extrinsics {
				if o := byExt[string(x)]; o != nil && o.seen.IsZero() {
					o.seen, o.block = seen, hash.Hex()
					observed.Add(1)
				}
			}
		}
	}
}
