package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
)

// StartupError is a dependency that could not be reached at start. Its
// message is one line: what was tried, what went wrong, what to do.
type StartupError struct {
	Err  error
	Hint string
}

func (e *StartupError) Error() string {
	// Drivers may answer in several lines (pgx lists each address it tried).
	msg := strings.Join(strings.Fields(strings.ReplaceAll(e.Err.Error(), "\n", "; ")), " ")
	return msg + ". " + e.Hint
}
func (e *StartupError) Unwrap() error { return e.Err }

// Run starts the parts of zaoshu that mode asks for and serves until ctx is
// cancelled, then shuts down gracefully: HTTP drains first, then workers
// finish their tasks or hand them back to the queue. stdout gets the
// human-facing banner; log gets everything else.
func Run(ctx context.Context, cfg Config, mode Mode, stdout io.Writer, log *slog.Logger) error {
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()

	st, err := OpenStore(startCtx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	rd, err := openRedis(startCtx, cfg, mode)
	if err != nil {
		return err
	}
	defer rd.Close()

	if cfg.EnvironmentsFile != "" && mode != ModeWorker {
		names, err := loadEnvironments(startCtx, cfg.EnvironmentsFile, st)
		if err != nil {
			return err
		}
		log.Info("environments loaded", "file", cfg.EnvironmentsFile, "environments", names)
	}

	if cfg.DebugAddr != "" {
		if err := startProfiler(ctx, cfg.DebugAddr, log); err != nil {
			return err
		}
	}

	simURL := ""
	if mode == ModeAll && cfg.SimAddr != "off" {
		if simURL, err = startSimulator(ctx, cfg.SimAddr, st, log); err != nil {
			return err
		}
	}

	lib := jobs.NewLibrary(st)
	if err := loadWorkflows(startCtx, cfg, lib, log); err != nil {
		return err
	}
	ns := jobs.Namespace(cfg.QueueNamespace)
	builds := jobs.NewBuilds(st, rd, ns, lib, log, jobs.BuildOptions{RunTimeout: cfg.RunTimeout})
	defer builds.Close()
	if rd.Embedded() {
		// The embedded Redis starts empty: queue again the runs a previous
		// start left unfinished.
		if n, err := builds.Reap(startCtx, 0); err != nil {
			log.Warn("re-queue unfinished runs", "error", err)
		} else if n > 0 {
			log.Info("re-queued unfinished runs from the previous start", "count", n)
		}
	}

	var worker *jobs.Worker
	if mode == ModeAll || mode == ModeWorker {
		worker = jobs.NewWorker(rd, jobs.WorkerOptions{
			Namespace: ns, Concurrency: cfg.WorkerConcurrency, ShutdownTimeout: cfg.ShutdownTimeout, Logger: log,
		})
		builds.Register(worker)
		if err := worker.Start(); err != nil {
			return err
		}
		log.Info("worker started", "worker", worker.Name(), "concurrency", cfg.WorkerConcurrency)
		go builds.Maintain(ctx, jobs.MaintenanceOptions{Retention: cfg.Retention})
	}
	// Stop the worker however we leave from here on.
	stopWorker := func() {
		if worker != nil {
			log.Info("worker stopping: running tasks finish or go back to the queue", "timeout", cfg.ShutdownTimeout)
			worker.Shutdown()
			worker = nil
		}
	}
	defer stopWorker()

	var srv *http.Server
	var serveErr chan error
	var first *store.FirstAdmin
	if mode == ModeAll || mode == ModeServe {
		queue := jobs.NewClient(rd, ns)
		defer queue.Close()
		if first, err = st.Bootstrap(startCtx); err != nil {
			return err
		}
		ln, err := net.Listen("tcp", cfg.Addr)
		if err != nil {
			return &StartupError{Err: fmt.Errorf("listen on %s: %w", cfg.Addr, err), Hint: "Choose another address with --addr or ZAOSHU_ADDR, or stop the program using it"}
		}
		engine, err := newEngine(httpDeps{log: log, store: st, redis: rd, queue: queue, builds: builds, library: lib,
			apiRate: cfg.APIRate, secureCookies: cfg.SecureCookies})
		if err != nil {
			return err
		}
		srv = &http.Server{
			Handler:           engine,
			ReadHeaderTimeout: 10 * time.Second,
			BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
		}
		serveErr = make(chan error, 1)
		go func() { serveErr <- srv.Serve(ln) }()
		log.Info("http listening", "addr", ln.Addr().String())
		printBanner(stdout, mode, "http://"+ln.Addr().String()+"/", simURL, st, rd, lib, first)
	} else {
		printBanner(stdout, mode, "", "", st, rd, lib, nil)
	}

	select {
	case <-ctx.Done():
		log.Info("shutdown requested")
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	}
	if srv != nil {
		shutCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := srv.Shutdown(shutCtx); err != nil {
			log.Warn("http shutdown incomplete", "error", err)
		}
		log.Info("http stopped")
	}
	stopWorker()
	log.Info("shutdown complete")
	return nil
}

// OpenStore opens the configured database with the secret key; an
// unreachable database is a StartupError.
func OpenStore(ctx context.Context, cfg Config) (*store.Store, error) {
	key, err := cfg.secretKey()
	if err != nil {
		return nil, fmt.Errorf("ZAOSHU_SECRET_KEY: %w", err)
	}
	st, err := store.Open(ctx, cfg.databaseURL(), store.WithSecretKey(key))
	if err != nil {
		if errors.Is(err, store.ErrUnreachable) {
			return nil, &StartupError{Err: err, Hint: "Start the database there or correct ZAOSHU_DATABASE_URL (--database-url); leave it unset to use the SQLite file in the data directory"}
		}
		return nil, fmt.Errorf("open database: %w", err)
	}
	return st, nil
}

func openRedis(ctx context.Context, cfg Config, mode Mode) (*jobs.Redis, error) {
	if cfg.RedisURL == "" {
		if mode != ModeAll {
			return nil, &StartupError{
				Err:  fmt.Errorf("%s needs a shared Redis, and ZAOSHU_REDIS_URL is not set", mode),
				Hint: "Set ZAOSHU_REDIS_URL (--redis-url) to the Redis every serve and worker process uses, or run the all-in-one mode (no subcommand) for the embedded Redis",
			}
		}
		return jobs.StartEmbeddedRedis()
	}
	rd, err := jobs.ConnectRedis(ctx, cfg.RedisURL)
	if err != nil {
		return nil, &StartupError{Err: err, Hint: "Start Redis there or correct ZAOSHU_REDIS_URL (--redis-url); leave it unset to use the embedded Redis in all-in-one mode"}
	}
	return rd, nil
}

func printBanner(w io.Writer, mode Mode, url, simURL string, st *store.Store, rd *jobs.Redis, lib *jobs.Library, first *store.FirstAdmin) {
	// One write, so a reader never sees half a banner.
	var b strings.Builder
	fmt.Fprintf(&b, "zaoshu is running (%s)\n", mode)
	if url != "" {
		fmt.Fprintf(&b, "  open       %s\n", url)
	}
	fmt.Fprintf(&b, "  database   %s (%s)\n", st.Target(), st.Driver())
	fmt.Fprintf(&b, "  redis      %s\n", rd.Target())
	if simURL != "" {
		fmt.Fprintf(&b, "  %-10s %s (built-in UAT simulator)\n", SimEnvironment, simURL)
	}
	var names []string
	for _, d := range lib.Workflows() {
		names = append(names, d.Name)
	}
	fmt.Fprintf(&b, "  workflows  %d: %s\n", len(names), strings.Join(names, ", "))
	if first != nil {
		fmt.Fprintf(&b, "  first admin %q created; API token (shown this once, stored hashed):\n", first.User.Username)
		fmt.Fprintf(&b, "  token      %s\n", first.Token)
	}
	_, _ = io.WriteString(w, b.String())
}
