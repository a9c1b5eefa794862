package jobs

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// MaintenanceOptions say how often and how long to keep things.
type MaintenanceOptions struct {
	// Every is how often maintenance runs.
	Every time.Duration
	// Grace is how long a run may go untouched before the reaper checks its task.
	Grace time.Duration
	// Retention is how long finished runs are kept; 0 keeps them forever.
	Retention time.Duration
}

// Maintain runs the reaper and the retention sweep every opts.Every until ctx
// is done. Every worker process runs it; a Redis lock lets one of them work
// at a time.
func (b *Builds) Maintain(ctx context.Context, opts MaintenanceOptions) {
	if opts.Every <= 0 {
		opts.Every = time.Minute
	}
	if opts.Grace <= 0 {
		opts.Grace = 2 * time.Minute
	}
	lock := "zaoshu:" + b.client.ns.Queue("maintenance")
	t := time.NewTicker(opts.Every)
	defer t.Stop()
	for {
		b.maintainOnce(ctx, lock, opts)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (b *Builds) maintainOnce(ctx context.Context, lock string, opts MaintenanceOptions) {
	ok, err := b.client.redis.client.SetArgs(ctx, lock, "1", redis.SetArgs{Mode: "NX", TTL: opts.Every / 2}).Result()
	if err != nil && err != redis.Nil {
		b.log.Warn("maintenance lock", "error", err)
		return
	}
	if ok != "OK" {
		return // another worker has it
	}
	if n, err := b.Reap(ctx, opts.Grace); err != nil {
		b.log.Warn("reap lost runs", "error", err)
	} else if n > 0 {
		b.log.Info("re-queued runs whose tasks were lost", "count", n)
	}
	if opts.Retention > 0 {
		n, err := b.store.DeleteFinishedRunsBefore(ctx, time.Now().Add(-opts.Retention))
		if err != nil {
			b.log.Warn("expire old runs", "error", err)
		} else if n > 0 {
			b.log.Info("expired finished runs past retention", "count", n, "retention", opts.Retention)
		}
	}
}
