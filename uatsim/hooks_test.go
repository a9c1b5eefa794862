package uatsim

import (
	"path/filepath"
	"testing"
)

func TestPositionsCountInTotalAssets(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.buildStandard(e.newID("19800101", "123"), "韩一", "C")
	e.call("POST", "/uat/customers/"+code+"/positions", map[string]any{"market": "SH", "security_code": "600519", "security_name": "贵州茅台", "quantity": 100, "price": "1500.10"}).ok(t)
	e.call("POST", "/uat/customers/"+code+"/positions", map[string]any{"market": "SZ", "security_code": "00001", "quantity": 100, "price": "1"}).refused(t, 400, codeBadRequest, "6位数字")
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": 1000}).ok(t)
	b := e.call("GET", "/custody/balances?capital_account="+code, nil).ok(t)
	if b.str("market_value") != "150010.00" || b.str("total_assets") != "151010.00" {
		t.Errorf("balance with a position: %v", b.Data)
	}
}

func TestFaultsAndStateHooks(t *testing.T) {
	e := newTestEnv(t, testOptions())
	e.call("PUT", "/uat/faults/account", map[string]any{"latency_ms": 5, "redeploy_every_s": 600, "redeploy_for_s": 30, "redeploy_mode": "refused"}).ok(t)
	f := e.call("GET", "/uat/faults", nil).ok(t).Data["account"].(map[string]any)
	if f["redeploying"] != false || f["faults"].(map[string]any)["redeploy_for_s"] != 30.0 {
		t.Errorf("faults view: %v", f)
	}
	e.call("PUT", "/uat/faults/account", map[string]any{"redeploy_every_s": 10, "redeploy_for_s": 30}).refused(t, 400, codeBadRequest, "shorter than its period")
	e.call("PUT", "/uat/faults/ledger", map[string]any{}).refused(t, 404, codeNotFound, "服务不存在")
	e.call("POST", "/uat/faults/trade/redeploy", map[string]any{"seconds": 0}).refused(t, 400, codeBadRequest, "between 0 and 3600")

	code := e.createCustomer(e.newID("19800101", "123"), "韩二")
	file := filepath.Join(t.TempDir(), "state.json")
	e.call("POST", "/uat/state/save", map[string]any{"path": file}).ok(t)
	e.call("POST", "/uat/state/save", map[string]any{}).refused(t, 400, codeBadRequest, "state-file")
	e.call("POST", "/uat/reset", nil).ok(t)
	e.call("POST", "/uat/state/load", map[string]any{"path": file}).ok(t)
	id := e.call("GET", "/account/customers/"+code, nil).ok(t).str("id_number")
	if got := e.call("GET", "/uat/snapshot?id_number="+id, nil).ok(t).str("customer_code"); got != code {
		t.Errorf("snapshot by ID after load: %s", got)
	}
}

func TestChiNextFilingFailure(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.buildStandard(e.newID("19800101", "124"), "韩四", "D")
	e.qualify(code, "100000", "20200101")
	if err := e.sim.SetFaults(ServiceAccount, Faults{DepositoryFailRate: 1}); err != nil {
		t.Fatal(err)
	}
	sign := map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}
	r := e.call("POST", "/trade/agreements", sign).ok(t)
	if e.waitRequest(r.str("serial")).str("status") != "3" {
		t.Fatal("want the filing to fail")
	}
	ag := e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(t).Data["agreements"].([]any)[0].(map[string]any)
	if ag["status"] != "3" || ag["status_name"] != "中登报备失败" {
		t.Errorf("failed filing: %v", ag)
	}
	// A failed filing does not count as signed: signing again files again.
	if err := e.sim.SetFaults(ServiceAccount, Faults{}); err != nil {
		t.Fatal(err)
	}
	r2 := e.call("POST", "/trade/agreements", sign).ok(t)
	if e.waitRequest(r2.str("serial")).str("status") != "2" {
		t.Error("second filing should succeed")
	}
}
