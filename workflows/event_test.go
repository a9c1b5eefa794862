package workflows

import (
	"testing"
	"time"
)

func TestParseAssignments(t *testing.T) {
	got, err := ParseAssignments([]string{"name=张三", "note=a=b", " risk = C4"})
	if err != nil || got["name"] != "张三" || got["note"] != "a=b" || got["risk"] != " C4" {
		t.Errorf("got %v, %v", got, err)
	}
	if _, err := ParseAssignments([]string{"novalue"}); err == nil {
		t.Errorf("no error for a pair without =")
	}
}

func TestEventLine(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	rec := &StepRecord{Step: "open", Attempt: 2, Status: StepFailed, HTTPStatus: 400, StartedAt: start, EndedAt: start.Add(35 * time.Millisecond),
		Failure: &Failure{Class: ClassBusinessRejected, Message: Text{Zh: "服务 account 返回 HTTP 400：证件已存在", En: "service account answered HTTP 400: 证件已存在"}}}
	got := Event{Kind: EventStepFinished, Step: "open", Record: rec}.Line("zh")
	if want := "✗ open #2 HTTP 400 35ms business_rejected: 服务 account 返回 HTTP 400：证件已存在"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}
