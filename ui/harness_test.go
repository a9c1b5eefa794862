package ui_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/server"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/ui"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// site is a whole zaoshu for a test: store, queue, worker, the simulator as
// uat-sim, the bundled workflows and the UI on an httptest server.
type site struct {
	URL    string
	Store  *store.Store
	Builds *jobs.Builds
	Admin  *store.FirstAdmin
}

func newSite(t *testing.T) *site {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st := storetest.Open(t, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(t)})
	rd, err := jobs.StartEmbeddedRedis()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = rd.Close() })

	sim := uatsim.New(uatsim.Options{DepositoryDelay: 50 * time.Millisecond})
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { simSrv.Close(); _ = sim.Close() })
	env, secrets := server.SimulatorEnvironment(simSrv.URL)
	if err := st.SaveEnvironment(ctx, env, secrets); err != nil {
		t.Fatal(err)
	}

	lib := jobs.NewLibrary(st)
	if diags, err := lib.LoadFS(ctx, library.FS); err != nil || len(diags) > 0 {
		t.Fatalf("load bundled workflows: %v %v", err, diags)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	ns := jobs.Namespace("uitest" + hex.EncodeToString(b))
	builds := jobs.NewBuilds(st, rd, ns, lib, log, jobs.BuildOptions{ProbeEvery: 300 * time.Millisecond, CancelCheck: 100 * time.Millisecond})
	t.Cleanup(func() { _ = builds.Close() })
	worker := jobs.NewWorker(rd, jobs.WorkerOptions{Namespace: ns, Concurrency: 4, ShutdownTimeout: 2 * time.Second, Logger: log})
	builds.Register(worker)
	if err := worker.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(worker.Shutdown)

	first, err := st.Bootstrap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ui.New(ui.Deps{Store: st, Builds: builds, Library: lib, Log: log})
	if err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.ContextWithFallback = true
	u.Register(r)
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return &site{URL: srv.URL, Store: st, Builds: builds, Admin: first}
}
