package uatsim

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// countingTransport counts the HTTP calls a benchmark makes.
type countingTransport struct {
	next  http.RoundTripper
	calls atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls.Add(1)
	return c.next.RoundTrip(r)
}

// BenchmarkStandardAccount builds complete standard accounts over real HTTP
// (loopback) in parallel, with no injected latency and a 1 ms depository, and
// reports calls per second.
func BenchmarkStandardAccount(b *testing.B) {
	opts := testOptions()
	opts.DepositoryDelay = time.Millisecond
	sim := New(opts)
	srv := httptest.NewServer(sim.Handler())
	defer srv.Close()
	defer sim.Close()
	tr := &countingTransport{next: &http.Transport{MaxIdleConnsPerHost: 64}}
	e := &testEnv{t: b, sim: sim, base: srv.URL, client: &http.Client{Transport: tr}}
	e.token = e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword}).ok(b).str("token")
	var n atomic.Int64
	tr.calls.Store(0)
	b.SetParallelism(4)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			birth := time.Date(1960, 1, 1, 0, 0, 0, 0, chinaTime).AddDate(0, 0, int(i/1000)).Format(dateLayout)
			id := makeID(fmt.Sprintf("110%03d", i%1000), birth, "123")
			e.buildStandard(id, "压测", "D")
		}
	})
	elapsed := time.Since(start)
	b.StopTimer()
	calls := tr.calls.Load()
	b.ReportMetric(float64(calls)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/account")
}
