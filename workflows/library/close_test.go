package library

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
)

// closedState is what the tests check of a closed customer in the snapshot.
type closedState struct {
	Status          string `json:"status"`
	CapitalAccounts []struct {
		Account string `json:"capital_account"`
		Status  string `json:"status"`
		Balance struct {
			TotalAssets string `json:"total_assets"`
		} `json:"balance"`
		Custody *struct {
			Status string `json:"status"`
		} `json:"custody"`
	} `json:"capital_accounts"`
	StockAccounts []struct {
		Account    string `json:"account"`
		Status     string `json:"status"`
		Designated bool   `json:"designated"`
	} `json:"stock_accounts"`
	Agreements []struct {
		Type   string `json:"type"`
		Status string `json:"status"`
	} `json:"agreements"`
	Positions []any `json:"positions"`
}

// checkClosed fails the test unless the customer and every account,
// custody and agreement of theirs is closed (status 9) with nothing left.
func (b *backOffice) checkClosed(t *testing.T, code string, capital, stock, agreements int) {
	t.Helper()
	var answer struct {
		Data closedState `json:"data"`
	}
	b.get(t, "/uat/customers/"+code+"/snapshot", &answer)
	s := answer.Data
	if s.Status != "9" {
		t.Errorf("customer %s status = %q, want 9 (closed)", code, s.Status)
	}
	if len(s.CapitalAccounts) != capital || len(s.StockAccounts) != stock || len(s.Agreements) != agreements {
		t.Errorf("%d capital, %d shareholder accounts and %d agreements, want %d, %d and %d",
			len(s.CapitalAccounts), len(s.StockAccounts), len(s.Agreements), capital, stock, agreements)
	}
	for _, a := range s.CapitalAccounts {
		if a.Status != "9" || a.Custody == nil || a.Custody.Status != "9" || a.Balance.TotalAssets != "0.00" {
			t.Errorf("capital account %s: status %q, custody %+v, total assets %s; want 9, custody 9, 0.00", a.Account, a.Status, a.Custody, a.Balance.TotalAssets)
		}
	}
	for _, a := range s.StockAccounts {
		if a.Status != "9" || a.Designated {
			t.Errorf("shareholder account %s: status %q designated %v, want 9, not designated", a.Account, a.Status, a.Designated)
		}
	}
	for _, a := range s.Agreements {
		if a.Status != "9" {
			t.Errorf("agreement %s: status %q, want 9 (cancelled)", a.Type, a.Status)
		}
	}
	if len(s.Positions) > 0 {
		t.Errorf("positions remain: %v", s.Positions)
	}
}

