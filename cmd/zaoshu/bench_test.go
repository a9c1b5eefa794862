package main

import (
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/uatsim"
)

// BenchmarkStandardBuilds is the platform's throughput: b.N standard-account
// builds queued at once and run by 1 or 2 real worker processes against the
// simulator at zero latency, on SQLite and (when ZAOSHU_TEST_POSTGRES_URL is
// set) PostgreSQL. It reports builds/s, and the platform's own time per build:
// the builds' summed run time minus the time spent inside the simulator.
//
//	ZAOSHU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test?sslmode=disable \
//	  go test ./cmd/zaoshu -run '^$' -bench StandardBuilds -benchtime 60x
func BenchmarkStandardBuilds(b *testing.B) {
	dbs := []storetest.Database{{Name: "sqlite"}}
	if u, ok := storetest.PostgresURL(b); ok {
		dbs = append(dbs, storetest.Database{Name: "postgres", URL: u})
	}
	for _, db := range dbs {
		for _, workers := range []int{1, 2} {
			b.Run(db.Name+"/workers="+string(rune('0'+workers)), func(b *testing.B) {
				url := db.URL
				if db.Name == "postgres" {
					url, _ = storetest.PostgresURL(b) // a fresh schema for each sub-benchmark
				}
				c := newClusterOn(b, url, time.Microsecond, 0, uatsim.Faults{})
				for range workers {
					c.worker(b, 10)
				}
				runs := make([]*store.Run, b.N)
				b.ResetTimer()
				began := time.Now()
				for i := range runs {
					runs[i] = c.submit(b)
				}
				var busy time.Duration
				for _, r := range runs {
					done := c.waitFinished(b, r.ID, 10*time.Minute)
					if done.Status != store.RunSucceeded {
						b.Fatalf("run %s = %s %+v", r.ID, done.Status, done.Failure)
					}
					busy += done.FinishedAt.Sub(*done.StartedAt)
				}
				elapsed := time.Since(began)
				b.StopTimer()
				b.ReportMetric(float64(b.N)/elapsed.Seconds(), "builds/s")
				overhead := (busy - time.Duration(c.simTime.Load())) / time.Duration(b.N)
				b.ReportMetric(float64(overhead.Milliseconds()), "ms-platform/build")
				b.ReportMetric(0, "ns/op")
			})
		}
	}
}
