package jobs_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
)

// Two limiters (two worker processes) sharing one Redis never have more
// than the limit of calls in flight to the environment.
func TestLimiterCapsCallsAcrossProcesses(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			var inFlight, peak atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := inFlight.Add(1)
				for {
					p := peak.Load()
					if n <= p || peak.CompareAndSwap(p, n) {
						break
					}
				}
				time.Sleep(10 * time.Millisecond)
				inFlight.Add(-1)
				_, _ = io.WriteString(w, "ok")
			}))
			defer srv.Close()

			const limit = 3
			var wg sync.WaitGroup
			var failures atomic.Int32
			for p := range 2 {
				l := jobs.NewLimiter(b.redis, b.ns, time.Minute)
				client := &http.Client{Transport: l.Transport(http.DefaultTransport, "uat-"+b.name, limit)}
				for range 6 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for range 5 {
							res, err := client.Get(srv.URL + "/?p=" + string(rune('a'+p)))
							if err != nil {
								failures.Add(1)
								continue
							}
							_, _ = io.Copy(io.Discard, res.Body)
							_ = res.Body.Close()
						}
					}()
				}
			}
			wg.Wait()
			if failures.Load() != 0 {
				t.Fatalf("%d calls failed", failures.Load())
			}
			if peak.Load() > limit {
				t.Errorf("peak calls in flight = %d, limit %d", peak.Load(), limit)
			}
			if peak.Load() < 2 {
				t.Errorf("peak calls in flight = %d: calls never overlapped, the test proves nothing", peak.Load())
			}
			if n, _ := jobs.NewLimiter(b.redis, b.ns, time.Minute).InFlight(context.Background(), "uat-"+b.name); n != 0 {
				t.Errorf("%d slots still held after every response was closed", n)
			}
		})
	}
}

// A slot whose holder died is freed when its lease runs out.
func TestLimiterLeaseExpires(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			l := jobs.NewLimiter(b.redis, b.ns, 300*time.Millisecond)
			ctx := context.Background()
			if _, err := l.Acquire(ctx, "uat", 1); err != nil { // never released: its holder "crashed"
				t.Fatal(err)
			}
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			defer cancel()
			if _, err := l.Acquire(short, "uat", 1); err == nil {
				t.Fatal("a second slot was given while the limit was held")
			}
			release, err := l.Acquire(ctx, "uat", 1)
			if err != nil {
				t.Fatalf("slot not freed after the lease: %v", err)
			}
			release()
		})
	}
}
