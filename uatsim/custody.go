package uatsim

import (
	"fmt"
	"net/http"
	"slices"
	"time"
)

type bank struct {
	Code       string   `json:"bank_code"`
	Name       string   `json:"name"`
	Currencies []string `json:"currencies"`
	Modes      []string `json:"modes"` // 1 一步式, 2 预指定
}

var banks = []bank{
	{"5000", "中国建设银行", []string{"CNY", "HKD", "USD"}, []string{"1", "2"}},
	{"5100", "中国农业银行", []string{"CNY"}, []string{"1", "2"}},
	{"5200", "中国工商银行", []string{"CNY", "HKD", "USD"}, []string{"1", "2"}},
	{"5300", "中国银行", []string{"CNY", "HKD", "USD"}, []string{"1", "2"}},
	{"5400", "交通银行", []string{"CNY"}, []string{"1", "2"}},
	{"5500", "招商银行", []string{"CNY", "HKD", "USD"}, []string{"1", "2"}},
	{"5600", "中信银行", []string{"CNY"}, []string{"1", "2"}},
	{"5700", "兴业银行", []string{"CNY"}, []string{"1", "2"}},
	{"5800", "中国光大银行", []string{"CNY"}, []string{"1", "2"}},
	{"5900", "华夏银行", []string{"CNY"}, []string{"1", "2"}},
	{"6000", "中国民生银行", []string{"CNY"}, []string{"1", "2"}},
	{"6100", "平安银行", []string{"CNY"}, []string{"1", "2"}},
	{"6200", "广发银行", []string{"CNY"}, []string{"1", "2"}},
	{"6300", "上海浦东发展银行", []string{"CNY"}, []string{"1", "2"}},
	{"7100", "上海银行", []string{"CNY"}, []string{"2"}},
	{"8500", "中国邮政储蓄银行", []string{"CNY"}, []string{"2"}},
}

func findBank(code string) (bank, bool) {
	for _, b := range banks {
		if b.Code == code {
			return b, true
		}
	}
	return bank{}, false
}

// maxAuxiliaryAccounts is how many auxiliary capital accounts a customer may have (broker).
const maxAuxiliaryAccounts = 4

func (s *Sim) listBanks(c *call) (any, *apiError) {
	_, _, maint := s.clock.windows()
	return map[string]any{"banks": banks, "maintenance_window": maint.String()}, nil
}

// bankAvailable refuses custody calls while banks are in their nightly maintenance.
func (s *Sim) bankAvailable() *apiError {
	now := s.clock.Now()
	if _, _, maint := s.clock.windows(); maint.contains(now) {
		return &apiError{Status: http.StatusServiceUnavailable, Code: codeBankMaintenance,
			Message:    fmt.Sprintf("银行系统维护中（%s），请于维护结束后再试", maint.String()),
			RetryAfter: maint.endAfter(now).Sub(now)}
	}
	return nil
}

type custodyRequest struct {
	CapitalAccount string `json:"capital_account"`
	CustomerCode   string `json:"customer_code"`
	BankCode       string `json:"bank_code"`
	BankCard       string `json:"bank_card"`
	Currency       string `json:"currency"`
	Mode           string `json:"mode"`
}

// checkCustodyRequest validates the bank side of a signing request.
func checkCustodyRequest(req *custodyRequest) (bank, *apiError) {
	if req.Currency == "" {
		req.Currency = "CNY"
	}
	b, ok := findBank(req.BankCode)
	if !ok {
		return b, fail(http.StatusBadRequest, codeBankUnknown, "存管银行代码不存在：%q（查询 GET /custody/banks）", req.BankCode)
	}
	if !slices.Contains(b.Currencies, req.Currency) {
		return b, rejected(codeBankUnknown, "%s不支持%s三方存管", b.Name, req.Currency)
	}
	if e := checkBankCard(req.BankCard); e != nil {
		return b, e
	}
	return b, nil
}

