package workflows

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// benchFlow is a chain of steps like a real build: each sends JSON built from
// the previous step's capture, checks the answer and captures from it.
func benchFlow(steps int) string {
	var b strings.Builder
	b.WriteString("name: bench\nservices:\n  account: {success: \"body.code == '0'\", message: body.msg}\ninputs:\n  name: {type: string, default: 张三}\nsteps:\n")
	for i := 0; i < steps; i++ {
		fmt.Fprintf(&b, "  - id: s%d\n    request:\n      service: account\n      method: POST\n      path: /api/s%d\n", i, i)
		if i == 0 {
			b.WriteString("      json: {name: \"${{ inputs.name }}\"}\n")
		} else {
			fmt.Fprintf(&b, "      headers: {Authorization: \"Bearer ${{ steps.s%d.token }}\"}\n      json: {prev: \"${{ steps.s%d.token }}\", name: \"${{ inputs.name }}\"}\n", i-1, i-1)
		}
		b.WriteString("    expect: [\"status == 200\"]\n    capture: {token: body.data.token}\n")
	}
	return b.String()
}

// benchServer answers at once, or, while hold holds an open channel, when it closes.
func benchServer(b *testing.B, hold *atomic.Pointer[chan struct{}]) *httptest.Server {
	b.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hold != nil {
			select {
			case <-*hold.Load():
			case <-r.Context().Done():
			}
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"code":"0","msg":"ok","data":{"token":"tok-abc"}}`))
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkStepOverhead reports the median time per step of runs of 20
// chained steps against a local server that answers at once, records kept in memory.
func BenchmarkStepOverhead(b *testing.B) {
	const steps = 20
	srv := benchServer(b, nil)
	def, diags := Load("bench.yaml", []byte(benchFlow(steps)))
	if diags != nil {
		b.Fatal(diags)
	}
	inputs, _ := ValidateInputs(def, nil, nil)
	env := &Environment{Name: "bench", Services: map[string]Service{"account": {BaseURL: srv.URL}}, Secrets: map[string]string{"pw": "secret-value"}}
	e := NewEngine()
	perStep := make([]float64, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res := e.Run(context.Background(), RunSpec{RunID: fmt.Sprintf("b%d", i), Definition: def, Inputs: inputs, Environment: env, Recorder: &MemoryRecorder{}})
		perStep = append(perStep, float64(time.Since(start).Microseconds())/steps)
		if res.Status != RunSucceeded {
			b.Fatal(res.Failure)
		}
	}
	b.StopTimer()
	sort.Float64s(perStep)
	b.ReportMetric(perStep[len(perStep)/2]/1000, "ms/step(median)")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkMemoryPerRun holds many runs inside a request and reports the
// memory (heap and stacks) each running run takes.
func BenchmarkMemoryPerRun(b *testing.B) {
	const runs = 200
	var hold atomic.Pointer[chan struct{}]
	srv := benchServer(b, &hold)
	def, diags := Load("bench.yaml", []byte(benchFlow(20)))
	if diags != nil {
		b.Fatal(diags)
	}
	inputs, _ := ValidateInputs(def, nil, nil)
	env := &Environment{Name: "bench", Services: map[string]Service{"account": {BaseURL: srv.URL}}}
	e := NewEngine()
	var perRun float64
	for i := 0; i < b.N; i++ {
		release := make(chan struct{})
		hold.Store(&release)
		runtime.GC()
		var before, during runtime.MemStats
		runtime.ReadMemStats(&before)
		started := make(chan struct{}, runs)
		var wg sync.WaitGroup
		for j := 0; j < runs; j++ {
			wg.Add(1)
			go func(j int) {
				defer wg.Done()
				e.Run(context.Background(), RunSpec{RunID: fmt.Sprintf("m%d-%d", i, j), Definition: def, Inputs: inputs, Environment: env, Recorder: &MemoryRecorder{},
					OnEvent: func(ev Event) {
						if ev.Kind == EventStepStarted && ev.Step == "s0" {
							started <- struct{}{}
						}
					}})
			}(j)
		}
		for j := 0; j < runs; j++ {
			<-started
		}
		time.Sleep(50 * time.Millisecond)
		runtime.GC()
		runtime.ReadMemStats(&during)
		// heap and goroutine stacks, including the in-process server's side of each held request
		perRun = float64(during.HeapInuse+during.StackInuse-before.HeapInuse-before.StackInuse) / runs
		close(release)
		wg.Wait()
	}
	b.ReportMetric(perRun/1024, "KiB/run")
	b.ReportMetric(0, "ns/op")
}
