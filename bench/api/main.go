// Command api measures POST /api/v1/runs under a steady open-loop load: it
// sends requests at a fixed rate whether or not earlier ones have been
// answered (so a slow server cannot slow the sender down and hide its own
// latency), and reports throughput, latency percentiles and errors.
//
// By default it builds and starts an all-in-one zaoshu server of its own,
// in a temporary directory, with one worker (the queued builds then barely
// use the CPU the API needs) and a per-token rate limit above the load:
//
//	go run ./bench/api -rate 200 -duration 20s
//
// With ZAOSHU_SERVER and ZAOSHU_TOKEN set it loads that server instead
// (whose API rate limit must allow the rate).
package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

type config struct {
	rate     int
	duration time.Duration
	warmup   time.Duration
	workers  int
	workflow string
	env      string
	target   time.Duration
	timeline bool
}

func main() {
	var c config
	flag.IntVar(&c.rate, "rate", 200, "requests per second, sent at a steady pace")
	flag.DurationVar(&c.duration, "duration", 20*time.Second, "how long to measure")
	flag.DurationVar(&c.warmup, "warmup", 2*time.Second, "load sent first and not measured")
	flag.IntVar(&c.workers, "worker-concurrency", 1, "builds the started server runs at once (not used with ZAOSHU_SERVER)")
	flag.StringVar(&c.workflow, "workflow", "standard-account", "workflow of the requested builds")
	flag.StringVar(&c.env, "env", "uat-sim", "environment of the requested builds")
	flag.DurationVar(&c.target, "target-p99", 20*time.Millisecond, "p99 latency the API should stay under")
	flag.BoolVar(&c.timeline, "timeline", false, "also print p50/p99/max of each second of the load, to tell a growing queue from spikes")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c, os.Stdout); err != nil {
		fmt.Fprintf(os.Stderr, "bench/api: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config, out io.Writer) error {
	url, token := os.Getenv("ZAOSHU_SERVER"), os.Getenv("ZAOSHU_TOKEN")
	if url == "" {
		srv, err := startServer(ctx, c.workers, c.rate)
		if err != nil {
			return err
		}
		defer srv.stop()
		url, token = srv.url, srv.token
		fmt.Fprintf(out, "server     %s (all-in-one, SQLite, embedded Redis, worker concurrency %d)\n", url, c.workers)
	} else {
		fmt.Fprintf(out, "server     %s\n", url)
	}
	body := fmt.Appendf(nil, `{"workflow": %q, "environment": %q, "labels": ["bench"]}`, c.workflow, c.env)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4 * c.rate, MaxIdleConns: 4 * c.rate}}
	send := func(ctx context.Context) (int, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(url, "/")+"/api/v1/runs", bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		defer res.Body.Close()
		_, err = io.Copy(io.Discard, res.Body)
		return res.StatusCode, err
	}
	if _, err := load(ctx, c.rate, c.warmup, send); err != nil {
		return fmt.Errorf("warm up: %w", err)
	}
	res, err := load(ctx, c.rate, c.duration, send)
	if err != nil {
		return err
	}
	res.print(out, c)
	return nil
}

// result is what one load phase saw.
type result struct {
	sent      int
	elapsed   time.Duration // first send to last answer
	latencies []time.Duration
	bySecond  map[int][]time.Duration // answered latencies by the second they were sent in
	statuses  map[int]int
	errors    map[string]int
}

// load sends rate requests a second for d, each at its scheduled moment in
// its own goroutine; latency counts from the scheduled moment, so a sender
// that falls behind is charged to the figure rather than hiding it.
func load(ctx context.Context, rate int, d time.Duration, send func(context.Context) (int, error)) (*result, error) {
	interval := time.Second / time.Duration(rate)
	n := int(d / interval)
	r := &result{bySecond: map[int][]time.Duration{}, statuses: map[int]int{}, errors: map[string]int{}}
	var mu sync.Mutex
	var wg sync.WaitGroup
	begin := time.Now()
	for i := range n {
		at := begin.Add(time.Duration(i) * interval)
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Until(at)):
		}
		r.sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, err := send(ctx)
			took := time.Since(at)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				r.errors[err.Error()]++
			case status != http.StatusAccepted:
				r.statuses[status]++
			default:
				r.latencies = append(r.latencies, took)
				sec := int(at.Sub(begin) / time.Second)
				r.bySecond[sec] = append(r.bySecond[sec], took)
			}
		}()
	}
	wg.Wait()
	r.elapsed = time.Since(begin)
	return r, nil
}

