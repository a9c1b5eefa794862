package ui

import (
	"strings"
	"sync"
	"time"
)

// Guessing passwords is slowed by bcrypt and stopped by this: after
// loginFailures wrong passwords for one username within loginWindow, that
// username may not sign in again until the window has passed. Counts are
// kept per process.
const (
	loginFailures = 5
	loginWindow   = 15 * time.Minute
)

type loginThrottle struct {
	mu       sync.Mutex
	failures map[string][]time.Time
	now      func() time.Time
}

func newLoginThrottle() *loginThrottle {
	return &loginThrottle{failures: map[string][]time.Time{}, now: time.Now}
}

// recent drops failures older than the window and returns the rest.
func (t *loginThrottle) recent(user string) []time.Time {
	cut := t.now().Add(-loginWindow)
	fs := t.failures[user]
	for len(fs) > 0 && fs[0].Before(cut) {
		fs = fs[1:]
	}
	if len(fs) == 0 {
		delete(t.failures, user)
	} else {
		t.failures[user] = fs
	}
	return fs
}

// blocked tells how long user must wait before trying again, or 0.
func (t *loginThrottle) blocked(user string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	fs := t.recent(strings.ToLower(user))
	if len(fs) < loginFailures {
		return 0
	}
	return fs[0].Add(loginWindow).Sub(t.now())
}

func (t *loginThrottle) failed(user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	user = strings.ToLower(user)
	t.failures[user] = append(t.recent(user), t.now())
}

func (t *loginThrottle) succeeded(user string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.failures, strings.ToLower(user))
}
