package uatsim

import (
	"fmt"
	"testing"
)

// qualify sets what the trade rules look at: 20-day average assets and first trade date.
func (e *testEnv) qualify(code, avg, firstTrade string) {
	e.t.Helper()
	e.call("PUT", "/uat/customers/"+code+"/asset-history", map[string]any{"average": avg}).ok(e.t)
	e.call("PUT", "/uat/customers/"+code+"/first-trade-date", map[string]any{"date": firstTrade}).ok(e.t)
}

func TestAgreementRulesAtTheirBoundaries(t *testing.T) {
	e := newTestEnv(t, testOptions()) // today 2026-11-18
	tests := []struct {
		name       string
		typ        string
		risk       string // questionnaire option: C → C3, D → C4
		avg        string
		firstTrade string
		extra      map[string]any
		code       string
		want       string
	}{
		{"chinext assets 99,999.99", "chinext", "D", "99999.99", "20241118", nil, codeAssets, "资产不足：创业板要求前20个交易日日均资产不低于100000.00元，当前99999.99元"},
		{"chinext assets 100,000", "chinext", "D", "100000.00", "20241118", nil, "", ""},
		{"chinext 23 months", "chinext", "D", "100000", "20241119", nil, codeExperience, "交易经验不足：创业板要求24个月及以上，当前23个月"},
		{"chinext no trade record", "chinext", "D", "100000", "", nil, codeExperience, "当前无交易记录"},
		{"chinext C3", "chinext", "C", "100000", "20241118", nil, codeRiskMismatch, "风险等级不匹配：创业板要求C4及以上，当前C3"},
		{"star 499,999.99", "star", "D", "499999.99", "20200101", map[string]any{"knowledge_score": 90}, codeAssets, "科创板要求前20个交易日日均资产不低于500000.00元"},
		{"star knowledge 79", "star", "D", "500000", "20200101", map[string]any{"knowledge_score": 79}, codeKnowledgeTest, "知识测评未通过：科创板要求80分及以上，当前79分"},
		{"star knowledge 80", "star", "D", "500000", "20200101", map[string]any{"knowledge_score": 80}, "", ""},
		{"star no knowledge test", "star", "D", "500000", "20200101", nil, codeKnowledgeTest, "当前未测评"},
		{"bse 24 months", "bse", "D", "500000", "20241118", nil, "", ""},
		{"hk connect SH needs no experience", "hk_connect_sh", "E", "500000", "", map[string]any{"knowledge_score": 85}, "", ""},
		{"hk connect SZ C3", "hk_connect_sz", "C", "500000", "", map[string]any{"knowledge_score": 85}, codeRiskMismatch, "深港通港股通要求C4及以上，当前C3"},
		{"margin 5 months", "margin", "D", "500000", "20260618", nil, codeExperience, "融资融券要求6个月及以上，当前5个月"},
		{"margin 6 months", "margin", "D", "500000", "20260518", nil, "", ""},
		{"options without margin or futures", "options", "D", "500000", "20200101", map[string]any{"knowledge_score": 90, "simulated_trading": true}, codeOptionsPrereq, "须已开通融资融券或具有期货交易经历"},
		{"options with futures, no simulation", "options", "D", "500000", "20200101", map[string]any{"knowledge_score": 90, "futures_experience": true}, codeOptionsPrereq, "模拟交易"},
		{"options with futures and simulation", "options", "D", "500000", "20200101", map[string]any{"knowledge_score": 90, "futures_experience": true, "simulated_trading": true}, "", ""},
		{"delisting C3", "delisting", "C", "500000", "20200101", nil, codeRiskMismatch, "退市整理板要求C4及以上，当前C3"},
		{"risk warning needs only the disclosure", "risk_warning", "A", "0", "", nil, "", ""},
		{"bond qualified for an ordinary investor", "bond_qualified", "E", "6000000", "20200101", nil, codeProfessional, "债券合格投资者须为专业投资者：当前为普通投资者"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code := e.buildStandard(e.newID("19800101", fmt.Sprintf("%03d", 100+i)), "测试", tt.risk)
			e.qualify(code, tt.avg, tt.firstTrade)
			body := map[string]any{"customer_code": code, "type": tt.typ, "disclosure_confirmed": true}
			q := ""
			for k, v := range tt.extra {
				body[k] = v
				q += fmt.Sprintf("&%s=%v", k, v)
			}
			elig := e.call("GET", "/trade/eligibility?customer_code="+code+"&type="+tt.typ+q, nil).ok(t)
			r := e.call("POST", "/trade/agreements", body)
			if tt.code == "" {
				r.ok(t)
				if elig.Data["eligible"] != true {
					t.Errorf("eligibility disagrees with signing: %v", elig.Data)
				}
				return
			}
			r.refused(t, 422, tt.code, tt.want)
			if elig.Data["eligible"] != false {
				t.Errorf("eligibility: want not eligible, got %v", elig.Data)
			}
			failed := false
			for _, c := range elig.Data["checks"].([]any) {
				c := c.(map[string]any)
				if c["passed"] == false && c["code"] == tt.code {
					failed = true
				}
			}
			if !failed {
				t.Errorf("eligibility checks do not show the failed %s rule: %v", tt.code, elig.Data["checks"])
			}
		})
	}
}

