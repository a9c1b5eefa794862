package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// Client enqueues tasks and looks at them.
type Client struct {
	ns        Namespace
	redis     *Redis
	client    *asynq.Client
	inspector *asynq.Inspector
}

// NewClient makes a client on a shared Redis connection.
func NewClient(r *Redis, ns Namespace) *Client {
	return &Client{
		ns:        ns,
		redis:     r,
		client:    asynq.NewClientFromRedisClient(r.client),
		inspector: asynq.NewInspectorFromRedisClient(r.client),
	}
}

// Enqueue puts a task on one of the queues (QueueCritical, QueueDefault, QueueLow).
func (c *Client) Enqueue(ctx context.Context, task *asynq.Task, queue string, opts ...asynq.Option) (*asynq.TaskInfo, error) {
	opts = append(opts, asynq.Queue(c.ns.Queue(queue)))
	info, err := c.client.EnqueueContext(ctx, task, opts...)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s on %s: %w", task.Type(), queue, err)
	}
	return info, nil
}

// ErrNoWorker means no worker handled a task in time.
var ErrNoWorker = errors.New("no worker answered")

// PingWorker sends a ping task through the queue and waits for a worker to
// answer it, proving the whole path (client → Redis → worker → result) works.
func (c *Client) PingWorker(ctx context.Context, wait time.Duration) (PingResult, error) {
	sent := time.Now().UTC()
	payload, err := json.Marshal(pingPayload{SentAt: sent})
	if err != nil {
		return PingResult{}, err
	}
	info, err := c.Enqueue(ctx, asynq.NewTask(TypePing, payload), QueueCritical,
		asynq.MaxRetry(0), asynq.Timeout(wait), asynq.Retention(time.Minute))
	if err != nil {
		return PingResult{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			// Do not leave the probe for a worker that comes up later.
			_ = c.inspector.DeleteTask(info.Queue, info.ID)
			return PingResult{}, fmt.Errorf("ping task %s waited %s: %w", info.ID, wait, ErrNoWorker)
		case <-tick.C:
		}
		ti, err := c.inspector.GetTaskInfo(info.Queue, info.ID)
		if err != nil {
			return PingResult{}, fmt.Errorf("read ping task %s: %w", info.ID, err)
		}
		if ti.State != asynq.TaskStateCompleted {
			continue
		}
		var res PingResult
		if err := json.Unmarshal(ti.Result, &res); err != nil {
			return PingResult{}, fmt.Errorf("read ping result: %w", err)
		}
		res.TaskID = info.ID
		res.Queue = info.Queue
		res.RoundTrip = time.Since(sent)
		return res, nil
	}
}

// Close releases the client.
func (c *Client) Close() error {
	return errors.Join(c.client.Close(), c.inspector.Close())
}

// DeleteQueues removes this namespace's queues with their tasks, results and
// statistics; tests use it to leave a shared Redis as they found it.
func (c *Client) DeleteQueues(ctx context.Context) error {
	var errs []error
	for q := range c.ns.Queues() {
		if err := c.inspector.DeleteQueue(q, true); err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			errs = append(errs, err)
		}
		// asynq keeps a queue's keys under the hash tag {queue}.
		iter := c.redis.client.Scan(ctx, 0, "asynq:{"+q+"}:*", 100).Iterator()
		for iter.Next(ctx) {
			errs = append(errs, c.redis.client.Del(ctx, iter.Val()).Err())
		}
		errs = append(errs, iter.Err())
	}
	return errors.Join(errs...)
}
