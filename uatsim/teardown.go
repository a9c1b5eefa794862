package uatsim

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Closing an account runs the opening backwards, and each system refuses
// while something it guards remains: trading agreements are cancelled, money
// is transferred out, auxiliary accounts and main custody are cancelled,
// designated trading is cancelled, shareholder accounts are closed at the
// depository, then the capital account, and last the customer (销户, status 9),
// which frees the ID number for a new customer.

// --- trade ---

func (s *Sim) cancelAgreement(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ag, ok := s.st.Agreements[c.r.PathValue("id")]
	if !ok {
		return nil, notFound("协议不存在：%s", c.r.PathValue("id"))
	}
	now := s.clock.Now()
	switch agreementStatusFor(ag, now) {
	case agreementCancelled:
		return nil, conflict(codeAgreementEnded, "该协议已终止：%s（协议编号 %s）", ag.Name, ag.ID)
	case agreementFailed:
		return nil, conflict(codeAgreementEnded, "该协议未生效（中登报备失败），无需终止：%s", ag.Name)
	case agreementCSDC:
		return nil, rejected(codeAgreementFiling, "%s协议正在中登报备中（流水号 %s），报备完成后方可终止", ag.Name, ag.Serial)
	}
	ag.Status, ag.CancelledAt = agreementCancelled, &now
	return agreementView(ag, now), nil
}

// --- custody ---

// cancellableLocked refuses to cancel custody while money remains: sale
// proceeds not yet settled (在途) first, then any balance.
func (s *Sim) cancellableLocked(acct *capitalAccount, what string) *apiError {
	b := s.balanceLocked(acct)
	if b.Unsettled != 0 {
		return rejected(codeFundsInTransit, "资金账户 %s 有在途资金（未交收卖出资金 %s 元），不能%s", acct.Account, b.Unsettled, what)
	}
	if b.Withdrawable != 0 {
		return rejected(codeCustodyBalance, "资金余额不为零，不能%s：资金账户 %s 余额 %s 元，请先银证转账转出", what, acct.Account, b.Withdrawable)
	}
	return nil
}