// post sends a request to the simulator (with an operator token when given)
// and fails the test unless it succeeds; it returns the answer's data.
func (b *backOffice) post(t *testing.T, path string, body any, token ...string) map[string]any {
	t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if len(token) > 0 {
		req.Header.Set("Authorization", "Bearer "+token[0])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	var answer struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil || answer.Code != "0" {
		t.Fatalf("POST %s: code %s %s (%v)", path, answer.Code, answer.Message, err)
	}
	return answer.Data
}

// halfOpen creates a customer and nothing else, as a build that failed
// right after creating it leaves behind.
func (b *backOffice) halfOpen(t *testing.T, id, name string) string {
	t.Helper()
	token := b.post(t, "/account/operator/login", map[string]any{"operator": uatsim.UATOperator, "password": uatsim.UATPassword})["token"].(string)
	b.post(t, "/account/identity/police-check", map[string]any{"id_number": id, "name": name}, token)
	return b.post(t, "/account/customers", map[string]any{"name": name, "id_type": "0", "id_number": id,
		"id_expiry": "30001231", "mobile": "13812345678", "channel": "2"}, token)["customer_code"].(string)
}

// TestCloseAccount closes a standard account found by its ID number and a
// complex one (money in transit, a position, auxiliary banks, agreements)
// by its code, checks both are closed in the back office, and opens the
// first ID number again.
func TestCloseAccount(t *testing.T) {
	t.Parallel()
	bo := startBackOffice(t, uatsim.Options{})
	standard, complexDef, closing := load(t, "standard-account.yaml"), load(t, "complex-account.yaml"), load(t, "close-account.yaml")

	t.Run("standard account by ID number, then the ID again", func(t *testing.T) {
		built, inputs, _ := bo.mustBuild(t, standard, 31, nil)
		id := inputs["id_number"].(string)
		out, _, calls := bo.mustBuild(t, closing, 32, map[string]any{"id_number": id})
		code := built["customer_code"].(string)
		if out["customer_code"] != code || out["status"] != "9" {
			t.Fatalf("closed %v with status %v, want %s and 9", out["customer_code"], out["status"], code)
		}
		bo.checkClosed(t, code, 1, 2, 0)
		t.Logf("closed %s with %d calls", code, calls)

		again, _, _ := bo.mustBuild(t, standard, 33, map[string]any{"id_number": id})
		if again["customer_code"] == code || bo.snapshot(t, again["customer_code"].(string)).Status != "0" {
			t.Errorf("reopening %s gave %v, want a new active customer", id, again["customer_code"])
		}
	})

	t.Run("complex account by code", func(t *testing.T) {
		built, _, _ := bo.mustBuild(t, complexDef, 34, map[string]any{
			"risk_level": "C4", "available": "100000.50", "withdrawable": "60000.25",
			"auxiliary_banks": []any{"5000", "5300"}, "agreements": []any{"chinext", "margin", "risk_warning"}})
		code := built["customer_code"].(string)
		bo.post(t, "/uat/customers/"+code+"/positions", map[string]any{"market": "SZ", "security_code": "000001", "security_name": "平安银行", "quantity": 200, "price": "11.50"})

		// Without withdrawing, the unsettled sale proceeds stop the custody
		// cancellation with the back office's words.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, _, err := bo.build(ctx, workflows.NewEngine(), closing, "keep-funds", 35, map[string]any{"customer_code": code, "withdraw_funds": false}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := failureOf(t, res)
		if f.Class != workflows.ClassBusinessRejected || f.Step != "cancel_custody/cancel" || !strings.Contains(f.Message.Zh, "有在途资金") || !strings.Contains(f.Hint.Zh, "交收") {
			t.Errorf("failure = %v (%s at %s, hint %q), want business_rejected at cancel_custody/cancel about money in transit", f, f.Class, f.Step, f.Hint.Zh)
		}

		// Run again with the default: what the first run did is not redone.
		out, _, _ := bo.mustBuild(t, closing, 36, map[string]any{"customer_code": code})
		if out["status"] != "9" {
			t.Errorf("status output = %v, want 9", out["status"])
		}
		// The first run cancelled the agreements and auxiliary accounts.
		aux, _ := out["cancelled_auxiliary_accounts"].([]any)
		ags, _ := out["cancelled_agreements"].([]any)
		if len(aux) != 0 || len(ags) != 0 {
			t.Errorf("second run cancelled auxiliary accounts %v and agreements %v, want none left to cancel", out["cancelled_auxiliary_accounts"], out["cancelled_agreements"])
		}
		bo.checkClosed(t, code, 3, 2, 3)
	})

	t.Run("customer left half-opened", func(t *testing.T) {
		id := "11010519491231002X"
		code := bo.halfOpen(t, id, "张秀英")
		out, _, _ := bo.mustBuild(t, closing, 38, map[string]any{"id_number": id})
		if out["customer_code"] != code || out["status"] != "9" {
			t.Errorf("closed %v with status %v, want %s and 9", out["customer_code"], out["status"], code)
		}
		bo.checkClosed(t, code, 0, 0, 0)
	})

	t.Run("customer that does not exist", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		res, _, err := bo.build(ctx, workflows.NewEngine(), closing, "no-such-customer", 37, map[string]any{"customer_code": "310199999999"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := failureOf(t, res)
		t.Logf("%v\n%s", f, f.Hint.Zh)
		if f.Class != workflows.ClassBusinessRejected || f.Step != "customer" || !strings.Contains(f.Message.Zh, "客户代码不存在：310199999999") || !strings.Contains(f.Hint.En, "no such customer") {
			t.Errorf("failure = %v at %s, want business_rejected at customer saying 客户代码不存在 with a hint", f, f.Step)
		}
	})
}
