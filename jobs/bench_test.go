package jobs_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/workflows"
)

// BenchmarkStepOverheadSQLite is the engine's cost per step with every step
// record written to SQLite, as a worker writes them: runs of 20 chained
// steps against a local server that answers at once.
//
//	go test ./jobs -run '^$' -bench StepOverheadSQLite -benchtime 200x
func BenchmarkStepOverheadSQLite(b *testing.B) {
	const steps = 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"code":"0","msg":"ok","data":{"token":"tok-abc"}}`))
	}))
	defer srv.Close()
	var y strings.Builder
	y.WriteString("name: bench\nservices:\n  account: {success: \"body.code == '0'\", message: body.msg}\nsteps:\n")
	for i := range steps {
		fmt.Fprintf(&y, "  - id: s%d\n    request: {service: account, method: POST, path: /s%d, json: {n: %d}}\n    capture: {token: body.data.token}\n", i, i, i)
		if i > 0 {
			fmt.Fprintf(&y, "    needs: [s%d]\n", i-1)
		}
	}
	def, diags := workflows.Load("bench.yaml", []byte(y.String()))
	if len(diags) > 0 {
		b.Fatal(diags)
	}
	st := storetest.Open(b, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(b)})
	env := &workflows.Environment{Name: "bench", Services: map[string]workflows.Service{"account": {BaseURL: srv.URL}}}
	recorder := workflows.RecorderFunc(func(ctx context.Context, rec workflows.StepRecord) error {
		return st.AddStepRecord(ctx, &store.StepRecord{RunID: rec.RunID, Step: rec.Step, Iteration: rec.Iteration, Attempt: rec.Attempt,
			Status: string(rec.Status), StartedAt: rec.StartedAt, EndedAt: rec.EndedAt, RequestID: rec.RequestID,
			HTTPStatus: rec.HTTPStatus, Request: rec.Request, Response: rec.Response, Captures: rec.Captures})
	})
	e := workflows.NewEngine()
	perStep := make([]float64, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		res := e.Run(context.Background(), workflows.RunSpec{RunID: store.NewRunID(), Definition: def, Environment: env, Recorder: recorder})
		perStep = append(perStep, float64(time.Since(start).Microseconds())/steps)
		if res.Status != workflows.RunSucceeded {
			b.Fatalf("run %d: %v", i, res.Failure)
		}
	}
	b.StopTimer()
	sort.Float64s(perStep)
	b.ReportMetric(perStep[len(perStep)/2]/1000, "ms/step(median)")
}
