package uatsim

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// agreementType is one entry of the agreement catalogue with the rules that gate it.
type agreementType struct {
	Type          string `json:"type"`
	Name          string `json:"name"`
	Disclosure    string `json:"disclosure"`
	MinAssets     money  `json:"min_assets"`
	MinMonths     int    `json:"min_experience_months"`
	MinRisk       string `json:"min_risk_level,omitempty"`
	Knowledge     bool   `json:"knowledge_test"`
	Market        string `json:"requires_market,omitempty"` // SH, SZ or "" (any A-share account)
	EffectiveDays int    `json:"effective_t_plus"`
	Professional  bool   `json:"professional_only"`
	Depository    bool   `json:"filed_at_depository"`
	OpensCredit   bool   `json:"opens_credit_account"`
}

// knowledgePass is the knowledge test score that passes (broker).
const knowledgePass = 80

var catalogue = []agreementType{
	{Type: "chinext", Name: "创业板", Disclosure: "《创业板投资风险揭示书》", MinAssets: 10000000, MinMonths: 24, MinRisk: "C4", Market: "SZ", EffectiveDays: 2, Depository: true},
	{Type: "star", Name: "科创板", Disclosure: "《科创板股票交易风险揭示书》", MinAssets: 50000000, MinMonths: 24, MinRisk: "C4", Knowledge: true, Market: "SH"},
	{Type: "bse", Name: "北交所", Disclosure: "《北京证券交易所投资风险揭示书》", MinAssets: 50000000, MinMonths: 24, MinRisk: "C4", Market: "SZ"},
	{Type: "hk_connect_sh", Name: "沪港通港股通", Disclosure: "《港股通交易风险揭示书》", MinAssets: 50000000, MinRisk: "C4", Knowledge: true, Market: "SH", EffectiveDays: 2},
	{Type: "hk_connect_sz", Name: "深港通港股通", Disclosure: "《港股通交易风险揭示书》", MinAssets: 50000000, MinRisk: "C4", Knowledge: true, Market: "SZ", EffectiveDays: 2},
	{Type: "margin", Name: "融资融券", Disclosure: "《融资融券交易风险揭示书》", MinAssets: 50000000, MinMonths: 6, MinRisk: "C4", OpensCredit: true},
	{Type: "options", Name: "股票期权", Disclosure: "《股票期权交易风险揭示书》", MinAssets: 50000000, MinMonths: 6, MinRisk: "C4", Knowledge: true, Market: "SH"},
	{Type: "delisting", Name: "退市整理板", Disclosure: "《退市整理期股票交易风险揭示书》", MinAssets: 50000000, MinMonths: 24, MinRisk: "C4"},
	{Type: "risk_warning", Name: "风险警示板", Disclosure: "《风险警示股票交易风险揭示书》"},
	{Type: "bond_qualified", Name: "债券合格投资者", Disclosure: "《债券市场合格投资者风险揭示书》", Professional: true},
}

func findAgreementType(t string) (agreementType, *apiError) {
	for _, a := range catalogue {
		if a.Type == t {
			return a, nil
		}
	}
	names := make([]string, len(catalogue))
	for i, a := range catalogue {
		names[i] = a.Type
	}
	return agreementType{}, fail(http.StatusBadRequest, codeAgreementUnknown, "协议类型不存在：%q（可选：%v）", t, names)
}

func (s *Sim) listCatalogue(c *call) (any, *apiError) {
	return map[string]any{"agreements": catalogue, "knowledge_pass_score": knowledgePass}, nil
}

// check is one eligibility rule's verdict.
type check struct {
	Item     string `json:"item"`
	Required string `json:"required"`
	Actual   string `json:"actual"`
	Passed   bool   `json:"passed"`
	Code     string `json:"code,omitempty"`
	Message  string `json:"message,omitempty"`
}

