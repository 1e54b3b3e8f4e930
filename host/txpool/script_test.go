package txpool

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/metamars/mars/runtime/types"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/*.txt expectations with the actual output")

// TestScripts runs the datadriven-style scripts in testdata/: each case is
// a command, "----", and the expected output up to a blank line. Run with
// -rewrite to regenerate the expectations after a deliberate change.
//
// Commands:
//
//	config ready=N future=N readybytes=N futurebytes=N sender=N ban=SECONDS   (fresh pool)
//	submit ID [p=N] [r=a,b] [v=c] [l=N] [bad=K] [unk=K] [src=inblock|local]   (watched)
//	ready | stats | watch ID... | chain TAG... | invalid ID... | advance SECONDS
//	prune NUM ID... | revalidate NUM | included NUM ID... | finalized NUM | retracted NUM
func TestScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scripts: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runScript(t, file) })
	}
}

type scriptCase struct {
	pre       string // comment lines before the command, kept by -rewrite
	cmd, want string
	line      int
}

func parseScript(t *testing.T, file string) []scriptCase {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []scriptCase
	var cur *scriptCase
	var pre string
	inWant := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case cur == nil && strings.HasPrefix(line, "#"):
			pre += line + "\n"
		case cur == nil && line == "":
		case cur == nil:
			cases = append(cases, scriptCase{pre: pre, cmd: line, line: n})
			pre = ""
			cur = &cases[len(cases)-1]
		case !inWant && line == "----":
			inWant = true
		case !inWant:
			t.Fatalf("%s:%d: expected ----", file, n)
		case line == "":
			cur, inWant = nil, false
		default:
			cur.want += line + "\n"
		}
	}
	return cases
}

