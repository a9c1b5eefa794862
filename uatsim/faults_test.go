package uatsim

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLatencyFault(t *testing.T) {
	e := newTestEnv(t, testOptions())
	e.call("PUT", "/uat/faults/trade", map[string]any{"latency_ms": 300, "jitter_ms": 30}).ok(t)
	start := time.Now()
	e.call("GET", "/trade/catalogue", nil).ok(t)
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Errorf("trade call took %v, want ≥ 300 ms", d)
	}
	start = time.Now()
	e.call("GET", "/custody/banks", nil).ok(t)
	if d := time.Since(start); d > 200*time.Millisecond {
		t.Errorf("custody has no latency fault but took %v", d)
	}
}

func TestErrorRateFault(t *testing.T) {
	opts := testOptions()
	opts.Faults = map[Service]Faults{ServiceCustody: {ErrorRate: 1}}
	e := newTestEnv(t, opts)
	e.call("GET", "/custody/banks", nil).refused(t, 500, codeSystemError, "系统异常，请稍后重试")
	e.call("GET", "/trade/catalogue", nil).ok(t)

	e.call("PUT", "/uat/faults/custody", map[string]any{"error_rate": 0.5}).ok(t)
	failures := 0
	for range 200 {
		if e.call("GET", "/custody/banks", nil).Status == 500 {
			failures++
		}
	}
	if failures < 60 || failures > 140 {
		t.Errorf("error rate 0.5: %d of 200 failed", failures)
	}
	e.call("PUT", "/uat/faults/custody", map[string]any{"error_rate": 1.5}).refused(t, 400, codeBadRequest, "between 0 and 1")
}

func TestRedeploy503(t *testing.T) {
	e := newTestEnv(t, testOptions())
	e.call("POST", "/uat/faults/custody/redeploy", map[string]any{"seconds": 0.4}).ok(t)
	r := e.call("GET", "/custody/banks", nil)
	r.refused(t, 503, codeRedeploying, "系统升级中")
	if r.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After: want 1, got %q", r.Header.Get("Retry-After"))
	}
	e.call("GET", "/account/risk-questionnaire", nil).ok(t)
	time.Sleep(450 * time.Millisecond)
	e.call("GET", "/custody/banks", nil).ok(t)
}

func TestRedeployReset(t *testing.T) {
	e := newTestEnv(t, testOptions())
	e.call("POST", "/uat/faults/trade/redeploy", map[string]any{"seconds": 5, "mode": "reset"}).ok(t)
	req, _ := http.NewRequest("GET", e.base+"/trade/catalogue", nil)
	req.Header.Set("Authorization", "Bearer "+e.token)
	resp, err := e.client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("reset mode: want a dropped connection, got HTTP %d", resp.StatusCode)
	}
	e.call("DELETE", "/uat/faults", nil).ok(t)
	e.call("GET", "/trade/catalogue", nil).ok(t)
}

func TestRedeployRefusedClosesThePort(t *testing.T) {
	sim := New(testOptions())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- sim.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		sim.Close()
	}()
	e := &testEnv{t: t, sim: sim, base: "http://" + addr, client: &http.Client{}}
	e.call("GET", "/account/health", nil).ok(t)
	if err := sim.Redeploy(ServiceAccount, 600*time.Millisecond, RedeployRefused); err != nil {
		t.Fatal(err)
	}
	refusedSeen := false
	for deadline := time.Now().Add(500 * time.Millisecond); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			continue
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("dial during redeploy: want connection refused, got %v", err)
		}
		refusedSeen = true
		break
	}
	if !refusedSeen {
		t.Fatal("port never closed during the refused redeploy window")
	}
	for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("port not reopened after the window: %v", err)
		}
	}
	e.call("GET", "/account/health", nil).ok(t)
}

func TestPeriodicRedeployWindow(t *testing.T) {
	epoch := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := &faultState{cfg: Faults{RedeployEvery: 10 * time.Minute, RedeployFor: time.Minute}, epoch: epoch}
	for _, tt := range []struct {
		after time.Duration
		on    bool
	}{{0, false}, {8*time.Minute + 59*time.Second, false}, {9 * time.Minute, true}, {9*time.Minute + 59*time.Second, true}, {10 * time.Minute, false}, {19 * time.Minute, true}} {
		on, mode, until := f.redeploying(epoch.Add(tt.after))
		if on != tt.on {
			t.Errorf("%v after start: want redeploying=%v", tt.after, tt.on)
		}
		if on && (mode != Redeploy503 || !until.Equal(epoch.Add(tt.after).Truncate(10*time.Minute).Add(10*time.Minute))) {
			t.Errorf("%v: mode %s until %v", tt.after, mode, until)
		}
	}
}

