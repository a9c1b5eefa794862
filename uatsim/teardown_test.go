package uatsim

import (
	"slices"
	"strings"
	"testing"
)

// accountsOf reads a customer's main and auxiliary capital accounts, custody
// agreement ids and shareholder accounts from the business APIs.
type accountsOf struct {
	custody    map[string]string // capital account → custody agreement id
	auxiliary  []string
	sh, sz     string
	agreements []string
}

func (e *testEnv) accounts(code string) accountsOf {
	e.t.Helper()
	a := accountsOf{custody: map[string]string{}}
	for _, v := range e.call("GET", "/custody/agreements?customer_code="+code, nil).ok(e.t).Data["agreements"].([]any) {
		ag := v.(map[string]any)
		a.custody[ag["capital_account"].(string)] = ag["agreement_id"].(string)
		if ag["main"] == false {
			a.auxiliary = append(a.auxiliary, ag["capital_account"].(string))
		}
	}
	for _, v := range e.call("GET", "/account/stock-accounts?customer_code="+code, nil).ok(e.t).Data["stock_accounts"].([]any) {
		sa := v.(map[string]any)
		if sa["market"] == "SH" {
			a.sh = sa["account"].(string)
		} else {
			a.sz = sa["account"].(string)
		}
	}
	for _, v := range e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(e.t).Data["agreements"].([]any) {
		a.agreements = append(a.agreements, v.(map[string]any)["agreement_id"].(string))
	}
	return a
}

// withExtras gives a standard account 100.00 transferred in, an auxiliary bank
// (ICBC), a risk-warning agreement and a Shanghai position.
func (e *testEnv) withExtras(id, name string) string {
	e.t.Helper()
	code := e.buildStandard(id, name, "D")
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": "100.00"}).ok(e.t)
	e.call("POST", "/custody/auxiliary-accounts", map[string]any{"customer_code": code, "bank_code": "5200", "bank_card": luhnCard("622202000000000")}).ok(e.t)
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "risk_warning", "disclosure_confirmed": true}).ok(e.t)
	e.call("POST", "/uat/customers/"+code+"/positions", map[string]any{"market": "SH", "security_code": "600000", "security_name": "浦发银行", "quantity": 100, "price": "8.00"}).ok(e.t)
	return code
}

// closeAll tears a customer down in the back office's order, leaving out the
// steps named in skip, and returns the last answer (the customer's closing).
func (e *testEnv) closeAll(code string, skip ...string) reply {
	e.t.Helper()
	run := func(step string) bool { return !slices.Contains(skip, step) }
	a := e.accounts(code)
	if run("agreements") {
		for _, id := range a.agreements {
			e.call("POST", "/trade/agreements/"+id+"/cancel", nil).ok(e.t)
		}
	}
	e.call("POST", "/uat/customers/"+code+"/sell-out", nil).ok(e.t)
	b := e.call("GET", "/custody/balances?capital_account="+code, nil).ok(e.t)
	if w := b.str("withdrawable"); w != "0.00" {
		e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "out", "amount": w, "funds_password": "246801"}).ok(e.t)
	}
	for _, aux := range a.auxiliary {
		e.call("POST", "/custody/auxiliary-accounts/"+aux+"/cancel", nil).ok(e.t)
	}
	e.call("POST", "/custody/agreements/"+a.custody[code]+"/cancel", nil).ok(e.t)
	e.call("POST", "/account/stock-accounts/"+a.sh+"/designated-trading/cancel", nil).ok(e.t)
	for _, acct := range []string{a.sh, a.sz} {
		if acct == a.sz && !run("SZ") {
			continue
		}
		r := e.call("POST", "/account/stock-accounts/"+acct+"/close", nil).ok(e.t)
		if st := e.waitRequest(r.str("serial")).str("status"); st != "2" {
			e.t.Fatalf("closing %s: depository status %s", acct, st)
		}
	}
	if run("capital") {
		e.call("POST", "/account/capital-accounts/"+code+"/close", nil).ok(e.t)
	}
	return e.call("POST", "/account/customers/"+code+"/close", nil)
}

