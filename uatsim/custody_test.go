package uatsim

import (
	"testing"
	"time"
)

// openWithCapital creates a customer with a capital account and funds password.
func (e *testEnv) openWithCapital(name string) string {
	e.t.Helper()
	code := e.createCustomer(e.newID("19900101", "123"), name)
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(e.t)
	e.call("PUT", "/account/customers/"+code+"/funds-password", map[string]any{"password": "246801"}).ok(e.t)
	return code
}

func TestSignCustody(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.openWithCapital("马一")
	card := luhnCard("621700000000000")
	sign := map[string]any{"capital_account": code, "bank_code": "5000", "bank_card": card, "mode": "1"}

	wrongDigit := card[:15] + string(rune('0'+(card[15]-'0'+1)%10))
	bad := map[string]any{"capital_account": code, "bank_code": "5000", "bank_card": wrongDigit, "mode": "1"}
	e.call("POST", "/custody/agreements", bad).refused(t, 400, codeBankCard, "银行卡号校验失败")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5001", "bank_card": card, "mode": "1"}).refused(t, 400, codeBankUnknown, "存管银行代码不存在")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "8500", "bank_card": card, "mode": "1"}).refused(t, 422, codeBankUnknown, "不支持一步式签约")
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-18T05:59:00+08:00", "frozen": true}).ok(t)
	e.call("POST", "/custody/agreements", sign).refused(t, 503, codeBankMaintenance, "银行系统维护中（00:00-06:00）")
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-18T06:00:00+08:00", "frozen": true}).ok(t)
	r := e.call("POST", "/custody/agreements", sign).ok(t)
	if r.str("status") != "0" || r.str("bank_card") != card[:4]+"********"+card[12:] {
		t.Errorf("one-step signing: %v", r.Data)
	}
	e.call("POST", "/custody/agreements", sign).refused(t, 409, codeCustodyExists, "该资金账户已签约三方存管（中国建设银行")
}

func TestPreDesignationIsConfirmedLater(t *testing.T) {
	opts := testOptions()
	opts.DepositoryDelay = 200 * time.Millisecond
	e := newTestEnv(t, opts)
	code := e.openWithCapital("马二")
	r := e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "8500", "bank_card": luhnCard("621799000000000"), "mode": "2"}).ok(t)
	if r.str("status") != "1" {
		t.Fatalf("pre-designation: want status 1 (待银行确认), got %v", r.Data)
	}
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": 100}).refused(t, 422, codeCustodyMissing, "待银行端确认")
	time.Sleep(300 * time.Millisecond)
	list := e.call("GET", "/custody/agreements?customer_code="+code, nil).ok(t).Data["agreements"].([]any)
	if st := list[0].(map[string]any)["status"]; st != "0" {
		t.Fatalf("after the bank confirms: want status 0, got %v", st)
	}
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": 100}).ok(t)
}

func TestTransferHours(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.openWithCapital("马三")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5500", "bank_card": luhnCard("621483000000000"), "mode": "1"}).ok(t)
	for _, tt := range []struct {
		at    string
		ok    bool
		retry string // seconds until transfers open
	}{
		{"2026-11-18T08:59:59+08:00", false, "1"}, {"2026-11-18T09:00:00+08:00", true, ""}, {"2026-11-18T15:59:59+08:00", true, ""},
		{"2026-11-18T16:00:00+08:00", false, "61200"}, {"2026-11-21T10:00:00+08:00", false, "169200"}, // Saturday → Monday 09:00
	} {
		e.call("PUT", "/uat/clock", map[string]any{"now": tt.at, "frozen": true}).ok(t)
		r := e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": "1.00"})
		if tt.ok {
			r.ok(t)
			continue
		}
		r.refused(t, 503, codeTransferHours, "当前为非交易时段，银证转账时间为交易日09:00-16:00")
		if r.Header.Get("Retry-After") != tt.retry {
			t.Errorf("%s: Retry-After want %s, got %q", tt.at, tt.retry, r.Header.Get("Retry-After"))
		}
	}
}