// percentile of sorted latencies.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(p*float64(len(sorted))))]
}

func (r *result) print(out io.Writer, c config) {
	slices.Sort(r.latencies)
	pct := func(p float64) time.Duration { return percentile(r.latencies, p) }
	ok := len(r.latencies)
	fmt.Fprintf(out, "load       POST /api/v1/runs (%s @ %s), %d/s for %s, open loop\n", c.workflow, c.env, c.rate, c.duration)
	fmt.Fprintf(out, "sent       %d, answered 202: %d, other statuses: %v, errors: %d\n", r.sent, ok, r.statuses, len(r.errors))
	for msg, n := range r.errors {
		fmt.Fprintf(out, "  error    %d× %s\n", n, msg)
	}
	fmt.Fprintf(out, "throughput %.1f runs created/s\n", float64(ok)/r.elapsed.Seconds())
	fmt.Fprintf(out, "latency    p50 %s  p95 %s  p99 %s  max %s\n", ms(pct(0.50)), ms(pct(0.95)), ms(pct(0.99)), ms(pct(1)))
	if c.timeline {
		for sec := 0; sec <= int(c.duration/time.Second); sec++ {
			l := r.bySecond[sec]
			if len(l) == 0 {
				continue
			}
			slices.Sort(l)
			fmt.Fprintf(out, "  second %2d  %3d answered  p50 %s  p99 %s  max %s\n", sec, len(l), ms(percentile(l, 0.5)), ms(percentile(l, 0.99)), ms(percentile(l, 1)))
		}
	}
	verdict := "met"
	if pct(0.99) >= c.target || ok < r.sent {
		verdict = "NOT met"
	}
	fmt.Fprintf(out, "target     p99 under %s with no errors: %s\n", c.target, verdict)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

// server is an all-in-one zaoshu started for the benchmark.
type server struct {
	cmd     *exec.Cmd
	dir     string
	url     string
	token   string
	logPath string
	log     *os.File
}

// startServer builds zaoshu from this module and starts it on free ports in
// a temporary directory, with the API rate limit above the load.
func startServer(ctx context.Context, workers, rate int) (*server, error) {
	dir, err := os.MkdirTemp("", "zaoshu-bench-api-")
	if err != nil {
		return nil, fmt.Errorf("make a directory for the server: %w", err)
	}
	s := &server{dir: dir, logPath: filepath.Join(dir, "zaoshu.log")}
	mod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil || strings.TrimSpace(string(mod)) == "" {
		return nil, fmt.Errorf("find the zaoshu module (run from inside it): %v", err)
	}
	bin := filepath.Join(dir, "zaoshu")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/zaoshu")
	build.Dir = filepath.Dir(strings.TrimSpace(string(mod)))
	if b, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build zaoshu: %v\n%s", err, b)
	}
	if s.log, err = os.Create(s.logPath); err != nil {
		return nil, fmt.Errorf("create the server log: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	simAddr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(bin, "--addr", addr, "--sim-addr", simAddr,
		"--worker-concurrency", fmt.Sprint(workers), "--api-rate", fmt.Sprint(4*rate))
	s.cmd.Dir = dir
	s.cmd.Stderr = s.log
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start zaoshu: %w", err)
	}
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start zaoshu: %w", err)
	}
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	timeout := time.After(time.Minute)
	for s.url == "" || s.token == "" {
		select {
		case line, ok := <-lines:
			if !ok {
				err := fmt.Errorf("zaoshu exited before it was ready:\n%s", s.logTail())
				s.stop()
				return nil, err
			}
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "open" {
				s.url = strings.TrimRight(f[1], "/")
			} else if len(f) >= 2 && f[0] == "token" {
				s.token = f[1]
			}
		case <-timeout:
			err := fmt.Errorf("zaoshu did not print its URL and token within a minute:\n%s", s.logTail())
			s.stop()
			return nil, err
		}
	}
	go func() {
		for range lines { // keep the pipe drained
		}
	}()
	return s, nil
}

// logTail is the end of the server's log, to show why it did not start.
func (s *server) logTail() string {
	b, _ := os.ReadFile(s.logPath)
	return string(b[max(0, len(b)-2000):])
}

func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// stop ends the server and removes its directory (database and log).
func (s *server) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-done
		}
	}
	if s.log != nil {
		_ = s.log.Close()
	}
	_ = os.RemoveAll(s.dir)
}