// TestCloseStandardAccount closes a full account over HTTP, checks that every
// part of it shows status 9 in the snapshot and that the ID opens again.
func TestCloseStandardAccount(t *testing.T) {
	e := newTestEnv(t, testOptions())
	id := e.newID("19800101", "123")
	code := e.withExtras(id, "孙立")
	a := e.accounts(code)

	e.call("POST", "/account/customers/"+code+"/close", nil).refused(t, 422, codeAccountsOpen, "客户尚有未注销的账户，不能销户：资金账户 "+code)
	closed := e.closeAll(code).ok(t)
	if closed.str("status") != "9" {
		t.Errorf("closing answered status %q, want 9", closed.str("status"))
	}

	snap := e.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t).Data
	if snap["status"] != "9" || snap["closed_at"] == nil {
		t.Errorf("customer status %v closed_at %v, want 9 and a time", snap["status"], snap["closed_at"])
	}
	for _, v := range snap["capital_accounts"].([]any) {
		ca := v.(map[string]any)
		custody := ca["custody"].(map[string]any)
		if ca["status"] != "9" || custody["status"] != "9" || ca["balance"].(map[string]any)["total_assets"] != "0.00" {
			t.Errorf("capital account %v: status %v, custody %v, balance %v; want 9, 9, 0.00", ca["capital_account"], ca["status"], custody["status"], ca["balance"])
		}
	}
	if n := len(snap["capital_accounts"].([]any)); n != 2 {
		t.Errorf("%d capital accounts in the snapshot, want main and auxiliary", n)
	}
	for _, v := range snap["stock_accounts"].([]any) {
		if sa := v.(map[string]any); sa["status"] != "9" || sa["designated"] != false {
			t.Errorf("shareholder account %v: status %v designated %v, want 9 and not designated", sa["account"], sa["status"], sa["designated"])
		}
	}
	for _, v := range snap["agreements"].([]any) {
		if ag := v.(map[string]any); ag["status"] != "9" || ag["status_name"] != "已终止" {
			t.Errorf("agreement %v: status %v %v, want 9 已终止", ag["agreement_id"], ag["status"], ag["status_name"])
		}
	}
	if p := snap["positions"]; p != nil {
		t.Errorf("positions after the sell-out: %v", p)
	}

	// Closed things stay closed.
	e.call("POST", "/account/customers/"+code+"/close", nil).refused(t, 409, codeClosed, "已销户")
	e.call("POST", "/account/stock-accounts/"+a.sz+"/close", nil).refused(t, 409, codeClosed, "已注销")
	e.call("POST", "/custody/agreements/"+a.custody[code]+"/cancel", nil).refused(t, 409, codeCustodyCancelled, "三方存管已撤销")
	e.call("POST", "/trade/agreements/"+a.agreements[0]+"/cancel", nil).refused(t, 409, codeAgreementEnded, "已终止")
	e.call("PUT", "/account/customers/"+code+"/contact", map[string]any{"mobile": "13812345678", "address": "北京市朝阳区建国路88号", "postcode": "100022"}).refused(t, 409, codeClosed, "已销户")

	// The same ID number opens a new customer; both are listed.
	again := e.buildStandard(id, "孙立", "C")
	if again == code {
		t.Fatalf("reopening gave the closed customer code %s again", code)
	}
	list := e.call("GET", "/account/customers?id_number="+id, nil).ok(t).Data["customers"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["status"] != "9" || list[1].(map[string]any)["status"] != "0" {
		t.Errorf("customers of %s: %v, want the closed one (9) and the new one (0)", id, list)
	}
	var all []any
	for _, v := range e.call("GET", "/uat/customers", nil).ok(t).Data["customers"].([]any) {
		if v.(map[string]any)["id_number"] == id {
			all = append(all, v.(map[string]any)["status"])
		}
	}
	if !slices.Equal(all, []any{"9", "0"}) {
		t.Errorf("/uat/customers statuses for %s: %v, want [9 0]", id, all)
	}
}