func (s *Sim) signCustody(c *call) (any, *apiError) {
	var req custodyRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.CustomerCode != "" {
		return nil, badRequest("主存管签约按资金账户办理：请填写 capital_account，不要填写 customer_code")
	}
	b, e := checkCustodyRequest(&req)
	if e != nil {
		return nil, e
	}
	if req.Mode != "1" && req.Mode != "2" {
		return nil, badRequest("mode（签约方式）应为1一步式或2预指定")
	}
	if !slices.Contains(b.Modes, req.Mode) {
		return nil, rejected(codeBankUnknown, "%s不支持一步式签约，请使用预指定（mode 2）", b.Name)
	}
	if e := s.bankAvailable(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[req.CapitalAccount]
	if !ok {
		return nil, notFound("资金账户不存在：%s", req.CapitalAccount)
	}
	if !acct.Main {
		return nil, conflict(codeCustodyExists, "%s 为辅助资金账户，已在开立时签约", acct.Account)
	}
	if req.Currency != acct.Currency {
		return nil, rejected(codeBankUnknown, "币种不符：资金账户 %s 为%s", acct.Account, acct.Currency)
	}
	if acct.Status == accountClosed {
		return nil, conflict(codeClosed, "资金账户 %s 已注销", acct.Account)
	}
	if ag := s.st.CustodyAgreements[acct.Custody]; ag != nil && ag.Status != custodyCancelled {
		return nil, conflict(codeCustodyExists, "该资金账户已签约三方存管（%s，卡号%s）", bankName(ag.BankCode), maskCard(ag.BankCard))
	}
	ag := s.newCustodyLocked(acct, req, true)
	return s.custodyViewLocked(ag), nil
}

func bankName(code string) string {
	b, _ := findBank(code)
	return b.Name
}

// newCustodyLocked records a custody agreement; pre-designation is confirmed by
// the bank after the depository delay.
func (s *Sim) newCustodyLocked(acct *capitalAccount, req custodyRequest, main bool) *custodyAgreement {
	ag := &custodyAgreement{
		ID: fmt.Sprintf("CG%010d", s.st.next("custody")), CapitalAccount: acct.Account, CustomerCode: acct.CustomerCode,
		BankCode: req.BankCode, BankCard: req.BankCard, Currency: req.Currency, Mode: req.Mode, Main: main,
		Status: custodyNormal, SignedAt: s.clock.Now(),
	}
	if req.Mode == "2" {
		ag.Status = custodyPending
		ag.ConfirmDueAt = s.now().Add(s.depositoryDelay())
		s.scheduleCustodyLocked(ag)
	}
	s.st.CustodyAgreements[ag.ID] = ag
	acct.Custody = ag.ID
	return ag
}

func (s *Sim) scheduleCustodyLocked(ag *custodyAgreement) {
	id := ag.ID
	s.after("custody:"+id, max(0, ag.ConfirmDueAt.Sub(s.now())), func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if ag := s.st.CustodyAgreements[id]; ag != nil && ag.Status == custodyPending {
			ag.Status = custodyNormal
		}
	})
}

var custodyStatusNames = map[string]string{custodyNormal: "正常", custodyPending: "预指定，待银行确认", custodyCancelled: "已撤销"}

func (s *Sim) custodyViewLocked(ag *custodyAgreement) map[string]any {
	v := map[string]any{"agreement_id": ag.ID, "capital_account": ag.CapitalAccount, "customer_code": ag.CustomerCode,
		"bank_code": ag.BankCode, "bank_name": bankName(ag.BankCode), "bank_card": maskCard(ag.BankCard),
		"currency": ag.Currency, "mode": ag.Mode, "main": ag.Main, "status": ag.Status,
		"status_name": custodyStatusNames[ag.Status], "signed_at": ag.SignedAt.Format(time.RFC3339)}
	if ag.CancelledAt != nil {
		v["cancelled_at"] = ag.CancelledAt.Format(time.RFC3339)
	}
	return v
}

