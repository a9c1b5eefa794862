package workflows

import (
	"fmt"
	"strings"
	"time"
)

// EventKind is what happened in an Event.
type EventKind string

// Event kinds.
const (
	EventStepStarted  EventKind = "step_started"
	EventStepFinished EventKind = "step_finished"
	EventStepResumed  EventKind = "step_resumed"
)

// Event tells a watcher (the CLI, a live page) about a step.
type Event struct {
	Kind      EventKind
	RunID     string
	Step      string
	Iteration string
	Attempt   int
	Time      time.Time
	// Record is set for finished and resumed steps; it is masked.
	Record *StepRecord
}

// Line renders an event as one line of live output in lang ("zh" or "en").
func (e Event) Line(lang string) string {
	step := e.Step
	if e.Iteration != "" {
		step += "[" + e.Iteration + "]"
	}
	switch e.Kind {
	case EventStepStarted:
		return fmt.Sprintf("→ %s #%d", step, e.Attempt)
	case EventStepResumed:
		if lang == "en" {
			return fmt.Sprintf("↺ %s (done in an earlier attempt)", step)
		}
		return fmt.Sprintf("↺ %s（上次已完成）", step)
	}
	rec := e.Record
	if rec == nil {
		return step
	}
	var b strings.Builder
	switch rec.Status {
	case StepSucceeded:
		b.WriteString("✓ ")
	case StepSkipped:
		b.WriteString("– ")
	default:
		b.WriteString("✗ ")
	}
	fmt.Fprintf(&b, "%s #%d", step, rec.Attempt)
	if rec.HTTPStatus != 0 {
		fmt.Fprintf(&b, " HTTP %d", rec.HTTPStatus)
	}
	if rec.Polls > 1 {
		fmt.Fprintf(&b, " ×%d", rec.Polls)
	}
	fmt.Fprintf(&b, " %s", rec.Duration().Round(time.Millisecond))
	switch {
	case rec.Status == StepSkipped && lang == "en":
		b.WriteString(" skipped (when is false)")
	case rec.Status == StepSkipped:
		b.WriteString(" 跳过（when 不成立）")
	case rec.Status == StepCancelled && lang == "en":
		b.WriteString(" cancelled")
	case rec.Status == StepCancelled:
		b.WriteString(" 已取消")
	case rec.Failure != nil:
		fmt.Fprintf(&b, " %s: %s", rec.Failure.Class, rec.Failure.Message.In(lang))
	}
	return b.String()
}
