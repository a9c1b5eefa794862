package uatsim

import (
	"testing"
	"time"
)

func TestDepositoryStates(t *testing.T) {
	opts := testOptions()
	opts.DepositoryDelay = 300 * time.Millisecond
	e := newTestEnv(t, opts)
	code := e.createCustomer(e.newID("19900101", "123"), "陈一")

	e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).refused(t, 422, codeCustomerState, "请先开立资金账户")
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).refused(t, 409, codeCapitalExists, "资金账户已存在")

	start := time.Now()
	r := e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t)
	serial := r.str("serial")
	if r.str("status") != "0" || len(serial) != 14 {
		t.Fatalf("new request: want status 0 and a 14-digit serial, got %v", r.Data)
	}
	e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).refused(t, 409, codeOneStopExists, "处理中，流水号："+serial)
	e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}).refused(t, 422, codeOneStopMissing, "仍在处理中")

	time.Sleep(100 * time.Millisecond) // past the send time (a fifth of the delay)
	if st := e.call("GET", "/account/csdc/requests/"+serial, nil).ok(t).str("status"); st != "1" {
		t.Errorf("after sending: want status 1, got %s", st)
	}
	done := e.waitRequest(serial)
	if took := time.Since(start); took < 300*time.Millisecond {
		t.Errorf("depository answered after %v, before its 300 ms delay", took)
	}
	oneStop := done.Data["result"].(map[string]any)["one_stop_account"].(string)
	if done.str("status") != "2" || len(oneStop) != 12 {
		t.Fatalf("answered request: %v", done.Data)
	}
	e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).refused(t, 409, codeOneStopExists, "该投资者已有一码通账户："+oneStop)
	e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SZ", "type": "11"}).refused(t, 400, codeBadRequest, "账户类别 11 与市场 SZ 不符")
	e.call("GET", "/account/csdc/requests/20990101000001", nil).refused(t, 404, codeNotFound, "中登请求流水号不存在")

	// At most 3 Shanghai A accounts, pending ones included.
	for range 3 {
		e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}).ok(t)
	}
	e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}).refused(t, 422, codeStockAccountLimit, "最多3户，当前3户（含处理中）")
	e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SZ"}).ok(t)
}

func TestDepositoryFailure(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "997"), "陈二")
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)
	r := e.waitRequest(e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t).str("serial"))
	if r.str("status") != "3" || r.str("message") != "中登返回失败：投资者身份信息与中国结算身份验证结果不一致" {
		t.Fatalf("sequence 997: want status 3 with the depository's message, got %v", r.Data)
	}
	// A failed request can be filed again (and fails again for this ID).
	r2 := e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t)
	if r2.str("serial") == r.str("serial") {
		t.Error("a new filing needs a new serial")
	}

	opts := testOptions()
	opts.Faults = map[Service]Faults{ServiceAccount: {DepositoryFailRate: 1}}
	e2 := newTestEnv(t, opts)
	code2 := e2.createCustomer(e2.newID("19900101", "123"), "陈三")
	e2.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code2}).ok(t)
	r3 := e2.waitRequest(e2.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code2}).ok(t).str("serial"))
	if r3.str("status") != "3" {
		t.Errorf("fail rate 1: want status 3, got %v", r3.Data)
	}
}

func TestSlowDepository(t *testing.T) {
	opts := testOptions()
	e := newTestEnv(t, opts)
	if err := e.sim.SetFaults(ServiceAccount, Faults{SlowDepository: 400 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	code := e.createCustomer(e.newID("19900101", "123"), "陈四")
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)
	serial := e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t).str("serial")
	time.Sleep(250 * time.Millisecond) // well past the 30 ms normal delay
	if st := e.call("GET", "/account/csdc/requests/"+serial, nil).ok(t).str("status"); st != "1" {
		t.Fatalf("slow depository: want status 1 past the usual delay, got %s", st)
	}
	if st := e.waitRequest(serial).str("status"); st != "2" {
		t.Errorf("slow depository eventually answers 2, got %s", st)
	}
}
