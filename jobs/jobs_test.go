package jobs_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"github.com/zaoshu/zaoshu/jobs"
)

// RedisEnv names a real Redis for tests; without it they run on the embedded one.
const RedisEnv = "ZAOSHU_TEST_REDIS_URL"

type backend struct {
	name  string
	redis *jobs.Redis
	ns    jobs.Namespace
}

// backends returns the embedded Redis always and the real one when set. Each
// test gets its own queue namespace on it and deletes its queues afterwards.
func backends(t *testing.T) []backend {
	t.Helper()
	emb, err := jobs.StartEmbeddedRedis()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emb.Close() })
	out := []backend{{name: "miniredis", redis: emb, ns: namespace()}}
	if u := os.Getenv(RedisEnv); u != "" {
		r, err := jobs.ConnectRedis(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		ns := namespace()
		t.Cleanup(func() {
			c := jobs.NewClient(r, ns)
			if err := c.DeleteQueues(context.Background()); err != nil {
				t.Errorf("clean up queues: %v", err)
			}
			_ = c.Close()
			_ = r.Close()
		})
		out = append(out, backend{name: "redis", redis: r, ns: ns})
	}
	return out
}

func namespace() jobs.Namespace {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return jobs.Namespace("zstest-" + hex.EncodeToString(b))
}

func startWorker(t *testing.T, b backend, opts jobs.WorkerOptions, register func(*jobs.Worker)) *jobs.Worker {
	t.Helper()
	opts.Namespace = b.ns
	if opts.Concurrency == 0 {
		opts.Concurrency = 2
	}
	w := jobs.NewWorker(b.redis, opts)
	if register != nil {
		register(w)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestPingRoundTrip(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			w := startWorker(t, b, jobs.WorkerOptions{}, nil)
			defer w.Shutdown()
			c := jobs.NewClient(b.redis, b.ns)
			defer c.Close()
			res, err := c.PingWorker(context.Background(), 10*time.Second)
			if err != nil {
				t.Fatal(err)
			}
			if res.Worker != w.Name() || res.Queue != b.ns.Queue(jobs.QueueCritical) || res.HandledAt.IsZero() {
				t.Errorf("ping answered %+v, want worker %s on %s", res, w.Name(), b.ns.Queue(jobs.QueueCritical))
			}
		})
	}
}

func TestPingWithoutWorkerSaysSo(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			c := jobs.NewClient(b.redis, b.ns)
			defer c.Close()
			_, err := c.PingWorker(context.Background(), 300*time.Millisecond)
			if !errors.Is(err, jobs.ErrNoWorker) {
				t.Fatalf("err = %v, want ErrNoWorker", err)
			}
		})
	}
}

// Unique locks are Redis keys with a TTL: they expire only if the embedded
// Redis's clock moves, which is what the all-in-one mode relies on.
func TestUniqueLockExpires(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			c := jobs.NewClient(b.redis, b.ns)
			defer c.Close()
			task := asynq.NewTask("test:unique", []byte("same"))
			ctx := context.Background()
			if _, err := c.Enqueue(ctx, task, jobs.QueueLow, asynq.Unique(time.Second)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Enqueue(ctx, task, jobs.QueueLow, asynq.Unique(time.Second)); !errors.Is(err, asynq.ErrDuplicateTask) {
				t.Fatalf("second enqueue within the lock: err = %v, want ErrDuplicateTask", err)
			}
			time.Sleep(1500 * time.Millisecond)
			if _, err := c.Enqueue(ctx, task, jobs.QueueLow, asynq.Unique(time.Second)); err != nil {
				t.Fatalf("enqueue after the lock expired: %v", err)
			}
		})
	}
}

// A worker shutting down hands an unfinished task back to the queue, and the
// next worker finishes it.
func TestShutdownHandsTaskBack(t *testing.T) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) {
			started := make(chan struct{}, 1)
			var finished atomic.Int32
			slow := asynq.HandlerFunc(func(ctx context.Context, task *asynq.Task) error {
				select {
				case started <- struct{}{}:
				default:
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Duration(len(task.Payload())) * time.Millisecond):
					finished.Add(1)
					return nil
				}
			})
			first := startWorker(t, b, jobs.WorkerOptions{ShutdownTimeout: 200 * time.Millisecond}, func(w *jobs.Worker) { w.Handle("test:slow", slow) })
			c := jobs.NewClient(b.redis, b.ns)
			defer c.Close()
			// Payload length is the work time in ms: 3 s, longer than the shutdown timeout.
			info, err := c.Enqueue(context.Background(), asynq.NewTask("test:slow", make([]byte, 3000)), jobs.QueueDefault, asynq.MaxRetry(3))
			if err != nil {
				t.Fatal(err)
			}
			select {
			case <-started:
			case <-time.After(10 * time.Second):
				t.Fatal("task never started")
			}
			first.Shutdown()
			if finished.Load() != 0 {
				t.Fatal("task finished before shutdown; test proves nothing")
			}
			second := startWorker(t, b, jobs.WorkerOptions{}, func(w *jobs.Worker) { w.Handle("test:slow", slow) })
			defer second.Shutdown()
			deadline := time.Now().Add(20 * time.Second)
			for finished.Load() == 0 && time.Now().Before(deadline) {
				time.Sleep(50 * time.Millisecond)
			}
			if finished.Load() != 1 {
				t.Fatalf("task %s was not finished by the second worker", info.ID)
			}
		})
	}
}

func TestConnectRedisUnreachable(t *testing.T) {
	_, err := jobs.ConnectRedis(context.Background(), "redis://:s3cret@127.0.0.1:1/0")
	if !errors.Is(err, jobs.ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error should name the server without its password: %v", err)
	}
}

func TestBadRedisURL(t *testing.T) {
	_, err := jobs.ConnectRedis(context.Background(), "http://127.0.0.1:6379")
	if err == nil || !strings.Contains(err.Error(), "redis://") {
		t.Fatalf("err = %v, want a hint naming redis://", err)
	}
}
