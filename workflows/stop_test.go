package workflows

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recordLines renders records as step[iteration]#attempt:status, with the
// polls of polling attempts, in the order they were written.
func recordLines(records []StepRecord) []string {
	out := make([]string, len(records))
	for i, r := range records {
		line := r.Step
		if r.Iteration != "" {
			line += "[" + r.Iteration + "]"
		}
		line += fmt.Sprintf("#%d:%s", r.Attempt, r.Status)
		if r.Polls > 0 {
			line += fmt.Sprintf(" polls=%d", r.Polls)
		}
		out[i] = line
	}
	return out
}

const stopFlow = `name: stop
services: [account]
steps:
  - id: one
    request: {service: account, path: /one}
    capture: {id: body.id}
  - id: two
    request: {service: account, path: /two, query: {id: "${{ steps.one.id }}"}}
    capture: {serial: body.serial}
  - id: three
    request: {service: account, path: /three, query: {serial: "${{ steps.two.serial }}"}}
finally:
  - id: cleanup
    request:
      service: account
      path: /cleanup
      query: {id: "${{ steps.one.id ?? '' }}", serial: "${{ steps.two.serial ?? '' }}", status: "${{ run.status }}"}
`

func TestStopLetsTheCallInFlightFinishThenRunsFinally(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	var cut atomic.Bool
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/one": reply(200, map[string]any{"id": "A1"}),
		"/two": func(w http.ResponseWriter, r *http.Request) {
			close(entered)
			select {
			case <-release:
				reply(200, map[string]any{"serial": "S2"})(w, r)
			case <-r.Context().Done():
				cut.Store(true)
			}
		},
		"/three":   reply(200, map[string]any{}),
		"/cleanup": reply(200, map[string]any{}),
	})
	stop := make(chan struct{})
	rec := &MemoryRecorder{}
	done := make(chan Result, 1)
	go func() {
		done <- NewEngine().Run(context.Background(), RunSpec{RunID: "s1", Definition: mustLoad(t, stopFlow), Environment: b.env(), Recorder: rec, Stop: stop})
	}()
	<-entered
	close(stop)
	// give a wrong engine the time to cut the call in flight
	time.Sleep(30 * time.Millisecond)
	close(release)
	res := <-done

	if res.Status != RunCancelled || !errors.Is(res.Err(), ErrCancelled) || res.Failure != nil || res.Outputs != nil {
		t.Errorf("result: status %s, err %v, failure %+v, outputs %v; want cancelled with no failure", res.Status, res.Err(), res.Failure, res.Outputs)
	}
	if cut.Load() {
		t.Error("the call in flight to /two was cut; it must be allowed to finish")
	}
	if n := b.count("/three"); n != 0 {
		t.Errorf("/three called %d times after stop, want 0", n)
	}
	if n := b.count("/cleanup"); n != 1 {
		t.Fatalf("/cleanup called %d times, want 1", n)
	}
	b.mu.Lock()
	q := b.calls[len(b.calls)-1].URL.Query()
	b.mu.Unlock()
	if q.Get("id") != "A1" || q.Get("serial") != "S2" || q.Get("status") != "cancelled" {
		t.Errorf("finally saw %v; want id=A1 (step one), serial=S2 (step two, finished after the stop), status=cancelled", q)
	}
	records := rec.Records()
	if got, want := strings.Join(recordLines(records), ", "), "one#1:succeeded, two#1:succeeded, cleanup#1:succeeded"; got != want {
		t.Fatalf("records: %s\nwant:    %s", got, want)
	}
	if two := records[1]; two.HTTPStatus != 200 || two.Captures["serial"] != "S2" || !strings.Contains(two.Response, "S2") {
		t.Errorf("step two's record does not show its answer: status %d, captures %v, response %q", two.HTTPStatus, two.Captures, two.Response)
	}
}

