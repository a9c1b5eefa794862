package jobs

import (
	"context"
	"fmt"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// MaxBatch is the most runs one batch may ask for.
const MaxBatch = 1000

// ErrBatchSize is a batch asking for no run or more than MaxBatch.
var ErrBatchSize = fmt.Errorf("a batch has 1 to %d runs", MaxBatch)

// BatchRequest asks for many builds of one workflow: one per entry of
// Inputs, or Count builds with every input generated.
type BatchRequest struct {
	Request
	Inputs []map[string]any
	Count  int
}

// BatchInputErrors are the input problems of a batch, by position.
type BatchInputErrors map[int]workflows.InputErrors

func (e BatchInputErrors) Error() string {
	return fmt.Sprintf("%d of the batch's input sets have problems", len(e))
}

// SubmitBatch checks every input set first — nothing is recorded if any is
// wrong — then records the batch and its runs together and queues them.
func (b *Builds) SubmitBatch(ctx context.Context, req BatchRequest) (*store.Batch, []*store.Run, error) {
	sets := req.Inputs
	if len(sets) == 0 {
		sets = make([]map[string]any, req.Count)
	}
	if len(sets) == 0 || len(sets) > MaxBatch {
		return nil, nil, fmt.Errorf("%w, not %d", ErrBatchSize, len(sets))
	}
	def, envRec, err := b.check(ctx, req.Request)
	if err != nil {
		return nil, nil, err
	}
	queue := req.Queue
	if queue == "" {
		queue = QueueLow
	}
	problems := BatchInputErrors{}
	runs := make([]*store.Run, 0, len(sets))
	for i, set := range sets {
		run, bad, err := b.prepare(def, envRec, req.Request, queue, set, 0)
		if len(bad) > 0 {
			problems[i] = bad
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		runs = append(runs, run)
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	batch := &store.Batch{Workflow: def.Name, Environment: envRec.Name, RequestedBy: req.RequestedBy, Source: req.Source, Ticket: req.Ticket}
	if err := b.store.CreateBatch(ctx, batch, runs); err != nil {
		return nil, nil, err
	}
	for _, run := range runs {
		if err := b.enqueue(ctx, run, 0); err != nil {
			// Recorded runs whose task is missing are queued again by the reaper.
			return batch, runs, fmt.Errorf("queue runs of batch %s: %w", batch.ID, err)
		}
	}
	return batch, runs, nil
}