func (s *Sim) cancelCustody(c *call) (any, *apiError) {
	if e := s.bankAvailable(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ag, ok := s.st.CustodyAgreements[c.r.PathValue("id")]
	if !ok {
		return nil, notFound("存管协议不存在：%s", c.r.PathValue("id"))
	}
	if ag.Status == custodyCancelled {
		return nil, conflict(codeCustodyCancelled, "三方存管已撤销（%s，资金账户 %s）", bankName(ag.BankCode), ag.CapitalAccount)
	}
	acct := s.st.CapitalAccounts[ag.CapitalAccount]
	if !ag.Main {
		return nil, rejected(codeAuxiliaryOpen, "%s 为辅助资金账户的存管协议，请撤销辅助资金账户（POST /custody/auxiliary-accounts/%s/cancel）", ag.ID, acct.Account)
	}
	if open := s.openAuxiliaryLocked(s.st.Customers[ag.CustomerCode]); len(open) > 0 {
		return nil, rejected(codeAuxiliaryOpen, "尚有辅助资金账户未撤销：%s，须先撤销辅助资金账户", strings.Join(open, "、"))
	}
	if e := s.cancellableLocked(acct, "撤销三方存管"); e != nil {
		return nil, e
	}
	now := s.clock.Now()
	ag.Status, ag.CancelledAt = custodyCancelled, &now
	return s.custodyViewLocked(ag), nil
}

func (s *Sim) cancelAuxiliary(c *call) (any, *apiError) {
	if e := s.bankAvailable(); e != nil {
		return nil, e
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[c.r.PathValue("account")]
	if !ok {
		return nil, notFound("资金账户不存在：%s", c.r.PathValue("account"))
	}
	if acct.Main {
		return nil, badRequest("%s 为主资金账户，不是辅助资金账户：撤销主存管请用 POST /custody/agreements/{agreement_id}/cancel", acct.Account)
	}
	if acct.Status == accountClosed {
		return nil, conflict(codeCustodyCancelled, "辅助资金账户 %s 已撤销", acct.Account)
	}
	if e := s.cancellableLocked(acct, "撤销辅助资金账户"); e != nil {
		return nil, e
	}
	now := s.clock.Now()
	ag := s.st.CustodyAgreements[acct.Custody]
	ag.Status, ag.CancelledAt = custodyCancelled, &now
	acct.Status, acct.ClosedAt = accountClosed, &now
	v := s.custodyViewLocked(ag)
	v["capital_account_status"] = acct.Status
	return v, nil
}

// openAuxiliaryLocked lists the customer's auxiliary capital accounts not yet cancelled.
func (s *Sim) openAuxiliaryLocked(cu *customer) []string {
	var open []string
	for _, a := range cu.CapitalAccounts {
		if aux := s.st.CapitalAccounts[a]; !aux.Main && aux.Status != accountClosed {
			open = append(open, aux.Account)
		}
	}
	return open
}

// --- account ---

func (s *Sim) cancelDesignated(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, e := s.openStockAccountLocked(c.r.PathValue("account"))
	if e != nil {
		return nil, e
	}
	if acct.Market != "SH" {
		return nil, rejected(codeDesignated, "仅上海A股账户办理指定交易，%s 为深圳账户", acct.Account)
	}
	if !acct.Designated {
		return nil, rejected(codeDesignated, "该账户未指定交易，无需撤销：%s", acct.Account)
	}
	if e := s.noPositionsLocked(s.st.Customers[acct.CustomerCode], "SH", "撤销指定交易"); e != nil {
		return nil, e
	}
	unit := acct.TradingUnit
	acct.Designated, acct.TradingUnit = false, ""
	return map[string]any{"account": acct.Account, "designated": false, "cancelled_trading_unit": unit}, nil
}

// openStockAccountLocked finds a shareholder account that is not closed.
func (s *Sim) openStockAccountLocked(account string) (*stockAccount, *apiError) {
	acct, ok := s.st.StockAccounts[account]
	if !ok {
		return nil, notFound("股东账户不存在：%s", account)
	}
	if acct.Status == accountClosed {
		return nil, conflict(codeClosed, "股东账户 %s 已注销", acct.Account)
	}
	return acct, nil
}

// noPositionsLocked refuses while the customer holds securities in market
// ("" = any market).
func (s *Sim) noPositionsLocked(cu *customer, market, what string) *apiError {
	var held []string
	for _, p := range cu.Positions {
		if market == "" || p.Market == market {
			held = append(held, fmt.Sprintf("%s %s %d股", p.SecurityCode, p.SecurityName, p.Quantity))
		}
	}
	if len(held) > 0 {
		return rejected(codePositionsRemain, "仍有持仓，不能%s：%s（请先卖出）", what, strings.Join(held, "、"))
	}
	return nil
}

func (s *Sim) closeStockAccount(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, e := s.openStockAccountLocked(c.r.PathValue("account"))
	if e != nil {
		return nil, e
	}
	cu := s.st.Customers[acct.CustomerCode]
	for _, serial := range cu.Requests {
		if r := s.st.Requests[serial]; r.Kind == "close_stock_account" && r.Account == acct.Account && (r.Status == csdcNotSent || r.Status == csdcSent) {
			return nil, conflict(codeClosing, "股东账户 %s 的注销申请正在中登处理中，流水号：%s", acct.Account, r.Serial)
		}
	}
	if acct.Designated {
		return nil, rejected(codeDesignatedFirst, "上海A股账户 %s 已指定交易（交易单元 %s），须先撤销指定交易", acct.Account, acct.TradingUnit)
	}
	if e := s.noPositionsLocked(cu, acct.Market, "注销股东账户"); e != nil {
		return nil, e
	}
	req := s.newRequestLocked("close_stock_account", cu, acct.Market)
	req.Account = acct.Account
	return s.requestViewLocked(req), nil
}

func (s *Sim) closeCapitalAccount(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, ok := s.st.CapitalAccounts[c.r.PathValue("account")]
	if !ok {
		return nil, notFound("资金账户不存在：%s", c.r.PathValue("account"))
	}
	if acct.Status == accountClosed {
		return nil, conflict(codeClosed, "资金账户 %s 已注销", acct.Account)
	}
	cu := s.st.Customers[acct.CustomerCode]
	if ag := s.st.CustodyAgreements[acct.Custody]; ag != nil && ag.Status != custodyCancelled {
		return nil, rejected(codeCustodyBound, "资金账户 %s 仍签约三方存管（%s），须先撤销三方存管", acct.Account, bankName(ag.BankCode))
	}
	// Main custody is cancelled only after every auxiliary account, so no
	// auxiliary account can be open here.
	if b := s.balanceLocked(acct); b.Available != 0 {
		return nil, rejected(codeBalanceRemains, "资金余额不为零，不能注销资金账户：%s 可用 %s 元", acct.Account, b.Available)
	}
	if acct.Main {
		if e := s.noPositionsLocked(cu, "", "注销资金账户"); e != nil {
			return nil, e
		}
	}
	now := s.clock.Now()
	acct.Status, acct.ClosedAt = accountClosed, &now
	return map[string]any{"capital_account": acct.Account, "main": acct.Main, "status": acct.Status,
		"closed_at": now.Format(time.RFC3339)}, nil
}

func (s *Sim) closeCustomer(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.customerLocked(c.r.PathValue("code"))
	if e != nil {
		return nil, e
	}
	if cu.Status == customerClosed {
		return nil, conflict(codeClosed, "客户 %s 已销户", cu.Code)
	}
	if open := s.openAccountsLocked(cu); len(open) > 0 {
		return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: codeAccountsOpen,
			Message: "客户尚有未注销的账户，不能销户：" + strings.Join(open, "、"), Data: map[string]any{"open": open}}
	}
	var signed []string
	now := s.clock.Now()
	for _, id := range cu.Agreements {
		ag := s.st.Agreements[id]
		if st := agreementStatusFor(ag, now); st != agreementCancelled && st != agreementFailed {
			signed = append(signed, fmt.Sprintf("%s（%s）", ag.Name, ag.ID))
		}
	}
	if len(signed) > 0 {
		return nil, rejected(codeAgreementsInForce, "客户尚有未终止的交易权限协议，不能销户：%s", strings.Join(signed, "、"))
	}
	cu.Status, cu.ClosedAt = customerClosed, &now
	// The ID number may open a new customer from now on.
	delete(s.st.CustomerByID, cu.IDNumber)
	if s.st.ClosedByID == nil { // a state saved before closing existed
		s.st.ClosedByID = map[string][]string{}
	}
	s.st.ClosedByID[cu.IDNumber] = append(s.st.ClosedByID[cu.IDNumber], cu.Code)
	return map[string]any{"customer_code": cu.Code, "status": cu.Status, "closed_at": now.Format(time.RFC3339)}, nil
}

// openAccountsLocked lists, in the product's words, the customer's accounts
// and depository requests that still stand in the way of closing.
func (s *Sim) openAccountsLocked(cu *customer) []string {
	var open []string
	for _, a := range cu.CapitalAccounts {
		if acct := s.st.CapitalAccounts[a]; acct.Status != accountClosed {
			open = append(open, "资金账户 "+acct.Account)
		}
	}
	for _, a := range cu.StockAccounts {
		if sa := s.st.StockAccounts[a]; sa.Status != accountClosed {
			open = append(open, "股东账户 "+sa.Account)
		}
	}
	for _, serial := range cu.Requests {
		if r := s.st.Requests[serial]; r.Status == csdcNotSent || r.Status == csdcSent {
			open = append(open, "处理中的中登申请 "+r.Serial)
		}
	}
	return open
}

// listStockAccounts lists a customer's shareholder accounts, closed ones included.
func (s *Sim) listStockAccounts(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.customerLocked(c.r.URL.Query().Get("customer_code"))
	if e != nil {
		return nil, e
	}
	out := []*stockAccount{}
	for _, a := range cu.StockAccounts {
		out = append(out, s.st.StockAccounts[a])
	}
	return map[string]any{"customer_code": cu.Code, "stock_accounts": out}, nil
}

// --- test hook ---

// sellOut is a test hook: every position is sold at its price and every sale
// proceeds settle at once, so all the money is withdrawable and can be
// transferred out before closing.
func (s *Sim) sellOut(c *call) (any, *apiError) {
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		var main *capitalAccount
		for _, a := range cu.CapitalAccounts {
			acct := s.st.CapitalAccounts[a]
			for _, p := range acct.Unsettled {
				acct.Settled += p.Amount
			}
			acct.Unsettled = nil
			if acct.Main {
				main = acct
			}
		}
		var sold money
		for _, p := range cu.Positions {
			sold += p.MarketValue
		}
		if sold > 0 && main == nil {
			return nil, rejected(codeCustomerState, "客户没有主资金账户，持仓无法卖出")
		}
		n := len(cu.Positions)
		cu.Positions = nil
		out := map[string]any{"customer_code": cu.Code, "positions_sold": n, "proceeds": sold}
		if main != nil {
			main.Settled += sold
			out["balance"] = s.balanceLocked(main)
		}
		return out, nil
	})
}
