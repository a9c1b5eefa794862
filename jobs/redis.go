// Package jobs runs zaoshu's background work on asynq: task types, the
// client that enqueues them, the worker that handles them, and the Redis they
// share (a real one, or an embedded one for the all-in-one mode).
package jobs

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"github.com/zaoshu/zaoshu/store"
)

// ErrUnreachable wraps a failure to reach Redis.
var ErrUnreachable = errors.New("redis unreachable")

// Redis is the connection every asynq client, worker and inspector shares.
type Redis struct {
	client   redis.UniversalClient
	target   string
	embedded *miniredis.Miniredis
	stop     chan struct{}
	stopped  sync.WaitGroup
	close    sync.Once
	closeErr error
}

// ConnectRedis connects to redis://, rediss://, redis-socket:// or
// redis-sentinel:// URLs and checks the server answers.
func ConnectRedis(ctx context.Context, rawURL string) (*Redis, error) {
	opt, err := asynq.ParseRedisURI(rawURL)
	if err != nil {
		return nil, fmt.Errorf("redis URL %q: %w (use redis://[:password@]host:port[/db] or rediss:// for TLS)", redactRedisURL(rawURL), err)
	}
	rc, ok := opt.MakeRedisClient().(redis.UniversalClient)
	if !ok {
		return nil, fmt.Errorf("redis URL %q: unsupported connection type", redactRedisURL(rawURL))
	}
	r := &Redis{client: rc, target: redactRedisURL(rawURL)}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := r.Ping(pingCtx); err != nil {
		_ = rc.Close()
		return nil, fmt.Errorf("%w at %s: %w", ErrUnreachable, r.target, err)
	}
	return r, nil
}

// StartEmbeddedRedis runs an in-process Redis (miniredis) on a loopback port.
// miniredis only counts TTLs down when told to, so its clock is advanced in
// real time; otherwise asynq's unique locks and server heartbeats never expire.
func StartEmbeddedRedis() (*Redis, error) {
	m := miniredis.NewMiniRedis()
	if err := m.StartAddr("127.0.0.1:0"); err != nil {
		return nil, fmt.Errorf("start embedded redis: %w", err)
	}
	r := &Redis{
		client:   redis.NewClient(&redis.Options{Addr: m.Addr()}),
		target:   "embedded (in-process, " + m.Addr() + ")",
		embedded: m,
		stop:     make(chan struct{}),
	}
	r.stopped.Add(1)
	go r.tick()
	return r, nil
}

func (r *Redis) tick() {
	defer r.stopped.Done()
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	last := time.Now()
	r.embedded.SetTime(last)
	for {
		select {
		case <-r.stop:
			return
		case now := <-t.C:
			r.embedded.SetTime(now)
			r.embedded.FastForward(now.Sub(last))
			last = now
		}
	}
}

// EmbeddedURL is where other processes on this machine reach the embedded
// Redis (tests run worker processes against it); "" for a real Redis.
func (r *Redis) EmbeddedURL() string {
	if r.embedded == nil {
		return ""
	}
	return "redis://" + r.embedded.Addr()
}

// Client is the shared connection, for other Redis users (the API's rate limiter).
func (r *Redis) Client() redis.UniversalClient { return r.client }

// Embedded tells whether this is the in-process Redis.
func (r *Redis) Embedded() bool { return r.embedded != nil }

// Target describes the Redis, with any password hidden.
func (r *Redis) Target() string { return r.target }

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	return r.client.Ping(ctx).Err()
}

// Close closes the connections, and stops the embedded Redis if it is one.
// Closing again does nothing.
func (r *Redis) Close() error {
	r.close.Do(func() {
		r.closeErr = r.client.Close()
		if r.embedded != nil {
			close(r.stop)
			r.stopped.Wait()
			r.embedded.Close()
		}
	})
	return r.closeErr
}

func redactRedisURL(raw string) string { return store.RedactURL(raw) }
