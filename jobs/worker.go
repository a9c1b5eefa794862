package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/hibiken/asynq"
)

// WorkerOptions configure a worker.
type WorkerOptions struct {
	Namespace Namespace
	// Concurrency is how many tasks this process runs at once.
	Concurrency int
	// ShutdownTimeout is how long running tasks may take to finish on
	// shutdown before they are handed back to the queue for another worker.
	ShutdownTimeout time.Duration
	Logger          *slog.Logger
}

// Worker handles tasks from the queues.
type Worker struct {
	name   string
	server *asynq.Server
	mux    *asynq.ServeMux
}

// NewWorker makes a worker on a shared Redis connection; register handlers
// with Handle, then Start it.
func NewWorker(r *Redis, opts WorkerOptions) *Worker {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	host, _ := os.Hostname()
	name := fmt.Sprintf("%s:%d", host, os.Getpid())
	log := opts.Logger.With("component", "worker")
	srv := asynq.NewServerFromRedisClient(r.client, asynq.Config{
		Concurrency:     opts.Concurrency,
		Queues:          opts.Namespace.Queues(),
		ShutdownTimeout: opts.ShutdownTimeout,
		Logger:          asynqLogger{log},
		RetryDelayFunc:  retryDelay,
		// Parked runs come back through asynq's retry set; look at it every
		// second rather than every five so they resume promptly.
		DelayedTaskCheckInterval: time.Second,
		IsFailure:                isFailure,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			log.ErrorContext(ctx, "task failed", "type", t.Type(), "error", err)
		}),
	})
	w := &Worker{name: name, server: srv, mux: asynq.NewServeMux()}
	w.mux.Handle(TypePing, handlePing(name))
	return w
}

// Name identifies this worker process (host:pid).
func (w *Worker) Name() string { return w.name }

// Handle registers the handler for a task type.
func (w *Worker) Handle(taskType string, h asynq.Handler) { w.mux.Handle(taskType, h) }

// Start begins taking tasks in the background.
func (w *Worker) Start() error {
	if err := w.server.Start(w.mux); err != nil {
		return fmt.Errorf("start worker: %w", err)
	}
	return nil
}

// Shutdown stops taking tasks, waits for running ones up to the shutdown
// timeout, and hands back the rest to the queue.
func (w *Worker) Shutdown() { w.server.Shutdown() }

// asynqLogger sends asynq's own log lines to slog.
type asynqLogger struct{ l *slog.Logger }

func (a asynqLogger) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...)) }
func (a asynqLogger) Info(args ...any)  { a.l.Info(fmt.Sprint(args...)) }
func (a asynqLogger) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...)) }
func (a asynqLogger) Error(args ...any) { a.l.Error(fmt.Sprint(args...)) }
func (a asynqLogger) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...))
	os.Exit(1)
}