// applicant is what the customer declares when applying.
type applicant struct {
	KnowledgeScore    *int `json:"knowledge_score,omitempty"`
	SimulatedTrading  bool `json:"simulated_trading,omitempty"`
	FuturesExperience bool `json:"futures_experience,omitempty"`
}

// averageAssets is the daily average of the last 20 trading days; days with no
// history count as zero.
func averageAssets(history []money) money {
	if len(history) > 20 {
		history = history[len(history)-20:]
	}
	var sum money
	for _, v := range history {
		sum += v
	}
	return sum / 20
}

// assetsReach compares the 20-day average with min without rounding.
func assetsReach(history []money, min money) bool {
	if len(history) > 20 {
		history = history[len(history)-20:]
	}
	var sum money
	for _, v := range history {
		sum += v
	}
	return sum >= min*20
}

// experienceMonths counts whole months since the first trade date.
func (s *Sim) experienceMonths(cu *customer) (int, bool) {
	d, ok := parseDate(cu.FirstTradeDate)
	if !ok {
		return 0, false
	}
	return fullMonths(d, dateOnly(s.clock.Now())), true
}

func describeExperience(months int, ok bool) string {
	if !ok {
		return "无交易记录（中登未查询到首次交易日期）"
	}
	return fmt.Sprintf("%d个月", months)
}

// evaluateLocked applies every rule of t to the customer; s.mu must be held.
func (s *Sim) evaluateLocked(cu *customer, t agreementType, a applicant) []check {
	var checks []check
	add := func(item, required, actual string, passed bool, code, msg string) {
		ch := check{Item: item, Required: required, Actual: actual, Passed: passed}
		if !passed {
			ch.Code, ch.Message = code, msg
		}
		checks = append(checks, ch)
	}
	statusNames := map[string]string{customerOpening: "开户中", customerNormal: "正常"}
	add("customer_status", "正常", statusNames[cu.Status], cu.Status == customerNormal, codeNotActive,
		fmt.Sprintf("客户未激活（状态：%s），不能开通%s", statusNames[cu.Status], t.Name))

	if t.Market != "" {
		acct := s.stockAccountLocked(cu, t.Market)
		marketName := map[string]string{"SH": "上海A股账户", "SZ": "深圳A股账户"}[t.Market]
		switch {
		case acct == nil:
			add("stock_account", marketName, "无", false, codeNoStockAccount, fmt.Sprintf("未开立%s，不能开通%s", marketName, t.Name))
		case t.Market == "SH" && !acct.Designated:
			add("stock_account", marketName+"（已指定交易）", acct.Account+"（未指定交易）", false, codeNoStockAccount,
				fmt.Sprintf("上海A股账户 %s 未办理指定交易，不能开通%s", acct.Account, t.Name))
		default:
			add("stock_account", marketName, acct.Account, true, "", "")
		}
	}
	if t.MinRisk != "" {
		switch {
		case cu.Risk == nil:
			add("risk_level", t.MinRisk+"及以上", "未测评", false, codeRiskMismatch, fmt.Sprintf("风险等级不匹配：%s要求%s及以上，客户尚未完成风险测评", t.Name, t.MinRisk))
		case cu.Risk.ExpiresOn < dateOnly(s.clock.Now()).Format(dateLayout):
			add("risk_level", t.MinRisk+"及以上", cu.Risk.Level+"（已过期）", false, codeRiskMismatch, fmt.Sprintf("风险测评已过期（有效期至%s），请重新测评", cu.Risk.ExpiresOn))
		default:
			add("risk_level", t.MinRisk+"及以上", cu.Risk.Level, riskRank(cu.Risk.Level) >= riskRank(t.MinRisk), codeRiskMismatch,
				fmt.Sprintf("风险等级不匹配：%s要求%s及以上，当前%s", t.Name, t.MinRisk, cu.Risk.Level))
		}
	}
	if t.MinAssets > 0 {
		avg := averageAssets(cu.AssetHistory)
		add("assets", t.MinAssets.String(), avg.String(), assetsReach(cu.AssetHistory, t.MinAssets), codeAssets,
			fmt.Sprintf("资产不足：%s要求前20个交易日日均资产不低于%s元，当前%s元", t.Name, t.MinAssets, avg))
	}
	if t.MinMonths > 0 {
		m, ok := s.experienceMonths(cu)
		add("experience", fmt.Sprintf("%d个月", t.MinMonths), describeExperience(m, ok), ok && m >= t.MinMonths, codeExperience,
			fmt.Sprintf("交易经验不足：%s要求%d个月及以上，当前%s", t.Name, t.MinMonths, describeExperience(m, ok)))
	}
	if t.Knowledge {
		actual := "未测评"
		passed := a.KnowledgeScore != nil && *a.KnowledgeScore >= knowledgePass
		if a.KnowledgeScore != nil {
			actual = strconv.Itoa(*a.KnowledgeScore) + "分"
		}
		add("knowledge_test", fmt.Sprintf("%d分", knowledgePass), actual, passed, codeKnowledgeTest,
			fmt.Sprintf("知识测评未通过：%s要求%d分及以上，当前%s", t.Name, knowledgePass, actual))
	}
	if t.Type == "options" {
		hasMargin := s.signedLocked(cu, "margin") != nil
		actual := "无"
		switch {
		case hasMargin:
			actual = "已开通融资融券"
		case a.FuturesExperience:
			actual = "有期货交易经历"
		}
		add("options_experience", "融资融券账户或期货交易经历", actual, hasMargin || a.FuturesExperience, codeOptionsPrereq,
			"股票期权：须已开通融资融券或具有期货交易经历")
		add("simulated_trading", "期权模拟交易经历", strconv.FormatBool(a.SimulatedTrading), a.SimulatedTrading, codeOptionsPrereq,
			"股票期权：须具有期权模拟交易经历（simulated_trading）")
	}
	if t.Professional {
		actual := "普通投资者"
		if cu.Suitability != nil && cu.Suitability.InvestorType == "1" {
			actual = "专业投资者"
		}
		add("investor_type", "专业投资者", actual, actual == "专业投资者", codeProfessional,
			fmt.Sprintf("%s须为专业投资者：当前为%s", t.Name, actual))
	}
	return checks
}

