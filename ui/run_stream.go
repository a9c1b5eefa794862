package ui

import (
	"context"
	"fmt"
	"hash/fnv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/zaoshu/zaoshu/store"
)

// streamEvery is how often a stream looks for changes.
const streamEvery = 500 * time.Millisecond

// stream sends a "changed" event whenever probe's fingerprint differs from
// the last one (the page's own, first), and "done" when probe says the
// thing has finished. htmx then fetches the fresh fragment.
func stream(c *gin.Context, since string, probe func(ctx context.Context) (string, bool, error)) {
	c.Header("Content-Type", "text/event-stream")
	c.Header("Cache-Control", "no-cache")
	c.Header("X-Accel-Buffering", "no")
	ctx := c.Request.Context()
	last := since
	tick := time.NewTicker(streamEvery)
	defer tick.Stop()
	// A comment first, so the browser knows the stream is open.
	fmt.Fprint(c.Writer, ": open\n\n")
	c.Writer.Flush()
	for {
		fp, done, err := probe(ctx)
		if err != nil {
			return
		}
		if fp != last {
			last = fp
			fmt.Fprintf(c.Writer, "event: changed\ndata: %s\n\n", fp)
			c.Writer.Flush()
		}
		if done {
			fmt.Fprint(c.Writer, "event: done\ndata: done\n\n")
			c.Writer.Flush()
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// streamRun follows one run until it finishes.
func (u *UI) streamRun(c *gin.Context) {
	id := c.Param("id")
	stream(c, c.Query("v"), func(ctx context.Context) (string, bool, error) {
		run, err := u.store.Run(ctx, id)
		if err != nil {
			return "", false, err
		}
		recs, err := u.store.StepRecords(ctx, id)
		if err != nil {
			return "", false, err
		}
		return runFingerprint(run, len(recs)), run.Status.Finished(), nil
	})
}

// streamRuns follows the runs a list shows.
func (u *UI) streamRuns(c *gin.Context) {
	_, f := runsFilter(c)
	stream(c, c.Query("v"), func(ctx context.Context) (string, bool, error) {
		runs, err := u.store.Runs(ctx, f)
		if err != nil {
			return "", false, err
		}
		return runsFingerprint(runs), false, nil
	})
}

// runsFingerprint changes whenever a listed run does.
func runsFingerprint(runs []store.Run) string {
	h := fnv.New64a()
	for _, r := range runs {
		fmt.Fprintf(h, "%s|%s|%s;", r.ID, r.Status, r.UpdatedAt.UTC().Format(time.RFC3339Nano))
	}
	return fmt.Sprintf("%x", h.Sum64())
}
