package bench

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/metamars/mars/host/rpcclient"
)

// gethDevKey is the key geth --dev imports as its funded developer account
// on a fresh datadir (go-ethereum cmd/utils.DeveloperKey).
const gethDevKey = "b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291"

var (
	gwei              = big.NewInt(1_000_000_000)
	gethTransferValue = big.NewInt(1_000_000_000_000_000) // 0.001 ETH a load transfer
	gethTip           = new(big.Int).Set(gwei)
)

const gethTransferGas = 21_000

// GethBinary returns the path of geth cfg.GethVersion, installing it with
// `go install` into cfg.CacheDir when it is not there yet.
func GethBinary(ctx context.Context, cfg Config) (string, error) {
	if err := cfg.fill(); err != nil {
		return "", err
	}
	dir := filepath.Join(cfg.CacheDir, "geth-"+cfg.GethVersion)
	bin := filepath.Join(dir, "geth")
	if fi, err := os.Stat(bin); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
		return bin, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Install into a private folder beside the final place, then rename, so
	// an interrupted install never leaves a half-written binary in the cache.
	tmp, err := os.MkdirTemp(dir, "install-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cfg.logf("geth: go install github.com/ethereum/go-ethereum/cmd/geth@%s (once; cached in %s)", cfg.GethVersion, dir)
	ictx, cancel := context.WithTimeout(ctx, 20*time.Minute)
	defer cancel()
	// Run outside the mars module so that its go.mod plays no part.
	if err := goCmd(ictx, tmp, []string{"GOBIN=" + tmp, "GOFLAGS=-buildvcs=false"},
		"install", "github.com/ethereum/go-ethereum/cmd/geth@"+cfg.GethVersion); err != nil {
		return "", err
	}
	if err := os.Rename(filepath.Join(tmp, "geth"), bin); err != nil {
		return "", err
	}
	return bin, nil
}

// RunGeth installs (once) and runs geth --dev and measures it under cfg's
// load.
func RunGeth(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.fill(); err != nil {
		return nil, err
	}
	bin, err := GethBinary(ctx, cfg)
	if err != nil {
		return nil, err
	}
	tmp, err := mkTemp("marsd-bench-geth-")
	if err != nil {
		return nil, err
	}
	defer removeAll(&cfg, tmp)
	var ports [3]int
	for i := range ports {
		if ports[i], err = freePort(); err != nil {
			return nil, err
		}
	}
	httpURL := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	wsURL := fmt.Sprintf("ws://127.0.0.1:%d", ports[1])
	p, err := startProc("geth", bin, tmp, "--dev", "--dev.period", strconv.Itoa(int(cfg.BlockTime/time.Second)),
		"--datadir", filepath.Join(tmp, "data"),
		"--http", "--http.addr", "127.0.0.1", "--http.port", strconv.Itoa(ports[0]), "--http.api", "eth,net,web3",
		"--ws", "--ws.addr", "127.0.0.1", "--ws.port", strconv.Itoa(ports[1]), "--ws.api", "eth,net,web3",
		"--authrpc.addr", "127.0.0.1", "--authrpc.port", strconv.Itoa(ports[2]),
		"--nodiscover", "--maxpeers", "0", "--ipcdisable", "--verbosity", "3")
	if err != nil {
		return nil, err
	}
	res := &Result{Node: "geth --dev", Version: "geth " + cfg.GethVersion, Senders: cfg.Senders, PerSender: cfg.PerSender}
	defer func() {
		if err := p.stop(); err != nil {
			res.Notes = append(res.Notes, err.Error())
		}
	}()
	if out, err := exec.CommandContext(ctx, bin, "version").Output(); err == nil {
		for _, l := range strings.Split(string(out), "\n") {
			if v, ok := strings.CutPrefix(l, "Version: "); ok {
				res.Version = "geth " + strings.TrimSpace(v)
			}
		}
	}
	if err := runGethLoad(ctx, &cfg, p, httpURL, wsURL, res); err != nil {
		return nil, fmt.Errorf("%w; geth's last lines:\n%s", err, p.tail(20))
	}
	return res, nil
}

// gethWaitReady polls eth_chainId until geth answers.
func gethWaitReady(ctx context.Context, p *proc, url string) (*ethRPC, *big.Int, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if p.exited() {
			<-p.copied
			return nil, nil, fmt.Errorf("bench: geth exited (%v) while starting", p.err)
		}
		c, err := dialEth(ctx, url)
		if err == nil {
			cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			id, err2 := c.ChainID(cctx)
			cancel()
			if err2 == nil {
				return c, id, nil
			}
			c.Close()
			err = err2
		}
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("bench: geth not answering at %s: %w", url, err)
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func runGethLoad(ctx context.Context, cfg *Config, p *proc, httpURL, wsURL string, res *Result) error {
	c, chainID, err := gethWaitReady(ctx, p, httpURL)
	if err != nil {
		return err
	}
	defer c.Close()
	cfg.logf("geth: pid %d ready at %s (chain id %s)", p.PID(), httpURL, chainID)
	signer := types.LatestSignerForChainID(chainID)
	dev, err := crypto.HexToECDSA(gethDevKey)
	if err != nil {
		return err
	}
	devAddr := crypto.PubkeyToAddress(dev.PublicKey)
	if bal, err := c.BalanceAt(ctx, devAddr); err != nil {
		return err
	} else if bal.Sign() == 0 {
		return fmt.Errorf("bench: geth's developer account %s has no balance", devAddr)
	}
	head, err := c.BlockByNumber(ctx, nil)
	if err != nil {
		return err
	}
	feeCap := new(big.Int).Mul(gwei, big.NewInt(10))
	if head.BaseFee != nil {
		feeCap = bigMax(feeCap, new(big.Int).Mul(head.BaseFee.ToInt(), big.NewInt(4)))
	}
	feeCap.Add(feeCap, gethTip)

	K, M := cfg.Senders, cfg.PerSender
	senders := make([]*ecdsa.PrivateKey, K)
	for i := range senders {
		if senders[i], err = crypto.GenerateKey(); err != nil {
			return err
		}
	}
	perTx := new(big.Int).Add(gethTransferValue, new(big.Int).Mul(feeCap, big.NewInt(gethTransferGas)))
	fund := new(big.Int).Mul(perTx, big.NewInt(int64(M)))
	fund.Add(fund, new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)) // + 1 ETH slack
	cfg.logf("geth: funding %d senders", K)
	if err := gethFund(ctx, c, signer, dev, senders, fund, feeCap); err != nil {
		return err
	}

	// Pre-sign the load.
	receivers := make([][]common.Address, K)
	txs := make([][]*types.Transaction, K)
	for s := range K {
		receivers[s] = make([]common.Address, M)
		txs[s] = make([]*types.Transaction, M)
		for i := range M {
			k, err := crypto.GenerateKey()
			if err != nil {
				return err
			}
			receivers[s][i] = crypto.PubkeyToAddress(k.PublicKey)
			to := receivers[s][i]
			txs[s][i], err = types.SignNewTx(senders[s], signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: uint64(i),
				GasTipCap: gethTip, GasFeeCap: feeCap, Gas: gethTransferGas, To: &to, Value: gethTransferValue})
			if err != nil {
				return err
			}
		}
	}
	conns := make([]*ethRPC, K)
	for s := range K {
		if conns[s], err = dialEth(ctx, wsURL); err != nil {
			return err
		}
		defer conns[s].Close()
	}
	recs := make([][]txRec, K)
	byHash := make(map[common.Hash]*txRec, K*M)
	for s := range K {
		recs[s] = make([]txRec, M)
		for i := range M {
			byHash[txs[s][i].Hash()] = &recs[s][i]
		}
	}

	time.Sleep(2 * cfg.BlockTime)
	idle, err := ReadMem(p.PID())
	if err != nil {
		return err
	}
	res.RSSIdleKiB = idle.RSS
	head, err = c.BlockByNumber(ctx, nil)
	if err != nil {
		return err
	}

	cfg.logf("geth: load: %d senders × %d transfers", K, M)
	lctx, cancel := context.WithTimeout(ctx, cfg.LoadTimeout)
	defer cancel()
	sampler := startRSSSampler(p.PID(), 100*time.Millisecond)
	var included atomic.Int64
	watchErr := make(chan error, 1)
	wctx, wcancel := context.WithCancel(lctx)
	defer wcancel()
	watchDone := make(chan struct{})
	wsc, err := dialEth(ctx, wsURL)
	if err != nil {
		return err
	}
	defer wsc.Close()
	sub, err := wsc.SubscribeNewHeads(ctx)
	if err != nil {
		return err
	}
	go func() {
		defer close(watchDone)
		watchErr <- gethWatch(wctx, wsc, sub, head.Number.ToInt().Uint64(), byHash, &included)
	}()

	var accepted atomic.Int64
	var senderWG sync.WaitGroup
	start := make(chan struct{})
	for s := range K {
		senderWG.Add(1)
		go func() {
			defer senderWG.Done()
			<-start
			for i := range M {
				r := &recs[s][i]
				r.sent = time.Now()
				if err := conns[s].SendTransaction(lctx, txs[s][i]); err != nil {
					r.failed = "send: " + err.Error()
					return
				}
				r.accepted = true
				accepted.Add(1)
			}
		}()
	}
	close(start)
	senderWG.Wait()
	cfg.logf("geth: all sent; waiting for inclusion")
	werr := waitLoad(lctx, nil, watchErr, &included, accepted.Load(), 0)
	wcancel()
	<-watchDone
	res.RSSPeakKiB = sampler.Stop()
	if end, err := ReadMem(p.PID()); err == nil {
		res.HWMKiB = end.HWM
	}
	if werr != "" {
		res.Notes = append(res.Notes, werr)
	}
	fillFigures(res, recs)
	addFailureNotes(res, recs)
	cfg.logf("geth: %d mined in %s (%.1f tx/s)", res.Included, res.Duration.Round(time.Millisecond), res.TPS)

	vctx, vcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer vcancel()
	var verified atomic.Int64
	var wg sync.WaitGroup
	for s := range K {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range M {
				if recs[s][i].final.IsZero() {
					continue
				}
				if bal, err := conns[s].BalanceAt(vctx, receivers[s][i]); err == nil && bal.Cmp(gethTransferValue) == 0 {
					verified.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	res.Verified = int(verified.Load())
	return nil
}

// gethWatch records, for every block after from, when the client learnt
// of it (its new-head notification) against the load transactions it
// holds. Blocks whose notifications were skipped are fetched by number.
func gethWatch(ctx context.Context, c *ethRPC, sub *rpcclient.Subscription,
	from uint64, byHash map[common.Hash]*txRec, included *atomic.Int64) error {
	next := from + 1
	for {
		raw, err := sub.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("head subscription: %w", err)
		}
		seen := time.Now()
		number, err := headNumber(raw)
		if err != nil {
			return err
		}
		for ; next <= number; next++ {
			b, err := c.BlockByNumber(ctx, new(big.Int).SetUint64(next))
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("block %d: %w", next, err)
			}
			for _, h := range b.Transactions {
				if r := byHash[h]; r != nil && r.final.IsZero() {
					r.included, r.final, r.block = seen, seen, b.Hash.Hex()
					included.Add(1)
				}
			}
		}
	}
}

// gethFund sends fund wei to every sender from the developer account and
// waits for the receipts.
func gethFund(ctx context.Context, c *ethRPC, signer types.Signer, dev *ecdsa.PrivateKey,
	senders []*ecdsa.PrivateKey, fund, feeCap *big.Int) error {
	fctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	devAddr := crypto.PubkeyToAddress(dev.PublicKey)
	nonce, err := c.PendingNonceAt(fctx, devAddr)
	if err != nil {
		return err
	}
	hashes := make([]common.Hash, len(senders))
	for i, k := range senders {
		to := crypto.PubkeyToAddress(k.PublicKey)
		tx, err := types.SignNewTx(dev, signer, &types.DynamicFeeTx{ChainID: signer.ChainID(), Nonce: nonce + uint64(i),
			GasTipCap: gethTip, GasFeeCap: feeCap, Gas: gethTransferGas, To: &to, Value: fund})
		if err != nil {
			return err
		}
		if err := c.SendTransaction(fctx, tx); err != nil {
			return fmt.Errorf("bench: funding geth sender %d: %w", i, err)
		}
		hashes[i] = tx.Hash()
	}
	for i, h := range hashes {
		for {
			status, err := c.ReceiptStatus(fctx, h)
			if err == nil {
				if status != types.ReceiptStatusSuccessful {
					return fmt.Errorf("bench: funding geth sender %d failed", i)
				}
				break
			}
			select {
			case <-fctx.Done():
				return fmt.Errorf("bench: funding geth sender %d: no receipt: %w", i, err)
			case <-time.After(200 * time.Millisecond):
			}
		}
	}
	return nil
}

func bigMax(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return a
	}
	return b
}