// TestClosingRefusals checks each rule at its boundary: one cent, one open
// account, one position or agreement refuses; none lets the call through.
func TestClosingRefusals(t *testing.T) {
	type step func(e *testEnv, code string, a accountsOf)
	transfer := func(dir, amount string) step {
		return func(e *testEnv, code string, a accountsOf) {
			e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": dir, "amount": amount, "funds_password": "246801"}).ok(e.t)
		}
	}
	cancelAux := func(e *testEnv, code string, a accountsOf) {
		e.call("POST", "/custody/auxiliary-accounts/"+a.auxiliary[0]+"/cancel", nil).ok(e.t)
	}
	sellOut := func(e *testEnv, code string, a accountsOf) {
		e.call("POST", "/uat/customers/"+code+"/sell-out", nil).ok(e.t)
	}
	cancelCustody := func(e *testEnv, code string, a accountsOf) {
		e.call("POST", "/custody/agreements/"+a.custody[code]+"/cancel", nil).ok(e.t)
	}
	type target func(e *testEnv, code string, a accountsOf) reply
	cancelMain := func(e *testEnv, code string, a accountsOf) reply {
		return e.call("POST", "/custody/agreements/"+a.custody[code]+"/cancel", nil)
	}
	closeCapital := func(e *testEnv, code string, a accountsOf) reply {
		return e.call("POST", "/account/capital-accounts/"+code+"/close", nil)
	}
	tests := []struct {
		name    string
		prepare []step
		call    target
		status  int
		code    string
		message string
	}{
		{"custody with an auxiliary account open", []step{transfer("out", "100.00")}, cancelMain, 422, codeAuxiliaryOpen, "尚有辅助资金账户未撤销"},
		{"custody with 0.01 left", []step{cancelAux, transfer("out", "99.99")}, cancelMain, 422, codeCustodyBalance, "资金余额不为零，不能撤销三方存管：资金账户 {code} 余额 0.01 元"},
		{"custody with 0.00 left", []step{cancelAux, transfer("out", "100.00")}, cancelMain, 200, codeOK, ""},
		{"custody with unsettled proceeds", []step{cancelAux, transfer("out", "100.00"), func(e *testEnv, code string, a accountsOf) {
			e.call("POST", "/uat/capital-accounts/"+code+"/sale-proceeds", map[string]any{"amount": "0.01"}).ok(e.t)
		}}, cancelMain, 422, codeFundsInTransit, "有在途资金（未交收卖出资金 0.01 元）"},
		{"auxiliary account with 0.01", []step{func(e *testEnv, code string, a accountsOf) {
			e.call("POST", "/custody/transfers", map[string]any{"capital_account": a.auxiliary[0], "direction": "in", "amount": "0.01"}).ok(e.t)
		}}, func(e *testEnv, code string, a accountsOf) reply {
			return e.call("POST", "/custody/auxiliary-accounts/"+a.auxiliary[0]+"/cancel", nil)
		}, 422, codeCustodyBalance, "余额 0.01 元"},
		{"capital account with custody bound", []step{cancelAux, transfer("out", "100.00")}, closeCapital, 422, codeCustodyBound, "仍签约三方存管（中国建设银行），须先撤销三方存管"},
		{"capital account with a position", []step{cancelAux, transfer("out", "100.00"), cancelCustody}, closeCapital, 422, codePositionsRemain, "仍有持仓，不能注销资金账户：600000 浦发银行 100股"},
		{"capital account with 0.01 sold after custody", []step{cancelAux, sellOut, transfer("out", "900.00"), cancelCustody, func(e *testEnv, code string, a accountsOf) {
			e.call("POST", "/uat/capital-accounts/"+code+"/sale-proceeds", map[string]any{"amount": "0.01"}).ok(e.t)
		}}, closeCapital, 422, codeBalanceRemains, "资金余额不为零，不能注销资金账户：{code} 可用 0.01 元"},
		{"capital account with nothing left", []step{cancelAux, sellOut, transfer("out", "900.00"), cancelCustody}, closeCapital, 200, codeOK, ""},
		{"designated trading with a Shanghai position", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.call("POST", "/account/stock-accounts/"+a.sh+"/designated-trading/cancel", nil)
		}, 422, codePositionsRemain, "仍有持仓，不能撤销指定交易"},
		{"Shanghai account still designated", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.call("POST", "/account/stock-accounts/"+a.sh+"/close", nil)
		}, 422, codeDesignatedFirst, "须先撤销指定交易"},
		{"Shenzhen account with a position there", []step{func(e *testEnv, code string, a accountsOf) {
			e.call("POST", "/uat/customers/"+code+"/positions", map[string]any{"market": "SZ", "security_code": "000001", "security_name": "平安银行", "quantity": 100, "price": "11.00"}).ok(e.t)
		}}, func(e *testEnv, code string, a accountsOf) reply {
			return e.call("POST", "/account/stock-accounts/"+a.sz+"/close", nil)
		}, 422, codePositionsRemain, "仍有持仓，不能注销股东账户：000001 平安银行 100股"},
		{"Shenzhen account without positions there", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.call("POST", "/account/stock-accounts/"+a.sz+"/close", nil)
		}, 200, codeOK, ""},
		{"customer with the Shenzhen account open", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.closeAll(code, "SZ")
		}, 422, codeAccountsOpen, "客户尚有未注销的账户，不能销户：股东账户 "},
		{"customer with the capital account open", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.closeAll(code, "capital")
		}, 422, codeAccountsOpen, "客户尚有未注销的账户，不能销户：资金账户 {code}"},
		{"customer with an agreement in force", nil, func(e *testEnv, code string, a accountsOf) reply {
			return e.closeAll(code, "agreements")
		}, 422, codeAgreementsInForce, "客户尚有未终止的交易权限协议，不能销户：风险警示板"},
	}
	e := newTestEnv(t, testOptions())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			code := e.withExtras(e.newID("19800101", "123"), "周平")
			a := e.accounts(code)
			for _, p := range tt.prepare {
				p(e, code, a)
			}
			r := tt.call(e, code, a)
			if tt.code == codeOK {
				r.ok(t)
				return
			}
			r.refused(t, tt.status, tt.code, strings.ReplaceAll(tt.message, "{code}", code))
		})
	}
}

