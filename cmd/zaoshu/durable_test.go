package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/server"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// depositoryDelay is how long the simulated depository takes in these tests:
// short, so a standard build's first status poll usually finds it done.
const depositoryDelay = 30 * time.Millisecond

// cluster is a shared database, a shared Redis and a simulator, with worker
// processes started as the real binary and builds submitted from the test.
type cluster struct {
	dir      string
	env      []string
	store    *store.Store
	builds   *jobs.Builds
	sim      *uatsim.Sim
	simURL   string
	inFlight atomic.Int32
	peak     atomic.Int32
	simTime  atomic.Int64 // time spent inside the simulator's handlers
}

func newCluster(t testing.TB, concurrency int, faults uatsim.Faults) *cluster {
	return newClusterOn(t, "", depositoryDelay, concurrency, faults)
}

// newClusterOn is newCluster on the database at dbURL ("" for a fresh
// SQLite file) with the depository taking depDelay.
func newClusterOn(t testing.TB, dbURL string, depDelay time.Duration, concurrency int, faults uatsim.Faults) *cluster {
	t.Helper()
	c := &cluster{dir: t.TempDir()}
	key := make([]byte, store.SecretKeySize)
	for i := range key {
		key[i] = byte(i + 7)
	}
	if dbURL == "" {
		dbURL = "sqlite://" + c.dir + "/zaoshu.db"
	}
	ctx := context.Background()
	st, err := store.Open(ctx, dbURL, store.WithSecretKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c.store = st

	var rd *jobs.Redis
	redisURL := os.Getenv("ZAOSHU_TEST_REDIS_URL")
	ns := fmt.Sprintf("zstest-durable-%d", time.Now().UnixNano())
	if redisURL != "" {
		rd, err = jobs.ConnectRedis(ctx, redisURL)
		cleanQueues(t, redisURL, ns)
	} else {
		rd, err = jobs.StartEmbeddedRedis()
		if err == nil {
			redisURL = rd.EmbeddedURL()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rd.Close() })

	c.sim = uatsim.New(uatsim.Options{DepositoryDelay: depDelay, Faults: map[uatsim.Service]uatsim.Faults{uatsim.ServiceAccount: faults}})
	t.Cleanup(func() { _ = c.sim.Close() })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	counting := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		defer func() { c.simTime.Add(int64(time.Since(began))) }()
		n := c.inFlight.Add(1)
		defer c.inFlight.Add(-1)
		for p := c.peak.Load(); n > p && !c.peak.CompareAndSwap(p, n); p = c.peak.Load() {
		}
		c.sim.Handler().ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: counting}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	c.simURL = "http://" + ln.Addr().String()

	envRec, secrets := server.SimulatorEnvironment(c.simURL)
	envRec.Concurrency = concurrency
	if err := st.SaveEnvironment(ctx, envRec, secrets); err != nil {
		t.Fatal(err)
	}
	lib := jobs.NewLibrary(st)
	if diags, err := lib.LoadFS(ctx, library.FS); err != nil || len(diags) > 0 {
		t.Fatalf("bundled workflows: %v %v", err, diags)
	}
	c.builds = jobs.NewBuilds(st, rd, jobs.Namespace(ns), lib, slog.New(slog.NewTextHandler(io.Discard, nil)), jobs.BuildOptions{})
	t.Cleanup(func() { _ = c.builds.Close() })
	c.env = []string{"ZAOSHU_DATABASE_URL=" + dbURL, "ZAOSHU_REDIS_URL=" + redisURL, "ZAOSHU_QUEUE_NAMESPACE=" + ns,
		"ZAOSHU_SECRET_KEY=" + base64.StdEncoding.EncodeToString(key), "ZAOSHU_SHUTDOWN_TIMEOUT=2s"}
	return c
}

func (c *cluster) worker(t testing.TB, concurrency int) *process {
	t.Helper()
	return start(t, c.dir, c.env, "worker", "--worker-concurrency", fmt.Sprint(concurrency))
}

func (c *cluster) submit(t testing.TB) *store.Run {
	t.Helper()
	run, err := c.builds.Submit(context.Background(), jobs.Request{Workflow: "standard-account", Environment: server.SimEnvironment, Source: jobs.SourceCLI})
	if err != nil {
		t.Fatal(err)
	}
	return run
}

func (c *cluster) waitFinished(t testing.TB, id string, timeout time.Duration) *store.Run {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		r, err := c.store.Run(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status.Finished() {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("run %s still %s after %s", id, r.Status, timeout)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// customers is how many customers the simulated back office holds.
func (c *cluster) customers(t *testing.T) int {
	t.Helper()
	res, err := http.Get(c.simURL + "/uat/customers")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Data struct {
			Count int `json:"count"`
		} `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return body.Data.Count
}

// A worker killed with SIGKILL mid-build: another worker takes the run over
// (asynq's lease recovery) and finishes it from its checkpoint; the account
// is opened once.
func TestWorkerKilledMidBuildFinishesOnAnother(t *testing.T) {
	c := newCluster(t, 0, uatsim.Faults{Latency: 60 * time.Millisecond})
	run := c.submit(t)
	first := c.worker(t, 4)
	deadline := time.Now().Add(time.Minute)
	for {
		recs, _ := c.store.StepRecords(context.Background(), run.ID)
		if len(recs) >= 8 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the build did not get going: %d steps recorded", len(recs))
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.done
	before, _ := c.store.StepRecords(context.Background(), run.ID)
	if r, _ := c.store.Run(context.Background(), run.ID); r.Status != store.RunRunning {
		t.Fatalf("after the kill the run is %s, want running", r.Status)
	}
	// asynq's recoverer hands the task on once its lease (30 s) has been
	// expired for 30 s; a worker starting after that recovers it at once.
	time.Sleep(61 * time.Second)
	c.worker(t, 4)
	done := c.waitFinished(t, run.ID, 2*time.Minute)
	if done.Status != store.RunSucceeded {
		t.Fatalf("run = %s %+v", done.Status, done.Failure)
	}
	after, _ := c.store.StepRecords(context.Background(), run.ID)
	sent := map[string]int{}
	for _, r := range after {
		if r.Status == "succeeded" {
			sent[r.Step+"#"+r.Iteration]++
		}
	}
	for step, n := range sent {
		if n > 1 {
			t.Errorf("step %s succeeded %d times: a finished step was re-sent", step, n)
		}
	}
	if len(after) <= len(before) {
		t.Errorf("no steps recorded after the takeover (%d before, %d after)", len(before), len(after))
	}
	if n := c.customers(t); n != 1 {
		t.Errorf("the simulator holds %d customers, want 1", n)
	}
}

// Two worker processes never have more calls in flight to an environment
// than its limit.
func TestConcurrencyLimitAcrossWorkerProcesses(t *testing.T) {
	const limit = 2
	c := newCluster(t, limit, uatsim.Faults{Latency: 5 * time.Millisecond})
	var runs []*store.Run
	for range 6 {
		runs = append(runs, c.submit(t))
	}
	c.worker(t, 4)
	c.worker(t, 4)
	for _, r := range runs {
		if done := c.waitFinished(t, r.ID, 3*time.Minute); done.Status != store.RunSucceeded {
			t.Fatalf("run %s = %s %+v", r.ID, done.Status, done.Failure)
		}
	}
	if p := c.peak.Load(); p > limit || p < limit {
		t.Errorf("peak calls in flight = %d, want exactly the limit %d (never more; reached, or the test proves nothing)", p, limit)
	}
	if n := c.customers(t); n != len(runs) {
		t.Errorf("customers = %d, want %d", n, len(runs))
	}
}
