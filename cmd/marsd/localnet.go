package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/metamars/mars/host/keystore"
)

// devValidatorNames are the secret URIs' names (//Alice …) of the first
// validators of a dev network; further ones are //Validator7, //Validator8, …
var devValidatorNames = []string{"Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie"}

// devValidatorURI is the secret URI of validator i (0-based) of a dev network.
func devValidatorURI(i int) string {
	if i < len(devValidatorNames) {
		return "//" + devValidatorNames[i]
	}
	return fmt.Sprintf("//Validator%d", i+1)
}

// insertDevSessionKeys puts validator i's Aura (sr25519) and GRANDPA
// (ed25519) dev keys into the keystore under base.
func insertDevSessionKeys(base string, i int) error {
	ks, err := keystore.Open(base)
	if err != nil {
		return err
	}
	uri := devValidatorURI(i)
	if _, err := ks.Insert(keystore.KeyTypeAura, uri, keystore.Sr25519); err != nil {
		return err
	}
	_, err = ks.Insert(keystore.KeyTypeGrandpa, uri, keystore.Ed25519)
	return err
}

type localnetFlags struct {
	validators int
	fullNodes  int
	basePath   string
	fullSync   string
}

func newLocalnetCmd() *cobra.Command {
	var f localnetFlags
	cmd := &cobra.Command{
		Use:   "localnet --validators N [--full-nodes M] --base-path DIR",
		Short: "Start a local network of N validators and M full nodes as separate processes on loopback",
		Long: `Builds a chain spec with N dev validators (//Alice, //Bob, … with their Aura and
GRANDPA keys) unless DIR/spec.json exists, starts N validators and M full nodes,
each a separate marsd process with its own base path under DIR and free ports on
127.0.0.1, connected through the first validator as bootnode, prints their RPC
endpoints and stops them all on Ctrl-C. Logs go to DIR/<node>.log.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runLocalnet(cmd.Context(), cmd.OutOrStdout(), f) },
	}
	cmd.Flags().IntVar(&f.validators, "validators", 4, "number of validators")
	cmd.Flags().IntVar(&f.fullNodes, "full-nodes", 0, "number of full nodes")
	cmd.Flags().StringVar(&f.basePath, "base-path", "", "folder of the network (spec, node folders, logs) (required)")
	cmd.Flags().StringVar(&f.fullSync, "full-sync", "full", "sync mode of the full nodes: full or warp")
	_ = cmd.MarkFlagRequired("base-path")
	return cmd
}

var (
	reNetStarted = regexp.MustCompile(`msg="network started" peer_id=(\S+) addrs="?\[([^\]]*)\]`)
	reRunning    = regexp.MustCompile(`msg="node running".* rpc=(ws://\S+)`)
)

// child is one node process of the local network.
type child struct {
	name   string
	cmd    *exec.Cmd
	logf   *os.File
	peerID string
	addrs  []string
	rpc    string
	ready  chan struct{} // closed once rpc is known
	netUp  chan struct{} // closed once peerID/addrs are known
	exited chan struct{}
}

func runLocalnet(ctx context.Context, out io.Writer, f localnetFlags) error {
	if f.validators < 1 || f.validators > 64 {
		return fmt.Errorf("--validators must be 1…64, not %d", f.validators)
	}
	if f.fullNodes < 0 || f.fullNodes > 64 {
		return fmt.Errorf("--full-nodes must be 0…64, not %d", f.fullNodes)
	}
	if err := os.MkdirAll(f.basePath, 0o700); err != nil {
		return err
	}
	spec := filepath.Join(f.basePath, "spec.json")
	if _, err := os.Stat(spec); errors.Is(err, os.ErrNotExist) {
		b, err := buildValidatorsSpec(ctx, f.validators)
		if err != nil {
			return err
		}
		if err := writeFileAtomic(spec, b); err != nil {
			return err
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	var children []*child
	defer stopChildren(&children)
	start := func(name, role string, extra ...string) (*child, error) {
		base := filepath.Join(f.basePath, name)
		args := append([]string{role, "--chain", spec, "--base-path", base, "--listen-addr", "/ip4/127.0.0.1/tcp/0,/ip4/127.0.0.1/udp/0/quic-v1", "--rpc-port", "0"}, extra...)
		if len(children) > 0 && len(children[0].addrs) > 0 {
			args = append(args, "--bootnodes", children[0].addrs[0])
		}
		c, err := startChild(ctx, self, name, filepath.Join(f.basePath, name+".log"), args)
		if err != nil {
			return nil, err
		}
		children = append(children, c)
		select {
		case <-c.netUp:
		case <-c.exited:
			return nil, fmt.Errorf("%s exited during start-up; see %s", name, c.logf.Name())
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(60 * time.Second):
			return nil, fmt.Errorf("%s did not start its network within 60 s; see %s", name, c.logf.Name())
		}
		return c, nil
	}
	for i := 0; i < f.validators; i++ {
		name := fmt.Sprintf("validator-%d", i+1)
		if err := insertDevSessionKeys(filepath.Join(f.basePath, name), i); err != nil {
			return err
		}
		if _, err := start(name, "validator"); err != nil {
			return err
		}
	}
	for i := 0; i < f.fullNodes; i++ {
		if _, err := start(fmt.Sprintf("full-%d", i+1), "full", "--sync", f.fullSync); err != nil {
			return err
		}
	}
	for _, c := range children {
		select {
		case <-c.ready:
		case <-c.exited:
			return fmt.Errorf("%s exited; see %s", c.name, c.logf.Name())
		case <-ctx.Done():
			return nil
		}
	}
	fmt.Fprintf(out, "local network of %d validators and %d full nodes (chain spec %s):\n", f.validators, f.fullNodes, spec)
	for _, c := range children {
		fmt.Fprintf(out, "  %-13s rpc %-28s peer %s  log %s\n", c.name, c.rpc, c.peerID, c.logf.Name())
	}
	fmt.Fprintln(out, "Ctrl-C stops them all.")
	for {
		select {
		case <-ctx.Done():
			return nil
		default:
		}
		for _, c := range children {
			select {
			case <-c.exited:
				return fmt.Errorf("%s exited unexpectedly; see %s", c.name, c.logf.Name())
			default:
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
}

func startChild(ctx context.Context, bin, name, logPath string, args []string) (*child, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	c := &child{name: name, logf: logf, ready: make(chan struct{}), netUp: make(chan struct{}), exited: make(chan struct{})}
	c.cmd = exec.Command(bin, args...)
	pr, pw := io.Pipe()
	c.cmd.Stdout, c.cmd.Stderr = pw, pw
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // Ctrl-C reaches us; we stop them
	if err := c.cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	go func() {
		_ = c.cmd.Wait()
		pw.Close()
		close(c.exited)
	}()
	go func() {
		var once1, once2 sync.Once
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		// Whatever happens to the scanner (a line over its limit), the
		// pipe keeps being drained: a child blocked on a full pipe would
		// stop authoring.
		defer io.Copy(logf, pr)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(logf, line)
			if m := reNetStarted.FindStringSubmatch(line); m != nil {
				once1.Do(func() {
					c.peerID = m[1]
					c.addrs = strings.Fields(strings.ReplaceAll(m[2], ",", " "))
					close(c.netUp)
				})
			}
			if m := reRunning.FindStringSubmatch(line); m != nil {
				once2.Do(func() { c.rpc = m[1]; close(c.ready) })
			}
		}
	}()
	return c, nil
}

// stopChildren sends SIGINT to every child, then SIGKILL to those still
// running after 15 s.
func stopChildren(children *[]*child) {
	for _, c := range *children {
		_ = c.cmd.Process.Signal(syscall.SIGINT)
	}
	deadline := time.After(15 * time.Second)
	for _, c := range *children {
		select {
		case <-c.exited:
		case <-deadline:
			_ = c.cmd.Process.Kill()
			<-c.exited
		}
		c.logf.Close()
	}
}