func TestAvailableVersusWithdrawable(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.openWithCapital("马四")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5200", "bank_card": luhnCard("621226000000000"), "mode": "1"}).ok(t)
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": "1000.00"}).ok(t)
	e.call("POST", "/uat/capital-accounts/"+code+"/sale-proceeds", map[string]any{"amount": "5000.50"}).ok(t)

	b := e.call("GET", "/custody/balances?capital_account="+code, nil).ok(t)
	if b.str("available") != "6000.50" || b.str("withdrawable") != "1000.00" || b.str("unsettled") != "5000.50" {
		t.Fatalf("same day: %v", b.Data)
	}
	out := map[string]any{"capital_account": code, "direction": "out", "amount": "1000.01", "funds_password": "246801"}
	e.call("POST", "/custody/transfers", out).refused(t, 422, codeInsufficient, "可取资金不足：可取 1000.00 元，申请转出 1000.01 元（当日卖出资金 5000.50 元可用不可取）")
	out["amount"] = "1000.00"
	if r := e.call("POST", "/custody/transfers", out).ok(t); r.str("withdrawable") != "0.00" || r.str("available") != "5000.50" {
		t.Errorf("after withdrawing all withdrawable money: %v", r.Data)
	}
	// Sold on Wednesday: withdrawable on Thursday.
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-19T09:30:00+08:00", "frozen": true}).ok(t)
	if b := e.call("GET", "/custody/balances?capital_account="+code, nil).ok(t); b.str("withdrawable") != "5000.50" {
		t.Errorf("next trading day: %v", b.Data)
	}
	// Sold on Friday: still not withdrawable on Saturday or Sunday.
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-20T10:00:00+08:00", "frozen": true}).ok(t)
	e.call("POST", "/uat/capital-accounts/"+code+"/sale-proceeds", map[string]any{"amount": "10"}).ok(t)
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-22T10:00:00+08:00", "frozen": true}).ok(t)
	if b := e.call("GET", "/custody/balances?capital_account="+code, nil).ok(t); b.str("withdrawable") != "5000.50" || b.str("available") != "5010.50" {
		t.Errorf("Sunday after a Friday sale: %v", b.Data)
	}
}

func TestFundsPasswordLocks(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.openWithCapital("马五")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5300", "bank_card": luhnCard("621661000000000"), "mode": "1"}).ok(t)
	e.call("POST", "/custody/transfers", map[string]any{"capital_account": code, "direction": "in", "amount": 100}).ok(t)
	out := map[string]any{"capital_account": code, "direction": "out", "amount": 1, "funds_password": "000001"}
	e.call("POST", "/custody/transfers", out).refused(t, 422, codeFundsPassword, "还可尝试2次")
	e.call("POST", "/custody/transfers", out).refused(t, 422, codeFundsPassword, "还可尝试1次")
	e.call("POST", "/custody/transfers", out).refused(t, 422, codeFundsLocked, "已锁定")
	out["funds_password"] = "246801"
	e.call("POST", "/custody/transfers", out).refused(t, 422, codeFundsLocked, "资金密码已锁定")
}

func TestAuxiliaryAccounts(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.openWithCapital("马六")
	aux := func(bankCode, prefix string) reply {
		return e.call("POST", "/custody/auxiliary-accounts", map[string]any{"customer_code": code, "bank_code": bankCode, "bank_card": luhnCard(prefix)})
	}
	aux("5100", "622848000000000").refused(t, 422, codeCustodyMissing, "主资金账户尚未完成三方存管签约")
	e.call("POST", "/custody/agreements", map[string]any{"capital_account": code, "bank_code": "5000", "bank_card": luhnCard("621700000000000"), "mode": "1"}).ok(t)
	aux("5000", "621700000000001").refused(t, 409, codeBankAlreadyBound, "中国建设银行已绑定资金账户 "+code)
	for i, b := range []string{"5100", "5200", "5300", "5400"} {
		r := aux(b, "62284800000000"+string(rune('0'+i))).ok(t)
		if want := code + "0" + string(rune('1'+i)); r.str("capital_account") != want || r.Data["main"] != false {
			t.Errorf("auxiliary %d: want %s, got %v", i+1, want, r.Data)
		}
	}
	aux("5500", "621483000000000").refused(t, 422, codeAuxiliaryLimit, "辅助资金账户数量已达上限（4个）")
	snap := e.call("GET", "/uat/customers/"+code+"/snapshot", nil).ok(t)
	if n := len(snap.Data["capital_accounts"].([]any)); n != 5 {
		t.Errorf("want 1 main + 4 auxiliary capital accounts, got %d", n)
	}
}
