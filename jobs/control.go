package jobs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/hibiken/asynq"

	"github.com/zaoshu/zaoshu/store"
)

// Cancel stops a run: a queued one at once; a running or waiting one at its
// next step boundary, on whichever worker holds it, after its finally steps.
func (b *Builds) Cancel(ctx context.Context, id string) (*store.Run, error) {
	run, err := b.store.UpdateRun(ctx, id, func(r *store.Run) error {
		r.CancelRequested = true
		if r.Status == store.RunQueued {
			r.Status = store.RunCancelled
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	queue := b.client.ns.Queue(run.Queue)
	switch run.Status {
	case store.RunCancelled:
		// Never started: take its task off the queue.
		if err := b.client.inspector.DeleteTask(queue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			b.log.Warn("remove cancelled run's task", "run", id, "error", err)
		}
	case store.RunWaitingEnv:
		// Bring the parked task forward so it sees the request now.
		if err := b.client.inspector.RunTask(queue, id); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			b.log.Warn("wake cancelled run", "run", id, "error", err)
		}
	}
	// A running run sees the request within BuildOptions.CancelCheck.
	return run, nil
}

// Retry starts a failed or cancelled run again from its failed step: the
// steps that succeeded are not sent again and their captures are reused.
func (b *Builds) Retry(ctx context.Context, id string) (*store.Run, error) {
	run, err := b.store.ReopenRun(ctx, id)
	if err != nil {
		return nil, err
	}
	// A finished task may still hold the id for a moment; delete it first.
	_ = b.client.inspector.DeleteTask(b.client.ns.Queue(run.Queue), id)
	if err := b.enqueue(ctx, run, 0); err != nil {
		return run, err
	}
	return run, nil
}

// Rerun builds again what a run was asked for, as a new run on the
// workflow's current revision: the inputs the requester gave, with changes
// applied; inputs left to their defaults are generated afresh (a new
// customer needs a new ID number).
func (b *Builds) Rerun(ctx context.Context, id string, changes map[string]any, source string, by uint64) (*store.Run, error) {
	old, err := b.store.Run(ctx, id)
	if err != nil {
		return nil, err
	}
	inputs, err := b.store.RunInputs(old)
	if err != nil {
		return nil, err
	}
	asked := map[string]any{}
	for _, k := range old.Given {
		if v, ok := inputs[k]; ok {
			asked[k] = v
		}
	}
	maps.Copy(asked, changes)
	return b.Submit(ctx, Request{
		Workflow: old.Workflow, Environment: old.Environment, Inputs: asked,
		Source: source, RequestedBy: by, Ticket: old.Ticket, Labels: old.Labels,
	})
}

// Reap re-queues runs that should be in the queue but are not — their task
// was lost with an embedded Redis that restarted, or a Redis that was
// flushed — so no run stays queued, running or waiting forever. Runs touched
// within grace are left alone. It returns how many it re-queued.
func (b *Builds) Reap(ctx context.Context, grace time.Duration) (int, error) {
	n := 0
	for _, status := range []store.RunStatus{store.RunQueued, store.RunRunning, store.RunWaitingEnv} {
		runs, err := b.store.Runs(ctx, store.RunFilter{Status: status, Limit: 500})
		if err != nil {
			return n, err
		}
		for i := range runs {
			r := &runs[i]
			if time.Since(r.UpdatedAt) < grace {
				continue
			}
			_, err := b.client.inspector.GetTaskInfo(b.client.ns.Queue(r.Queue), r.ID)
			if err == nil {
				continue
			}
			if !errors.Is(err, asynq.ErrTaskNotFound) && !errors.Is(err, asynq.ErrQueueNotFound) {
				return n, fmt.Errorf("look up task of run %s: %w", r.ID, err)
			}
			if err := b.enqueue(ctx, r, 0); err != nil {
				return n, err
			}
			b.log.Warn("re-queued a run whose task was lost", "run", r.ID, "status", r.Status)
			n++
		}
	}
	return n, nil
}
