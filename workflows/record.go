package workflows

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// StepStatus is how one step attempt ended.
type StepStatus string

// Step statuses.
const (
	StepSucceeded StepStatus = "succeeded"
	StepFailed    StepStatus = "failed"
	StepSkipped   StepStatus = "skipped"
	// StepCancelled: the run was cancelled during the attempt.
	StepCancelled StepStatus = "cancelled"
)

// StepRecord is one attempt of one step, masked and truncated, as stored.
type StepRecord struct {
	RunID string `json:"run_id"`
	// Step is the step id, with the calling steps before it for steps inside
	// fragments: sign_agreements/sign.
	Step string `json:"step"`
	// Iteration is the for_each position ("2", "2.0" when nested); empty
	// outside loops.
	Iteration  string         `json:"iteration,omitempty"`
	Attempt    int            `json:"attempt"`
	Status     StepStatus     `json:"status"`
	StartedAt  time.Time      `json:"started_at"`
	EndedAt    time.Time      `json:"ended_at"`
	RequestID  string         `json:"request_id,omitempty"`
	Request    string         `json:"request,omitempty"`
	Response   string         `json:"response,omitempty"`
	HTTPStatus int            `json:"http_status,omitempty"`
	Polls      int            `json:"polls,omitempty"`
	Captures   map[string]any `json:"captures,omitempty"`
	Failure    *Failure       `json:"failure,omitempty"`
}

// Duration is how long the attempt took.
func (r StepRecord) Duration() time.Duration { return r.EndedAt.Sub(r.StartedAt) }

func (r StepRecord) key() string { return recordKey(r.Step, r.Iteration) }

// recordKey identifies one step at one loop position across attempts.
func recordKey(step, iter string) string { return step + "\x00" + iter }

// Recorder stores step records. The engine calls it once per attempt, and
// before any step that depends on this one starts, so a run can resume.
type Recorder interface {
	RecordStep(ctx context.Context, rec StepRecord) error
}

// RecorderFunc adapts a function to Recorder.
type RecorderFunc func(ctx context.Context, rec StepRecord) error

// RecordStep calls f.
func (f RecorderFunc) RecordStep(ctx context.Context, rec StepRecord) error { return f(ctx, rec) }

// MemoryRecorder keeps records in memory, for tests, benchmarks and zaoshu run.
type MemoryRecorder struct {
	mu      sync.Mutex
	records []StepRecord
}

// RecordStep appends rec.
func (m *MemoryRecorder) RecordStep(_ context.Context, rec StepRecord) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.records = append(m.records, rec)
	return nil
}

// Records returns a copy of what was recorded, in order.
func (m *MemoryRecorder) Records() []StepRecord {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]StepRecord(nil), m.records...)
}

// masker hides secrets and credentials in everything the engine records.
type masker struct {
	values  *strings.Replacer
	headers map[string]bool
	fields  *regexp.Regexp
}

const maskText = "***"

func newMasker(values []string, fields *regexp.Regexp) *masker {
	sort.Slice(values, func(i, j int) bool { return len(values[i]) > len(values[j]) })
	var pairs []string
	for _, v := range values {
		if len(v) >= 3 {
			pairs = append(pairs, v, maskText)
		}
	}
	return &masker{
		values:  strings.NewReplacer(pairs...),
		headers: map[string]bool{"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true, "x-api-key": true},
		fields:  fields,
	}
}

func (m *masker) text(s string) string {
	s = m.values.Replace(s)
	if m.fields != nil {
		s = m.fields.ReplaceAllString(s, `${1}"`+maskText+`"`)
	}
	return s
}

func (m *masker) header(name, value string) string {
	if m.headers[strings.ToLower(name)] {
		return maskText
	}
	return m.values.Replace(value)
}

// value masks strings inside a captured value.
func (m *masker) value(v any) any {
	switch x := v.(type) {
	case string:
		return m.values.Replace(x)
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = m.value(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = m.value(e)
		}
		return out
	}
	return v
}

func (m *masker) failure(f *Failure) *Failure {
	if f == nil {
		return nil
	}
	c := *f
	c.Message = Text{Zh: m.values.Replace(f.Message.Zh), En: m.values.Replace(f.Message.En)}
	return &c
}

func truncate(s string, limit int) string {
	if limit <= 0 || len(s) <= limit {
		return s
	}
	cut := limit
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("\n…(truncated, %d bytes in all)", len(s))
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