func firstFailure(checks []check) *check {
	for i := range checks {
		if !checks[i].Passed {
			return &checks[i]
		}
	}
	return nil
}

// stockAccountLocked gives the customer's first shareholder account in market
// (preferring a designated one in Shanghai).
func (s *Sim) stockAccountLocked(cu *customer, market string) *stockAccount {
	var found *stockAccount
	for _, a := range cu.StockAccounts {
		sa := s.st.StockAccounts[a]
		if sa.Market == market && sa.Status != accountClosed && (found == nil || sa.Designated && !found.Designated) {
			found = sa
		}
	}
	return found
}

// signedLocked gives the customer's agreement of a type that is neither failed nor cancelled.
func (s *Sim) signedLocked(cu *customer, typ string) *agreement {
	for _, id := range cu.Agreements {
		if ag := s.st.Agreements[id]; ag.Type == typ && ag.Status != agreementFailed && ag.Status != agreementCancelled {
			return ag
		}
	}
	return nil
}

func (s *Sim) eligibility(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	t, e := findAgreementType(q.Get("type"))
	if e != nil {
		return nil, e
	}
	var a applicant
	if v := q.Get("knowledge_score"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, badRequest("knowledge_score（知识测评得分）应为整数")
		}
		a.KnowledgeScore = &n
	}
	a.SimulatedTrading = q.Get("simulated_trading") == "true"
	a.FuturesExperience = q.Get("futures_experience") == "true"
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.customerLocked(q.Get("customer_code"))
	if e != nil {
		return nil, e
	}
	checks := s.evaluateLocked(cu, t, a)
	return map[string]any{"customer_code": cu.Code, "type": t.Type, "name": t.Name,
		"eligible": firstFailure(checks) == nil, "signed": s.signedLocked(cu, t.Type) != nil, "checks": checks}, nil
}