func TestStopKeepsNewWorkFromStarting(t *testing.T) {
	const fragment = `name: f/pair
kind: fragment
services: [account]
steps:
  - id: a
    request: {service: account, path: /frag-a}
  - id: b
    needs: [a]
    request: {service: account, path: /frag-b}
`
	cleanup := `finally:
  - id: cleanup
    request: {service: account, path: /cleanup, query: {status: "${{ run.status }}"}}
`
	cases := []struct {
		name string
		// steps is the workflow's steps; stopAt the path whose call closes
		// Stop while in flight ("" closes it before the run starts).
		steps, stopAt string
		finally       string
		wantCalls     map[string]int
		wantRecords   string
		wantStatus    RunStatus
		// wantFinally is the run.status the finally step saw.
		wantFinally string
	}{
		{
			name: "poll: no further poll",
			steps: `  - id: wait
    request: {service: account, path: /status}
    poll: {until: "body.status == 'done'", every: 5ms, timeout: 2s}
  - id: after
    needs: [wait]
    request: {service: account, path: /after}
`,
			stopAt:      "/status",
			wantCalls:   map[string]int{"/status": 1, "/after": 0, "/cleanup": 1},
			wantRecords: "wait#1:cancelled polls=1, cleanup#1:succeeded",
			wantStatus:  RunCancelled, wantFinally: "cancelled",
		},
		{
			name: "retry: no further attempt",
			steps: `  - id: flaky
    request: {service: account, path: /flaky}
    retry: {attempts: 3, backoff: 5ms}
`,
			stopAt:      "/flaky",
			wantCalls:   map[string]int{"/flaky": 1, "/cleanup": 1},
			wantRecords: "flaky#1:failed, cleanup#1:succeeded",
			wantStatus:  RunCancelled, wantFinally: "cancelled",
		},
		{
			name: "for_each: no further item",
			steps: `  - id: each
    for_each: "['a', 'b', 'c']"
    request: {service: account, path: "/item/${{ item }}"}
`,
			stopAt:      "/item/a",
			wantCalls:   map[string]int{"/item/a": 1, "/item/b": 0, "/item/c": 0, "/cleanup": 1},
			wantRecords: "each[0]#1:succeeded, cleanup#1:succeeded",
			wantStatus:  RunCancelled, wantFinally: "cancelled",
		},
		{
			name: "fragment: no further step inside or after it",
			steps: `  - id: pair
    uses: f/pair
  - id: after
    needs: [pair]
    request: {service: account, path: /after}
`,
			stopAt:      "/frag-a",
			wantCalls:   map[string]int{"/frag-a": 1, "/frag-b": 0, "/after": 0, "/cleanup": 1},
			wantRecords: "pair/a#1:succeeded, cleanup#1:succeeded",
			wantStatus:  RunCancelled, wantFinally: "cancelled",
		},
		{
			name:        "stopped before it starts: only finally runs",
			steps:       "  - id: one\n    request: {service: account, path: /one}\n",
			stopAt:      "",
			wantCalls:   map[string]int{"/one": 0, "/cleanup": 1},
			wantRecords: "cleanup#1:succeeded",
			wantStatus:  RunCancelled, wantFinally: "cancelled",
		},
		{
			name:        "stopped during the last step: nothing was left to stop",
			steps:       "  - id: one\n    request: {service: account, path: /one}\n  - id: two\n    needs: [one]\n    request: {service: account, path: /two}\n",
			stopAt:      "/two",
			wantCalls:   map[string]int{"/one": 1, "/two": 1, "/cleanup": 1},
			wantRecords: "one#1:succeeded, two#1:succeeded, cleanup#1:succeeded",
			wantStatus:  RunSucceeded, wantFinally: "succeeded",
		},
		{
			name:   "stopped during finally: finally runs whole",
			steps:  "  - id: one\n    request: {service: account, path: /one}\n",
			stopAt: "/cleanup",
			finally: `  - id: logout
    needs: [cleanup]
    request: {service: account, path: /logout}
`,
			wantCalls:   map[string]int{"/one": 1, "/cleanup": 1, "/logout": 1},
			wantRecords: "one#1:succeeded, cleanup#1:succeeded, logout#1:succeeded",
			wantStatus:  RunSucceeded, wantFinally: "succeeded",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stop := make(chan struct{})
			var once sync.Once
			if tc.stopAt == "" {
				close(stop)
			}
			b := newBackOffice(t, map[string]http.HandlerFunc{"/": func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == tc.stopAt {
					once.Do(func() { close(stop) })
				}
				switch r.URL.Path {
				case "/flaky":
					reply(503, map[string]any{"msg": "系统繁忙"})(w, r)
				case "/status":
					reply(200, map[string]any{"status": "pending"})(w, r)
				default:
					reply(200, map[string]any{})(w, r)
				}
			}})
			src := "name: s\nservices: [account]\nsteps:\n" + tc.steps + cleanup + tc.finally
			def, diags := LoadSources("s.yaml", map[string][]byte{"s.yaml": []byte(src), "f/pair.yaml": []byte(fragment)})
			if diags != nil {
				t.Fatal(diags.Format("en"))
			}
			rec := &MemoryRecorder{}
			start := time.Now()
			res := NewEngine().Run(context.Background(), RunSpec{RunID: "s", Definition: def, Environment: b.env(), Recorder: rec, Stop: stop})
			if d := time.Since(start); d > time.Second {
				t.Errorf("the run took %s after the stop", d)
			}
			if res.Status != tc.wantStatus {
				t.Errorf("status %s (failure %v), want %s", res.Status, res.Failure, tc.wantStatus)
			}
			for path, want := range tc.wantCalls {
				if got := b.count(path); got != want {
					t.Errorf("%s called %d times, want %d", path, got, want)
				}
			}
			if got := strings.Join(recordLines(rec.Records()), ", "); got != tc.wantRecords {
				t.Errorf("records: %s\nwant:    %s", got, tc.wantRecords)
			}
			b.mu.Lock()
			var saw string
			for _, c := range b.calls {
				if c.URL.Path == "/cleanup" {
					saw = c.URL.Query().Get("status")
				}
			}
			b.mu.Unlock()
			if saw != tc.wantFinally {
				t.Errorf("finally saw run.status %q, want %q", saw, tc.wantFinally)
			}
		})
	}
}

func TestContextCancelSkipsFinally(t *testing.T) {
	b := newBackOffice(t, map[string]http.HandlerFunc{
		"/hang":    func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
		"/cleanup": reply(200, map[string]any{}),
	})
	src := "name: c\nservices: [account]\nsteps:\n  - id: s\n    request: {service: account, path: /hang}\nfinally:\n  - id: cleanup\n    request: {service: account, path: /cleanup}\n"
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(30*time.Millisecond, cancel)
	stop := make(chan struct{})
	defer close(stop)
	rec := &MemoryRecorder{}
	res := NewEngine().Run(ctx, RunSpec{RunID: "c", Definition: mustLoad(t, src), Environment: b.env(), Recorder: rec, Stop: stop})
	if res.Status != RunCancelled {
		t.Errorf("status %s, want cancelled", res.Status)
	}
	if n := b.count("/cleanup"); n != 0 {
		t.Errorf("finally ran %d times after the context was cancelled (worker shutdown), want 0", n)
	}
	if got := strings.Join(recordLines(rec.Records()), ", "); got != "s#1:cancelled" {
		t.Errorf("records: %s, want s#1:cancelled", got)
	}
}
