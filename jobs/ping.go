package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"
)

// TypePing is a task that only proves a worker is there.
const TypePing = "system:ping"

type pingPayload struct {
	SentAt time.Time `json:"sent_at"`
}

// PingResult is what a worker answers to a ping.
type PingResult struct {
	Worker    string        `json:"worker"`
	HandledAt time.Time     `json:"handled_at"`
	TaskID    string        `json:"task_id"`
	Queue     string        `json:"queue"`
	RoundTrip time.Duration `json:"round_trip"`
}

func handlePing(worker string) asynq.HandlerFunc {
	return func(ctx context.Context, t *asynq.Task) error {
		var p pingPayload
		if err := json.Unmarshal(t.Payload(), &p); err != nil {
			return fmt.Errorf("ping payload: %w: %w", err, asynq.SkipRetry)
		}
		out, err := json.Marshal(PingResult{Worker: worker, HandledAt: time.Now().UTC()})
		if err != nil {
			return err
		}
		if _, err := t.ResultWriter().Write(out); err != nil {
			return fmt.Errorf("write ping result: %w", err)
		}
		return nil
	}
}