type signRequest struct {
	CustomerCode        string `json:"customer_code"`
	Type                string `json:"type"`
	DisclosureConfirmed bool   `json:"disclosure_confirmed"`
	applicant
}

func (s *Sim) signAgreement(c *call) (any, *apiError) {
	var req signRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	t, e := findAgreementType(req.Type)
	if e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(req.CustomerCode)
	if e != nil {
		return nil, e
	}
	if ag := s.signedLocked(cu, t.Type); ag != nil {
		return nil, conflict(codeAgreementSigned, "该协议已签署：%s（协议编号 %s）", t.Name, ag.ID)
	}
	if !req.DisclosureConfirmed {
		return nil, rejected(codeDisclosure, "须确认已阅读并签署%s（disclosure_confirmed 应为 true）", t.Disclosure)
	}
	checks := s.evaluateLocked(cu, t, req.applicant)
	if f := firstFailure(checks); f != nil {
		return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: f.Code, Message: f.Message, Data: map[string]any{"checks": checks}}
	}
	now := s.clock.Now()
	ag := &agreement{ID: fmt.Sprintf("AG%010d", s.st.next("agreement")), CustomerCode: cu.Code, Type: t.Type, Name: t.Name,
		SignedAt: now, EffectiveDate: addTradingDays(now, t.EffectiveDays).Format(dateLayout)}
	ag.Status = agreementStatusFor(ag, now)
	if t.OpensCredit {
		ag.CreditAccount = "9" + cu.Code[1:]
	}
	s.st.Agreements[ag.ID] = ag
	cu.Agreements = append(cu.Agreements, ag.ID)
	if t.Depository {
		ag.Status = agreementCSDC
		ag.Serial = s.newRequestLocked("chinext", cu, "SZ").Serial
	}
	return agreementView(ag, now), nil
}

// agreementStatusFor gives a signed agreement's status on now: effective from its effective date.
func agreementStatusFor(ag *agreement, now time.Time) string {
	if ag.Status == agreementCSDC || ag.Status == agreementFailed || ag.Status == agreementCancelled {
		return ag.Status
	}
	if ag.EffectiveDate <= dateOnly(now).Format(dateLayout) {
		return agreementEffective
	}
	return agreementPending
}

var agreementStatusNames = map[string]string{agreementEffective: "已生效", agreementPending: "已签署，待生效", agreementCSDC: "中登报备中", agreementFailed: "中登报备失败", agreementCancelled: "已终止"}

func agreementView(ag *agreement, now time.Time) map[string]any {
	st := agreementStatusFor(ag, now)
	v := map[string]any{"agreement_id": ag.ID, "customer_code": ag.CustomerCode, "type": ag.Type, "name": ag.Name,
		"status": st, "status_name": agreementStatusNames[st], "signed_at": ag.SignedAt.Format(time.RFC3339),
		"effective_date": ag.EffectiveDate}
	if ag.CancelledAt != nil {
		v["cancelled_at"] = ag.CancelledAt.Format(time.RFC3339)
	}
	if ag.Serial != "" {
		v["serial"] = ag.Serial
	}
	if ag.CreditAccount != "" {
		v["credit_account"] = ag.CreditAccount
	}
	return v
}

func (s *Sim) listAgreements(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.customerLocked(c.r.URL.Query().Get("customer_code"))
	if e != nil {
		return nil, e
	}
	now := s.clock.Now()
	out := []map[string]any{}
	for _, id := range cu.Agreements {
		out = append(out, agreementView(s.st.Agreements[id], now))
	}
	return map[string]any{"customer_code": cu.Code, "agreements": out}, nil
}
