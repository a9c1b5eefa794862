package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"
)

// Limiter caps how many calls are in flight to one environment across every
// worker process: a counting semaphore in Redis. Each holder is a member of a
// sorted set scored by when its lease runs out, so a crashed worker's slots
// come back by themselves.
type Limiter struct {
	redis *Redis
	ns    Namespace
	lease time.Duration
}

// NewLimiter makes a limiter; a slot not released within lease is freed.
func NewLimiter(r *Redis, ns Namespace, lease time.Duration) *Limiter {
	return &Limiter{redis: r, ns: ns, lease: lease}
}

// acquireScript takes a slot if fewer than ARGV[1] are held: it first drops
// slots whose lease ran out (score < now), then adds the caller's.
var acquireScript = redis.NewScript(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0
`)

func (l *Limiter) key(env string) string {
	return "zaoshu:" + l.ns.Queue("limit") + ":" + env
}

// Acquire waits for one of limit slots for env and returns its release.
func (l *Limiter) Acquire(ctx context.Context, env string, limit int) (release func(), err error) {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	holder := hex.EncodeToString(b)
	key := l.key(env)
	wait := 5 * time.Millisecond
	for {
		now := time.Now()
		ok, err := acquireScript.Run(ctx, l.redis.client, []string{key},
			limit, now.UnixMilli(), now.Add(l.lease).UnixMilli(), holder, (2 * l.lease).Milliseconds()).Int()
		if err != nil {
			return nil, fmt.Errorf("take a call slot for environment %s: %w", env, err)
		}
		if ok == 1 {
			return func() {
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
				defer cancel()
				l.redis.client.ZRem(ctx, key, holder)
			}, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for a call slot for environment %s (limit %d): %w", env, limit, ctx.Err())
		case <-time.After(wait):
		}
		if wait < 100*time.Millisecond {
			wait *= 2
		}
	}
}

// InFlight is how many slots of env are held now.
func (l *Limiter) InFlight(ctx context.Context, env string) (int64, error) {
	return l.redis.client.ZCount(ctx, l.key(env), fmt.Sprint(time.Now().UnixMilli()), "+inf").Result()
}

// Transport wraps base so that every request holds one of limit slots of env
// until its response body is closed.
func (l *Limiter) Transport(base http.RoundTripper, env string, limit int) http.RoundTripper {
	if limit <= 0 {
		return base
	}
	return limitedTransport{l: l, base: base, env: env, limit: limit}
}

type limitedTransport struct {
	l     *Limiter
	base  http.RoundTripper
	env   string
	limit int
}

func (t limitedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	release, err := t.l.Acquire(req.Context(), t.env, t.limit)
	if err != nil {
		return nil, err
	}
	res, err := t.base.RoundTrip(req)
	if err != nil {
		release()
		return nil, err
	}
	res.Body = &releasingBody{ReadCloser: res.Body, release: release}
	return res, nil
}

type releasingBody struct {
	io.ReadCloser
	release func()
	done    bool
}

func (b *releasingBody) Close() error {
	err := b.ReadCloser.Close()
	if !b.done {
		b.done = true
		b.release()
	}
	return err
}
