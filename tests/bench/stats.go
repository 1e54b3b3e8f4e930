package bench

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of ds by the
// nearest-rank method: the smallest value such that at least p% of the
// values are less than or equal to it. ds need not be sorted (it is not
// modified). It returns 0 for an empty slice.
func Percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return percentileSorted(s, p)
}

func percentileSorted(s []time.Duration, p float64) time.Duration {
	if len(s) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(s))))
	rank = max(1, min(rank, len(s)))
	return s[rank-1]
}

// LatencySummary is the distribution of a set of latencies.
type LatencySummary struct {
	N           int
	Min, Median time.Duration
	P99, Max    time.Duration
}

// Summarize sorts a copy of ds and returns its summary (median and p99 by
// nearest rank).
func Summarize(ds []time.Duration) LatencySummary {
	if len(ds) == 0 {
		return LatencySummary{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return LatencySummary{N: len(s), Min: s[0], Median: percentileSorted(s, 50),
		P99: percentileSorted(s, 99), Max: s[len(s)-1]}
}

// MemStatus is the memory of a process from /proc/PID/status, in KiB.
type MemStatus struct {
	RSS uint64 // VmRSS: resident set size now
	HWM uint64 // VmHWM: peak resident set size over the process's life
}

// ParseProcStatus reads the VmRSS and VmHWM lines of a /proc/PID/status
// file ("VmRSS:\t   12345 kB"). Both must be present.
func ParseProcStatus(r io.Reader) (MemStatus, error) {
	var m MemStatus
	var haveRSS, haveHWM bool
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(rest)
		if len(f) != 2 || f[1] != "kB" {
			return MemStatus{}, fmt.Errorf("bench: bad %s line %q", key, sc.Text())
		}
		v, err := strconv.ParseUint(f[0], 10, 64)
		if err != nil {
			return MemStatus{}, fmt.Errorf("bench: bad %s value %q: %w", key, f[0], err)
		}
		if key == "VmRSS" {
			m.RSS, haveRSS = v, true
		} else {
			m.HWM, haveHWM = v, true
		}
	}
	if err := sc.Err(); err != nil {
		return MemStatus{}, err
	}
	if !haveRSS || !haveHWM {
		return MemStatus{}, fmt.Errorf("bench: VmRSS/VmHWM missing from process status (kernel thread or exited process?)")
	}
	return m, nil
}

// ReadMem reads /proc/PID/status of pid.
func ReadMem(pid int) (MemStatus, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return MemStatus{}, err
	}
	defer f.Close()
	return ParseProcStatus(f)
}

// rssSampler samples a process's VmRSS at a fixed interval and keeps the
// largest value seen.
type rssSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
	n    int
}

func startRSSSampler(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := func() {
		if m, err := ReadMem(pid); err == nil {
			s.peak = max(s.peak, m.RSS)
			s.n++
		}
	}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		sample()
		for {
			select {
			case <-s.stop:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peak VmRSS (KiB) seen.
func (s *rssSampler) Stop() uint64 {
	close(s.stop)
	<-s.done
	return s.peak
}
