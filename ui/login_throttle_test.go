package ui

import (
	"testing"
	"time"
)

func TestLoginThrottle(t *testing.T) {
	lt := newLoginThrottle()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	lt.now = func() time.Time { return now }
	for i := range loginFailures {
		if lt.blocked("Admin") != 0 {
			t.Fatalf("blocked after %d failures", i)
		}
		lt.failed("admin")
		now = now.Add(time.Minute)
	}
	if w := lt.blocked("ADMIN"); w != loginWindow-loginFailures*time.Minute {
		t.Errorf("after %d failures: wait %s", loginFailures, w)
	}
	if lt.blocked("someone-else") != 0 {
		t.Error("another user is blocked too")
	}
	now = now.Add(loginWindow)
	if lt.blocked("admin") != 0 {
		t.Error("still blocked after the window")
	}
	lt.failed("admin")
	lt.succeeded("admin")
	if len(lt.failures) != 0 {
		t.Error("a success does not clear the count")
	}
}