func TestClearingWindow(t *testing.T) {
	e := newTestEnv(t, testOptions()) // 10:00 on a Wednesday
	code := e.createCustomer(e.newID("19900101", "123"), "黄一")
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-18T16:45:00+08:00", "frozen": true, "clearing_window": "16:30-17:30"}).ok(t)
	r := e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code})
	r.refused(t, 503, codeClearing, "系统正在清算中，请稍后重试")
	if r.Header.Get("Retry-After") != "2700" {
		t.Errorf("Retry-After until 17:30: want 2700, got %q", r.Header.Get("Retry-After"))
	}
	e.call("GET", "/account/customers/"+code, nil).ok(t) // queries still allowed
	// Saturday: no clearing.
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-21T16:45:00+08:00", "frozen": true}).ok(t)
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)

	// Changing a window alone keeps the clock where it is, frozen.
	c := e.call("PUT", "/uat/clock", map[string]any{"clearing_window": "off"}).ok(t)
	if c.Data["frozen"] != true || c.Data["now"] != "2026-11-21T16:45:00+08:00" || c.Data["clearing_window"] != "" {
		t.Errorf("clock after changing the clearing window only: %v", c.Data)
	}

	e.call("PUT", "/uat/faults/trade", map[string]any{"clearing": true}).ok(t)
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "risk_warning"}).refused(t, 503, codeClearing, "系统正在清算中")
	e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(t)
}

func TestLostResponseThenReplay(t *testing.T) {
	e := newTestEnv(t, testOptions())
	id := e.newID("19900101", "123")
	e.call("POST", "/account/identity/police-check", map[string]any{"id_number": id, "name": "黄二"}).ok(t)
	e.call("PUT", "/uat/faults/account", map[string]any{"lost_response_rate": 1}).ok(t)
	body := map[string]any{"name": "黄二", "id_number": id, "id_expiry": "20350101", "mobile": "13812345678", "channel": "2"}
	e.call("POST", "/account/customers", body, "Idempotency-Key: run3:create:0").refused(t, 504, codeGatewayTimeout, "网关超时")
	e.call("DELETE", "/uat/faults", nil).ok(t)
	// The first call went through: a replay without the key is refused as a duplicate…
	e.call("POST", "/account/customers", body).refused(t, 409, codeDuplicateCustomer, "系统不允许同一证件开多个客户代码")
	// …and with the key it answers what the lost response said.
	r := e.call("POST", "/account/customers", body, "Idempotency-Key: run3:create:0").ok(t)
	if r.Header.Get("Idempotent-Replayed") != "true" || len(r.str("customer_code")) != 12 {
		t.Errorf("replay after a lost response: %v %v", r.Header, r.Data)
	}
}

func TestRequestLog(t *testing.T) {
	e := newTestEnv(t, testOptions())
	e.call("POST", "/account/customers", map[string]any{"name": "黄三"}, "X-Request-Id: run9-create-1")
	r := e.call("GET", "/uat/logs?request_id=run9-create-1", nil).ok(t)
	calls := r.Data["calls"].([]any)
	if len(calls) != 1 {
		t.Fatalf("want 1 logged call, got %v", calls)
	}
	c := calls[0].(map[string]any)
	if c["method"] != "POST" || c["path"] != "/account/customers" || c["status"] != 400.0 || c["code"] != codeIDFormat {
		t.Errorf("logged call: %v", c)
	}
	r2 := e.call("GET", "/account/health", nil, "X-Request-Id: probe-1")
	if r2.Header.Get("X-Request-Id") != "probe-1" || !strings.Contains(string(r2.Body), `"request_id":"probe-1"`) {
		t.Errorf("request id not echoed: %s", r2.Body)
	}
	e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword}, "X-Request-Id: login-1")
	if c := e.call("GET", "/uat/logs?request_id=login-1", nil).ok(t).Data["calls"].([]any)[0].(map[string]any); c["request"] != "[masked]" {
		t.Errorf("login body must be masked in the log: %v", c["request"])
	}
}