func runScript(t *testing.T, file string) {
	cases := parseScript(t, file)
	s := &scriptRun{t: t, h: newHarness(t, Config{}), exts: map[string][]byte{}, watchers: map[string]*Watcher{}}
	var out strings.Builder
	for i := range cases {
		c := &cases[i]
		got := s.run(c.cmd)
		checkInvariants(t, s.h.pool)
		if got != "" && !strings.HasSuffix(got, "\n") {
			got += "\n"
		}
		if *rewrite {
			c.want = got
		} else if got != c.want {
			t.Errorf("%s:%d: %s\ngot:\n%swant:\n%s", file, c.line, c.cmd, got, c.want)
		}
		fmt.Fprintf(&out, "%s%s\n----\n%s\n", c.pre, c.cmd, c.want)
	}
	if *rewrite {
		text := strings.TrimSuffix(out.String(), "\n")
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

type scriptRun struct {
	t        *testing.T
	h        *harness
	exts     map[string][]byte
	watchers map[string]*Watcher
}

func (s *scriptRun) name(h types.Hash) string {
	for id, ext := range s.exts {
		if hashOf(ext) == h {
			return id
		}
	}
	if h[0] != 0 && [31]byte(h[1:]) == [31]byte{} {
		return "b" + strconv.Itoa(int(h[0]))
	}
	return h.Hex()
}

func blockHash(num string) (types.Hash, types.BlockNumber) {
	n, _ := strconv.Atoi(num)
	return types.Hash{byte(n)}, types.BlockNumber(n)
}

func (s *scriptRun) run(cmd string) string {
	f := strings.Fields(cmd)
	if len(f) == 0 {
		return "error: empty command"
	}
	args := f[1:]
	ctx := context.Background()
	switch f[0] {
	case "config":
		var cfg Config
		for _, a := range args {
			k, v, _ := strings.Cut(a, "=")
			n, _ := strconv.Atoi(v)
			switch k {
			case "ready":
				cfg.ReadyCount = n
			case "future":
				cfg.FutureCount = n
			case "readybytes":
				cfg.ReadyBytes = n
			case "futurebytes":
				cfg.FutureBytes = n
			case "ban":
				cfg.BanTime = time.Duration(n) * time.Second
			case "sender":
				cfg.MaxPerSender = n
				cfg.Sender = func(ext []byte) (string, bool) {
					m, _ := parseFake(ext)
					v, ok := m["s"]
					return v, ok
				}
			}
		}
		s.h = newHarness(s.t, cfg)
		return "ok"
	case "submit":
		if len(args) == 0 {
			return "error: submit needs an id"
		}
		src := types.SourceExternal
		parts := []string{"id=" + args[0]}
		for _, a := range args[1:] {
			switch a {
			case "src=inblock":
				src = types.SourceInBlock
			case "src=local":
				src = types.SourceLocal
			default:
				parts = append(parts, a)
			}
		}
		ext := []byte(strings.Join(parts, ";"))
		s.exts[args[0]] = ext
		w, err := s.h.pool.SubmitAndWatch(ctx, src, ext)
		if err != nil {
			var ve *ValidityError
			if errors.As(err, &ve) {
				return "error: " + ve.Err.Error()
			}
			return "error: " + strings.SplitN(strings.TrimPrefix(err.Error(), "txpool: "), ":", 2)[0]
		}
		if old := s.watchers[args[0]]; old != nil {
			old.Stop()
		}
		s.watchers[args[0]] = w
		tx, _ := s.h.pool.Get(w.Hash())
		if tx.Ready {
			return "ok ready"
		}
		return "ok future"
	case "ready":
		return strings.Join(s.h.readyIDs(), " ")
	case "stats":
		st := s.h.pool.Stats()
		return fmt.Sprintf("ready=%d future=%d", st.Ready, st.Future)
	case "watch":
		var lines []string
		for _, id := range args {
			w := s.watchers[id]
			if w == nil {
				lines = append(lines, id+": not watched")
				continue
			}
			var got []string
			closed := false
		loop:
			for {
				select {
				case st, ok := <-w.Updates():
					if !ok {
						closed = true
						break loop
					}
					if st.Hash.IsZero() {
						got = append(got, st.Kind.String())
					} else {
						got = append(got, st.Kind.String()+"("+s.name(st.Hash)+")")
					}
				default:
					break loop
				}
			}
			line := id + ": " + strings.Join(got, " ")
			if closed {
				line += " [end]"
			}
			lines = append(lines, strings.TrimRight(line, " "))
		}
		return strings.Join(lines, "\n")
	case "chain":
		s.h.chain.provide(args...)
		return "ok"
	case "invalid":
		for _, id := range args {
			s.h.pool.RemoveInvalid(hashOf(s.exts[id]))
		}
		return "ok"
	case "advance":
		n, _ := strconv.Atoi(firstArg(args))
		s.h.clock.advance(time.Duration(n) * time.Second)
		return "ok"
	case "prune":
		hash, num := blockHash(firstArg(args))
		var exts [][]byte
		for _, id := range args[1:] {
			exts = append(exts, s.exts[id])
		}
		s.h.pool.Prune(hash, num, exts)
		return "ok"
	case "revalidate":
		hash, num := blockHash(firstArg(args))
		n, err := s.h.pool.Revalidate(ctx, hash, num)
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprintf("removed %d", n)
	case "included":
		hash, _ := blockHash(firstArg(args))
		var hs []types.Hash
		for _, id := range args[1:] {
			hs = append(hs, hashOf(s.exts[id]))
		}
		s.h.pool.BlockIncluded(hash, hs)
		return "ok"
	case "finalized":
		hash, _ := blockHash(firstArg(args))
		s.h.pool.BlockFinalized(hash)
		return "ok"
	case "retracted":
		hash, _ := blockHash(firstArg(args))
		s.h.pool.BlockRetracted(hash)
		return "ok"
	}
	return "error: unknown command " + f[0]
}

func firstArg(args []string) string {
	if len(args) == 0 {
		return "0"
	}
	return args[0]
}
