package uatsim

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe to write from the server and read from the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestMain_ServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--depository-delay", "10ms", "--trade-error-rate", "1",
			"--clock", "2026-11-18T16:45:00+08:00", "--clock-frozen", "--clearing-window", "16:30-17:30"}, &stdout, &stderr)
	}()
	url := ""
	for deadline := time.Now().Add(3 * time.Second); url == ""; time.Sleep(10 * time.Millisecond) {
		if m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(stdout.String()); m != "" {
			url = m
		}
		if time.Now().After(deadline) {
			t.Fatalf("no URL printed; stdout %q stderr %q", stdout.String(), stderr.String())
		}
	}
	get := func(path string) map[string]any {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer resp.Body.Close()
		var env map[string]any
		json.NewDecoder(resp.Body).Decode(&env)
		return env
	}
	if env := get("/trade/health"); env["code"] != codeSystemError {
		t.Errorf("--trade-error-rate 1: want 9999, got %v", env)
	}
	clock := get("/uat/clock")["data"].(map[string]any)
	if clock["in_clearing"] != true || clock["frozen"] != true {
		t.Errorf("clock flags: %v", clock)
	}
	resp, err := http.Get(url + "/openapi.json")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("openapi.json: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Main: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Main did not return after cancel")
	}
	if !strings.Contains(stderr.String(), "request_id=") {
		t.Errorf("calls are not logged with their request id: %q", stderr.String())
	}
}

func TestMain_BadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--account-error-rate", "2"}, {"--clearing-window", "17:30-16:30"}, {"--custody-redeploy-mode", "maybe"}, {"extra"}, {"--clock", "tomorrow"},
	} {
		var out, errOut bytes.Buffer
		if err := Main(context.Background(), args, &out, &errOut); err == nil {
			t.Errorf("%v: want an error", args)
		}
	}
}