func TestAgreementPrerequisites(t *testing.T) {
	e := newTestEnv(t, testOptions())
	// Not activated yet.
	code := e.createCustomer(e.newID("19800101", "123"), "冯一")
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "risk_warning", "disclosure_confirmed": true}).
		refused(t, 422, codeNotActive, "客户未激活（状态：开户中）")

	code = e.buildStandard(e.newID("19800101", "124"), "冯二", "E")
	e.qualify(code, "600000", "20200101")
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext"}).refused(t, 422, codeDisclosure, "《创业板投资风险揭示书》")
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "gem", "disclosure_confirmed": true}).refused(t, 400, codeAgreementUnknown, "协议类型不存在")
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "margin", "disclosure_confirmed": true}).ok(t)
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "margin", "disclosure_confirmed": true}).refused(t, 409, codeAgreementSigned, "该协议已签署：融资融券")
	// With margin signed, options need no futures experience.
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "options", "disclosure_confirmed": true, "knowledge_score": 80, "simulated_trading": true}).ok(t)
	list := e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(t).Data["agreements"].([]any)
	if m := list[0].(map[string]any); m["credit_account"] != "9"+code[1:] || m["status"] != "0" {
		t.Errorf("margin agreement: %v", m)
	}
}

func TestSHAgreementNeedsDesignatedTrading(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19800101", "123"), "冯三")
	cp := "/account/customers/" + code
	e.call("PUT", cp+"/contact", map[string]any{"mobile": "13812345678", "address": "上海市浦东新区世纪大道100号", "postcode": "200120"}).ok(t)
	e.call("PUT", cp+"/tax-residency", map[string]any{"type": "1"}).ok(t)
	e.call("PUT", cp+"/beneficial-owner", map[string]any{"is_self": true}).ok(t)
	e.call("POST", cp+"/risk-assessment", map[string]any{"answers": answers("E")}).ok(t)
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "0", "confirmed": true}).ok(t)
	e.call("POST", "/account/capital-accounts", map[string]any{"customer_code": code}).ok(t)
	e.waitRequest(e.call("POST", "/account/csdc/one-stop-accounts", map[string]any{"customer_code": code}).ok(t).str("serial"))
	sz := e.waitRequest(e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SZ"}).ok(t).str("serial"))
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "135790"}).ok(t)
	e.call("PUT", cp+"/funds-password", map[string]any{"password": "246801"}).ok(t)
	e.call("POST", cp+"/witness", map[string]any{"mode": "3", "witnesses": []string{"W1", "W2"}}).ok(t)
	e.call("POST", cp+"/activate", nil).ok(t)
	e.qualify(code, "600000", "20200101")

	star := map[string]any{"customer_code": code, "type": "star", "disclosure_confirmed": true, "knowledge_score": 90}
	e.call("POST", "/trade/agreements", star).refused(t, 422, codeNoStockAccount, "未开立上海A股账户，不能开通科创板")
	szAcct := sz.Data["result"].(map[string]any)["account"].(string)
	e.call("POST", "/account/stock-accounts/"+szAcct+"/designated-trading", map[string]any{"trading_unit": "12345"}).refused(t, 422, codeDesignated, "仅上海A股账户需要办理指定交易")
	sh := e.waitRequest(e.call("POST", "/account/stock-accounts", map[string]any{"customer_code": code, "market": "SH"}).ok(t).str("serial"))
	shAcct := sh.Data["result"].(map[string]any)["account"].(string)
	e.call("POST", "/trade/agreements", star).refused(t, 422, codeNoStockAccount, "上海A股账户 "+shAcct+" 未办理指定交易")
	e.call("POST", "/account/stock-accounts/"+shAcct+"/designated-trading", map[string]any{"trading_unit": "1234"}).refused(t, 400, codeBadRequest, "5位数字")
	e.call("POST", "/account/stock-accounts/"+shAcct+"/designated-trading", map[string]any{"trading_unit": "12345"}).ok(t)
	e.call("POST", "/account/stock-accounts/"+shAcct+"/designated-trading", map[string]any{"trading_unit": "12345"}).refused(t, 409, codeDesignated, "已指定交易")
	e.call("POST", "/trade/agreements", star).ok(t)
}

