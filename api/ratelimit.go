package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/go-redis/redis_rate/v10"
	"golang.org/x/time/rate"

	"github.com/zaoshu/zaoshu/jobs"
)

// rateLimiter says whether a token may make one more request now, and if
// not, when it may.
type rateLimiter interface {
	allow(ctx context.Context, tokenID uint64) (ok bool, retryAfter time.Duration, err error)
}

// newRateLimiter caps requests per token. Behind a shared Redis the cap holds
// across every serve process (GCRA in Redis, by go-redis/redis_rate); with
// the embedded Redis there is only this process, and a token bucket in
// memory does the same without a Lua script per request.
func newRateLimiter(r *jobs.Redis, perSecond int) rateLimiter {
	switch {
	case r == nil:
		return nil
	case r.Embedded():
		return &localLimiter{perSecond: perSecond, buckets: map[uint64]*rate.Limiter{}}
	default:
		return &redisLimiter{limiter: redis_rate.NewLimiter(r.Client()), limit: redis_rate.Limit{Rate: perSecond, Burst: 2 * perSecond, Period: time.Second}}
	}
}

type redisLimiter struct {
	limiter *redis_rate.Limiter
	limit   redis_rate.Limit
}

func (l *redisLimiter) allow(ctx context.Context, tokenID uint64) (bool, time.Duration, error) {
	res, err := l.limiter.Allow(ctx, fmt.Sprintf("zaoshu:rate:token:%d", tokenID), l.limit)
	if err != nil {
		return true, 0, err
	}
	return res.Allowed > 0, res.RetryAfter, nil
}

type localLimiter struct {
	perSecond int
	mu        sync.Mutex
	buckets   map[uint64]*rate.Limiter
}

func (l *localLimiter) allow(_ context.Context, tokenID uint64) (bool, time.Duration, error) {
	l.mu.Lock()
	b, ok := l.buckets[tokenID]
	if !ok {
		b = rate.NewLimiter(rate.Limit(l.perSecond), 2*l.perSecond)
		l.buckets[tokenID] = b
	}
	l.mu.Unlock()
	r := b.Reserve()
	if d := r.Delay(); d > 0 {
		r.Cancel()
		return false, d, nil
	}
	return true, 0, nil
}

func (h *Handlers) limit(c *gin.Context) {
	t := CurrentToken(c.Request.Context())
	if h.limiter == nil || t == nil {
		c.Next()
		return
	}
	ok, retryAfter, err := h.limiter.allow(c.Request.Context(), t.ID)
	if err != nil {
		// The limiter's Redis trouble must not stop builds: let it through.
		h.Log.WarnContext(c.Request.Context(), "rate limiter", "error", err)
	}
	if !ok {
		secs := int(math.Ceil(retryAfter.Seconds()))
		c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
		WriteProblem(c, http.StatusTooManyRequests, "rate_limited", "", map[string]any{"hint": hintf(c, "hint_rate", h.RatePerSecond)})
		return
	}
	c.Next()
}
