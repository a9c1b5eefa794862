package uatsim

import (
	"sync"
	"time"
)

// callRecord is one call as /uat/logs shows it.
type callRecord struct {
	Time           time.Time `json:"time"`
	RequestID      string    `json:"request_id"`
	Method         string    `json:"method"`
	Path           string    `json:"path"`
	Status         int       `json:"status"` // 0: connection dropped
	Code           string    `json:"code"`
	Message        string    `json:"message"`
	DurationMS     float64   `json:"duration_ms"`
	IdempotencyKey string    `json:"idempotency_key,omitempty"`
	Replayed       bool      `json:"replayed,omitempty"`
	Fault          string    `json:"fault,omitempty"`
	Request        string    `json:"request,omitempty"`
	Response       string    `json:"response,omitempty"`
}

// callLog keeps the most recent calls in a ring.
type callLog struct {
	mu   sync.Mutex
	ring []callRecord
	next int
	full bool
}

func newCallLog(capacity int) *callLog { return &callLog{ring: make([]callRecord, capacity)} }

func (l *callLog) add(r callRecord) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring[l.next] = r
	l.next++
	if l.next == len(l.ring) {
		l.next, l.full = 0, true
	}
}

// find gives the kept calls matching keep, oldest first, at most limit.
func (l *callLog) find(keep func(*callRecord) bool, limit int) []callRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []callRecord{}
	n := l.next
	startAt := 0
	if l.full {
		n = len(l.ring)
		startAt = l.next
	}
	for i := range n {
		r := &l.ring[(startAt+i)%len(l.ring)]
		if keep(r) {
			out = append(out, *r)
		}
	}
	if len(out) > limit {
		out = out[len(out)-limit:]
	}
	return out
}