func TestBondQualifiedProfessional(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.buildStandard(e.newID("19800101", "123"), "冯四", "E")
	cp := "/account/customers/" + code
	e.qualify(code, "4999999.99", "20241118")
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "1", "confirmed": true}).refused(t, 422, codeProfessional, "金融资产不低于500万元")
	e.qualify(code, "5000000", "20241119")
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "1", "confirmed": true}).refused(t, 422, codeProfessional, "2年以上投资经历，当前23个月")
	e.qualify(code, "5000000", "20241118")
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "1", "confirmed": true}).ok(t)
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "bond_qualified", "disclosure_confirmed": true}).ok(t)
}

func TestChiNextDepositoryFiling(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.buildStandard(e.newID("19800101", "123"), "冯五", "D")
	e.qualify(code, "100000", "20200101")
	r := e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}).ok(t)
	if r.str("status") != "2" || r.str("serial") == "" {
		t.Fatalf("chinext: want status 2 (中登报备中) with a serial, got %v", r.Data)
	}
	e.call("GET", "/trade/csdc/requests/"+r.str("serial"), nil).ok(t)
	e.waitRequest(r.str("serial"))
	ag := e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(t).Data["agreements"].([]any)[0].(map[string]any)
	if ag["status"] != "1" || ag["effective_date"] != "20261120" {
		t.Errorf("after filing: want 待生效 until T+2 (20261120), got %v", ag)
	}
	e.call("PUT", "/uat/clock", map[string]any{"now": "2026-11-20T09:00:00+08:00", "frozen": true}).ok(t)
	ag = e.call("GET", "/trade/agreements?customer_code="+code, nil).ok(t).Data["agreements"].([]any)[0].(map[string]any)
	if ag["status"] != "0" {
		t.Errorf("on T+2: want effective, got %v", ag)
	}
}

func TestAverageAssetsUsesTwentyDays(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.buildStandard(e.newID("19800101", "123"), "冯六", "D")
	daily := make([]string, 19)
	for i := range daily {
		daily[i] = "105263.15"
	}
	// 19 days × 105,263.15 = 1,999,999.85; the missing 20th day counts as 0 → average 99,999.9925.
	r := e.call("PUT", "/uat/customers/"+code+"/asset-history", map[string]any{"daily": daily}).ok(t)
	if r.str("average_20d") != "99999.99" {
		t.Errorf("average: %v", r.Data)
	}
	e.call("PUT", "/uat/customers/"+code+"/first-trade-date", map[string]any{"date": "20200101"}).ok(t)
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}).refused(t, 422, codeAssets, "当前99999.99元")
	daily = append([]string{"0"}, append(daily, "200000.00")...) // 21 days: the oldest drops out
	r = e.call("PUT", "/uat/customers/"+code+"/asset-history", map[string]any{"daily": daily}).ok(t)
	if r.str("average_20d") != "109999.99" {
		t.Errorf("average of the last 20 days: %v", r.Data)
	}
	e.call("POST", "/trade/agreements", map[string]any{"customer_code": code, "type": "chinext", "disclosure_confirmed": true}).ok(t)
}
