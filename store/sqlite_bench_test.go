package store_test

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

// BenchmarkCreateRunWhileRecording is the latency of recording a new run on
// SQLite while two workers record steps as fast as they can: what the API
// sees while builds run.
//
//	go test ./store -run '^$' -bench CreateRunWhileRecording -benchtime 2000x
func BenchmarkCreateRunWhileRecording(b *testing.B) {
	s := storetest.Open(b, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(b)})
	ctx := context.Background()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				now := time.Now()
				_ = s.AddStepRecord(ctx, &store.StepRecord{RunID: "rbench", Step: "login", Attempt: 1, Status: "succeeded", StartedAt: now, EndedAt: now, Response: `{"code":"0"}`})
			}
		}()
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		began := time.Now()
		if err := s.CreateRun(ctx, newRun("standard-account")); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(began))
		time.Sleep(time.Millisecond)
	}
	b.StopTimer()
	close(stop)
	wg.Wait()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "ms-p50")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "ms-p99")
	b.ReportMetric(float64(lat[len(lat)-1].Microseconds())/1000, "ms-max")
}
