package api

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/jobs"
)

// Both limiters let a burst of twice the rate through and then refuse,
// saying when to come back.
func TestRateLimiters(t *testing.T) {
	ctx := context.Background()
	emb, err := jobs.StartEmbeddedRedis()
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	limiters := map[string]*jobs.Redis{"embedded": emb}
	if u := os.Getenv("ZAOSHU_TEST_REDIS_URL"); u != "" {
		r, err := jobs.ConnectRedis(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		limiters["redis"] = r
	}
	for name, rd := range limiters {
		t.Run(name, func(t *testing.T) {
			l := newRateLimiter(rd, 2)
			tokenID := uint64(time.Now().UnixNano()) // fresh on a shared Redis
			allowed := 0
			var wait time.Duration
			for range 10 {
				ok, retry, err := l.allow(ctx, tokenID)
				if err != nil {
					t.Fatal(err)
				}
				if ok {
					allowed++
				} else {
					wait = retry
				}
			}
			if allowed != 4 || wait <= 0 || wait > time.Second {
				t.Errorf("allowed %d of 10 (want the burst of 4), retry after %s", allowed, wait)
			}
			if ok, _, _ := l.allow(ctx, tokenID+1); !ok {
				t.Error("another token was refused")
			}
		})
	}
}