// TestClosingIsIdempotent replays a customer's closing under the same
// Idempotency-Key (the first answer again, not "已销户") and finds the call
// in the log by its X-Request-Id.
func TestClosingIsIdempotent(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "123"), "钱多")
	first := e.call("POST", "/account/customers/"+code+"/close", nil, "Idempotency-Key: close-1", "X-Request-Id: req-close-1").ok(t)
	again := e.call("POST", "/account/customers/"+code+"/close", nil, "Idempotency-Key: close-1", "X-Request-Id: req-close-2").ok(t)
	if again.Header.Get("Idempotent-Replayed") != "true" || again.str("closed_at") != first.str("closed_at") {
		t.Errorf("replay: header %q, closed_at %q vs %q", again.Header.Get("Idempotent-Replayed"), again.str("closed_at"), first.str("closed_at"))
	}
	e.call("POST", "/account/customers/"+code+"/close", nil, "Idempotency-Key: close-2").refused(t, 409, codeClosed, "已销户")
	logs := e.call("GET", "/uat/logs?request_id=req-close-1", nil).ok(t).Data["calls"].([]any)
	if len(logs) != 1 || !strings.HasSuffix(logs[0].(map[string]any)["path"].(string), "/close") {
		t.Errorf("log of req-close-1: %v", logs)
	}
}

// TestClosingWaitsForTheDepository refuses to cancel ChiNext while it is
// being filed (4013) and to close the customer while that request is open
// (2075); a saved and loaded state still knows the closed customer's ID.
func TestClosingWaitsForTheDepository(t *testing.T) {
	e := newTestEnv(t, testOptions())
	id := e.newID("19800101", "123")
	code := e.buildStandard(id, "郑重", "D")
	e.call("PUT", "/uat/customers/"+code+"/asset-history", map[string]any{"average": "100000.00"}).ok(t)
	e.call("PUT", "/uat/customers/"+code+"/first-trade-date", map[string]any{"date": "20200601"}).ok(t)
	e.call("PUT", "/uat/faults/account", map[string]any{"slow_depository_ms": 60000}).ok(t)
	ag := e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}).ok(t)
	e.call("POST", "/trade/agreements/"+ag.str("agreement_id")+"/cancel", nil).refused(t, 422, codeAgreementFiling, "创业板协议正在中登报备中（流水号 "+ag.str("serial")+"）")
	e.call("DELETE", "/uat/faults", nil).ok(t)
	r := e.closeAll(code, "agreements")
	r.refused(t, 422, codeAccountsOpen, "处理中的中登申请 "+ag.str("serial"))

	// The depository answers the filing (it was due in a minute).
	e.sim.mu.Lock()
	e.sim.completeLocked(ag.str("serial"))
	e.sim.mu.Unlock()
	e.call("POST", "/trade/agreements/"+ag.str("agreement_id")+"/cancel", nil).ok(t)
	e.call("POST", "/account/customers/"+code+"/close", nil).ok(t)

	path := t.TempDir() + "/state.json"
	if err := e.sim.Save(path); err != nil {
		t.Fatal(err)
	}
	e.sim.Reset()
	if err := e.sim.Load(path); err != nil {
		t.Fatal(err)
	}
	list := e.call("GET", "/account/customers?id_number="+id, nil).ok(t).Data["customers"].([]any)
	if len(list) != 1 || list[0].(map[string]any)["customer_code"] != code || list[0].(map[string]any)["status"] != "9" {
		t.Errorf("after save and load, customers of %s: %v, want %s closed", id, list, code)
	}
}
