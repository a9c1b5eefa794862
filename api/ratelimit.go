package api

import (
	"fmt"
	"math"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"
	"github.com/go-redis/redis_rate/v10"

	"github.com/zaoshu/zaoshu/jobs"
)

// rateLimiter caps requests per token across every serve process (GCRA in
// Redis, by go-redis/redis_rate).
type rateLimiter struct {
	limiter *redis_rate.Limiter
	limit   redis_rate.Limit
}

func newRateLimiter(r *jobs.Redis, perSecond int) *rateLimiter {
	if r == nil {
		return nil
	}
	return &rateLimiter{limiter: redis_rate.NewLimiter(r.Client()), limit: redis_rate.Limit{Rate: perSecond, Burst: 2 * perSecond, Period: 1e9}}
}

func (h *Handlers) limit(c *gin.Context) {
	t := CurrentToken(c.Request.Context())
	if h.limiter == nil || t == nil {
		c.Next()
		return
	}
	res, err := h.limiter.limiter.Allow(c.Request.Context(), fmt.Sprintf("zaoshu:rate:token:%d", t.ID), h.limiter.limit)
	if err != nil {
		// The limiter's Redis trouble must not stop builds: let it through.
		h.Log.WarnContext(c.Request.Context(), "rate limiter", "error", err)
		c.Next()
		return
	}
	if res.Allowed == 0 {
		secs := int(math.Ceil(res.RetryAfter.Seconds()))
		c.Header("Retry-After", strconv.Itoa(max(secs, 1)))
		WriteProblem(c, http.StatusTooManyRequests, "rate_limited", "", map[string]any{"hint": hintf(c, "hint_rate", h.limiter.limit.Rate)})
		return
	}
	c.Next()
}