func (s *Sim) openAuxiliary(c *call) (any, *apiError) {
	var req custodyRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.CapitalAccount != "" {
		return nil, badRequest("辅助资金账户由系统分配：请填写 customer_code，不要填写 capital_account")
	}
	if req.Mode == "" {
		req.Mode = "1"
	}
	if req.Mode != "1" {
		return nil, badRequest("辅助资金账户只支持一步式签约（mode 1）")
	}
	if _, e := checkCustodyRequest(&req); e != nil {
		return nil, e
	}
	if e := s.bankAvailable(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(req.CustomerCode)
	if e != nil {
		return nil, e
	}
	var main *capitalAccount
	aux, opened := 0, 0 // open auxiliary accounts; every one ever opened (numbers are not reused)
	for _, a := range cu.CapitalAccounts {
		acct := s.st.CapitalAccounts[a]
		if ag := s.st.CustodyAgreements[acct.Custody]; ag != nil && ag.Status != custodyCancelled && ag.BankCode == req.BankCode {
			return nil, conflict(codeBankAlreadyBound, "一户多银每家银行只能绑定一个资金账户：%s已绑定资金账户 %s", bankName(req.BankCode), acct.Account)
		}
		switch {
		case acct.Main:
			main = acct
		case acct.Status == accountClosed:
			opened++
		default:
			opened++
			aux++
		}
	}
	if main == nil || main.Custody == "" || s.st.CustodyAgreements[main.Custody].Status != custodyNormal {
		return nil, rejected(codeCustodyMissing, "主资金账户尚未完成三方存管签约，不能开立辅助资金账户")
	}
	if aux >= maxAuxiliaryAccounts {
		return nil, rejected(codeAuxiliaryLimit, "辅助资金账户数量已达上限（%d个）", maxAuxiliaryAccounts)
	}
	acct := &capitalAccount{Account: fmt.Sprintf("%s%02d", cu.Code, opened+1), CustomerCode: cu.Code, Currency: req.Currency,
		Status: "0", OpenedAt: s.clock.Now()}
	s.st.CapitalAccounts[acct.Account] = acct
	cu.CapitalAccounts = append(cu.CapitalAccounts, acct.Account)
	ag := s.newCustodyLocked(acct, req, false)
	return s.custodyViewLocked(ag), nil
}

func (s *Sim) listCustody(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	code, acct := q.Get("customer_code"), q.Get("capital_account")
	if code == "" && acct == "" {
		return nil, badRequest("须提供查询参数 customer_code 或 capital_account")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if acct != "" {
		a, ok := s.st.CapitalAccounts[acct]
		if !ok {
			return nil, notFound("资金账户不存在：%s", acct)
		}
		code = a.CustomerCode
	}
	cu, e := s.customerLocked(code)
	if e != nil {
		return nil, e
	}
	out := []map[string]any{}
	for _, a := range cu.CapitalAccounts {
		ca := s.st.CapitalAccounts[a]
		if ca.Custody != "" && (acct == "" || acct == a) {
			out = append(out, s.custodyViewLocked(s.st.CustodyAgreements[ca.Custody]))
		}
	}
	return map[string]any{"agreements": out}, nil
}

// --- funds ---

// matureLocked makes sale proceeds withdrawable from the next trading day after the sale.
func matureLocked(acct *capitalAccount, today time.Time) {
	kept := acct.Unsettled[:0]
	for _, p := range acct.Unsettled {
		d, _ := parseDate(p.TradeDate)
		if !nextTradingDay(d).After(today) {
			acct.Settled += p.Amount
		} else {
			kept = append(kept, p)
		}
	}
	acct.Unsettled = kept
}

type balance struct {
	CapitalAccount string `json:"capital_account"`
	Currency       string `json:"currency"`
	Available      money  `json:"available"`
	Withdrawable   money  `json:"withdrawable"`
	Unsettled      money  `json:"unsettled"`
	MarketValue    money  `json:"market_value"`
	TotalAssets    money  `json:"total_assets"`
}

func (s *Sim) balanceLocked(acct *capitalAccount) balance {
	matureLocked(acct, dateOnly(s.clock.Now()))
	b := balance{CapitalAccount: acct.Account, Currency: acct.Currency, Withdrawable: acct.Settled}
	for _, p := range acct.Unsettled {
		b.Unsettled += p.Amount
	}
	b.Available = b.Withdrawable + b.Unsettled
	if acct.Main {
		for _, p := range s.st.Customers[acct.CustomerCode].Positions {
			b.MarketValue += p.MarketValue
		}
	}
	b.TotalAssets = b.Available + b.MarketValue
	return b
}

func (s *Sim) getBalance(c *call) (any, *apiError) {
	account := c.r.URL.Query().Get("capital_account")
	if account == "" {
		return nil, badRequest("缺少查询参数 capital_account（资金账户）")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[account]
	if !ok {
		return nil, notFound("资金账户不存在：%s", account)
	}
	return s.balanceLocked(acct), nil
}

type transferRequest struct {
	CapitalAccount string `json:"capital_account"`
	Direction      string `json:"direction"`
	Amount         money  `json:"amount"`
	FundsPassword  string `json:"funds_password,omitempty"`
	BankPassword   string `json:"bank_password,omitempty"`
}

// maxFundsPasswordFailures is how many wrong funds passwords lock the password.
const maxFundsPasswordFailures = 3

func (s *Sim) transfer(c *call) (any, *apiError) {
	var req transferRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Direction != "in" && req.Direction != "out" {
		return nil, badRequest("direction（转账方向）应为 in（银行转证券）或 out（证券转银行）")
	}
	if req.Amount <= 0 {
		return nil, badRequest("amount（转账金额）必须大于0")
	}
	if req.Direction == "out" && req.FundsPassword == "" {
		return nil, badRequest("证券转银行须提供 funds_password（资金密码）")
	}
	now := s.clock.Now()
	transfer, _, _ := s.clock.windows()
	if !isTradingDay(now) || !transfer.contains(now) {
		return nil, &apiError{Status: http.StatusServiceUnavailable, Code: codeTransferHours,
			Message:    fmt.Sprintf("当前为非交易时段，银证转账时间为交易日%s（当前%s）", transfer.String(), now.Format("2006-01-02 15:04 Mon")),
			RetryAfter: nextOpening(transfer, now).Sub(now)}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[req.CapitalAccount]
	if !ok {
		return nil, notFound("资金账户不存在：%s", req.CapitalAccount)
	}
	if acct.Custody == "" {
		return nil, rejected(codeCustodyMissing, "资金账户 %s 尚未签约三方存管，不能银证转账", acct.Account)
	}
	switch ag := s.st.CustodyAgreements[acct.Custody]; ag.Status {
	case custodyCancelled:
		return nil, rejected(codeCustodyMissing, "资金账户 %s 的三方存管已撤销，不能银证转账", acct.Account)
	case custodyPending:
		return nil, rejected(codeCustodyMissing, "三方存管尚未生效：预指定签约待银行端确认（%s）", bankName(ag.BankCode))
	}
	cu := s.st.Customers[acct.CustomerCode]
	if req.Direction == "out" {
		if e := verifyFundsPassword(cu, req.FundsPassword); e != nil {
			return nil, e
		}
		if b := s.balanceLocked(acct); req.Amount > b.Withdrawable {
			return nil, rejected(codeInsufficient, "可取资金不足：可取 %s 元，申请转出 %s 元（当日卖出资金 %s 元可用不可取）", b.Withdrawable, req.Amount, b.Unsettled)
		}
		acct.Settled -= req.Amount
	} else {
		acct.Settled += req.Amount
	}
	b := s.balanceLocked(acct)
	return map[string]any{"transfer_id": fmt.Sprintf("ZZ%s%06d", now.Format(dateLayout), s.st.next("transfer")),
		"capital_account": acct.Account, "direction": req.Direction, "amount": req.Amount, "status": "成功",
		"available": b.Available, "withdrawable": b.Withdrawable}, nil
}

// verifyFundsPassword checks the funds password, locking it after three failures.
func verifyFundsPassword(cu *customer, pwd string) *apiError {
	p := cu.FundsPassword
	if p == nil {
		return rejected(codeFundsPassword, "尚未设置资金密码，请先设置资金密码")
	}
	if p.Locked {
		return rejected(codeFundsLocked, "资金密码已锁定（连续错误%d次），请临柜解锁", maxFundsPasswordFailures)
	}
	if hashPassword(cu.Code, pwd) == p.Hash {
		p.Failures = 0
		return nil
	}
	p.Failures++
	if p.Failures >= maxFundsPasswordFailures {
		p.Locked = true
		return rejected(codeFundsLocked, "资金密码错误次数过多，已锁定，请临柜解锁")
	}
	return rejected(codeFundsPassword, "资金密码错误，还可尝试%d次", maxFundsPasswordFailures-p.Failures)
}
