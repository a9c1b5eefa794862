package uatsim

import (
	"time"
)

// state is everything the back office holds. It is guarded by Sim.mu and is
// what save/load writes; its fields are exported only for encoding/json.
type state struct {
	Customers         map[string]*customer         `json:"customers"`          // by customer code
	CustomerByID      map[string]string            `json:"customer_by_id"`     // id number → code of the customer not closed
	ClosedByID        map[string][]string          `json:"closed_by_id"`       // id number → codes of closed customers, oldest first
	PoliceChecks      map[string]string            `json:"police_checks"`      // id|name → result
	CapitalAccounts   map[string]*capitalAccount   `json:"capital_accounts"`   // by account
	StockAccounts     map[string]*stockAccount     `json:"stock_accounts"`     // by account
	Requests          map[string]*csdcRequest      `json:"requests"`           // depository requests by serial
	CustodyAgreements map[string]*custodyAgreement `json:"custody_agreements"` // by id
	Agreements        map[string]*agreement        `json:"agreements"`         // by id
	Seq               map[string]int64             `json:"seq"`                // number sequences
}

func newState() *state {
	return &state{
		Customers:         map[string]*customer{},
		CustomerByID:      map[string]string{},
		ClosedByID:        map[string][]string{},
		PoliceChecks:      map[string]string{},
		CapitalAccounts:   map[string]*capitalAccount{},
		StockAccounts:     map[string]*stockAccount{},
		Requests:          map[string]*csdcRequest{},
		CustodyAgreements: map[string]*custodyAgreement{},
		Agreements:        map[string]*agreement{},
		Seq:               map[string]int64{},
	}
}

// next gives the next number of a named sequence, starting at 1.
func (st *state) next(name string) int64 {
	st.Seq[name]++
	return st.Seq[name]
}

// Customer status values.
const (
	customerOpening = "1" // 开户中: created, not yet activated
	customerNormal  = "0" // 正常: activated
	customerClosed  = "9" // 已销户
)

// accountClosed is the status of a closed capital or shareholder account (已注销).
const accountClosed = "9"

type customer struct {
	Code         string     `json:"customer_code"`
	Name         string     `json:"name"`
	IDType       string     `json:"id_type"`
	IDNumber     string     `json:"id_number"`
	IDExpiry     string     `json:"id_expiry"`
	Gender       string     `json:"gender"`
	BirthDate    string     `json:"birth_date"`
	Mobile       string     `json:"mobile"`
	Channel      string     `json:"channel"`
	IncomeProof  bool       `json:"income_proof"`
	AnnualIncome money      `json:"annual_income"`
	Status       string     `json:"status"`
	Operator     string     `json:"operator"` // who opened it
	CreatedAt    time.Time  `json:"created_at"`
	ActivatedAt  *time.Time `json:"activated_at,omitempty"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`

	Contact         *contact         `json:"contact,omitempty"`
	TaxResidency    *taxResidency    `json:"tax_residency,omitempty"`
	BeneficialOwner *beneficialOwner `json:"beneficial_owner,omitempty"`
	Risk            *riskAssessment  `json:"risk,omitempty"`
	Suitability     *suitability     `json:"suitability,omitempty"`
	OneStopAccount  string           `json:"one_stop_account,omitempty"`
	TradingPassword *password        `json:"trading_password,omitempty"`
	FundsPassword   *password        `json:"funds_password,omitempty"`
	Witness         *witness         `json:"witness,omitempty"`
	ReturnVisit     *returnVisit     `json:"return_visit,omitempty"`

	FirstTradeDate string     `json:"first_trade_date,omitempty"`
	AssetHistory   []money    `json:"asset_history,omitempty"` // daily total assets, oldest first
	Positions      []position `json:"positions,omitempty"`

	CapitalAccounts []string `json:"capital_accounts"`
	StockAccounts   []string `json:"stock_accounts"`
	Agreements      []string `json:"agreements"`
	Requests        []string `json:"requests"`
}

type contact struct {
	Mobile   string `json:"mobile"`
	Email    string `json:"email,omitempty"`
	Address  string `json:"address"`
	Postcode string `json:"postcode"`
}

type taxResidency struct {
	Type      string       `json:"type"` // 1 中国税收居民, 2 非居民, 3 既是中国又是其他国家（地区）税收居民
	Countries []taxCountry `json:"countries,omitempty"`
}

type taxCountry struct {
	Country  string `json:"country"`
	TIN      string `json:"tin,omitempty"`
	NoTINWhy string `json:"no_tin_reason,omitempty"`
}

type beneficialOwner struct {
	IsSelf   bool   `json:"is_self"`
	Name     string `json:"name,omitempty"`
	IDNumber string `json:"id_number,omitempty"`
}

type riskAssessment struct {
	Score      int               `json:"score"`
	Level      string            `json:"risk_level"`
	Label      string            `json:"risk_label"`
	Answers    map[string]string `json:"answers"`
	AssessedAt time.Time         `json:"assessed_at"`
	ExpiresOn  string            `json:"expires_on"`
}

type suitability struct {
	InvestorType string    `json:"investor_type"` // 0 普通, 1 专业
	ConfirmedAt  time.Time `json:"confirmed_at"`
}

type password struct {
	Hash     string `json:"hash"`
	Failures int    `json:"failures"`
	Locked   bool   `json:"locked"`
}

type witness struct {
	Mode      string    `json:"mode"` // 2 视频见证, 3 双人见证
	Witnesses []string  `json:"witnesses"`
	At        time.Time `json:"at"`
}

type returnVisit struct {
	Method string    `json:"method"`
	Result string    `json:"result"` // 1 正常, 2 异常
	Note   string    `json:"note,omitempty"`
	At     time.Time `json:"at"`
}

type position struct {
	Market       string `json:"market"`
	SecurityCode string `json:"security_code"`
	SecurityName string `json:"security_name,omitempty"`
	Quantity     int64  `json:"quantity"`
	Price        money  `json:"price"`
	MarketValue  money  `json:"market_value"`
}

type capitalAccount struct {
	Account      string     `json:"capital_account"`
	CustomerCode string     `json:"customer_code"`
	Currency     string     `json:"currency"`
	Main         bool       `json:"main"`
	Status       string     `json:"status"` // 0 正常, 9 已注销
	Settled      money      `json:"settled"`
	Unsettled    []proceeds `json:"unsettled,omitempty"`
	Custody      string     `json:"custody_agreement,omitempty"`
	OpenedAt     time.Time  `json:"opened_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
}

// proceeds is money from a sale: available at once, withdrawable from the next trading day.
type proceeds struct {
	Amount    money  `json:"amount"`
	TradeDate string `json:"trade_date"`
}

type stockAccount struct {
	Account      string     `json:"account"`
	Market       string     `json:"market"` // SH, SZ
	Type         string     `json:"type"`   // 11 沪A, 21 深A
	CustomerCode string     `json:"customer_code"`
	Status       string     `json:"status"` // 0 正常, 9 已注销
	Designated   bool       `json:"designated"`
	TradingUnit  string     `json:"trading_unit,omitempty"`
	OpenedAt     time.Time  `json:"opened_at"`
	ClosedAt     *time.Time `json:"closed_at,omitempty"`
}

// Depository request status values.
const (
	csdcNotSent   = "0"
	csdcSent      = "1"
	csdcSucceeded = "2"
	csdcFailed    = "3"
)

// csdcRequest is an asynchronous call to the depository (中国结算).
type csdcRequest struct {
	Serial       string            `json:"serial"`
	Kind         string            `json:"kind"` // one_stop, stock_account, close_stock_account, chinext
	CustomerCode string            `json:"customer_code"`
	Market       string            `json:"market,omitempty"`
	Account      string            `json:"account,omitempty"` // the shareholder account a closing request closes
	Status       string            `json:"status"`
	Message      string            `json:"message"`
	Result       map[string]string `json:"result,omitempty"`
	CreatedAt    time.Time         `json:"created_at"`
	SendAt       time.Time         `json:"send_at"`        // real time the request leaves status 0
	DueAt        time.Time         `json:"due_at"`         // real time the depository answers
	Fail         string            `json:"fail,omitempty"` // failure message decided at creation
}

// Custody agreement status values.
const (
	custodyNormal    = "0" // 正常
	custodyPending   = "1" // 预指定，待银行确认
	custodyCancelled = "9" // 已撤销
)

type custodyAgreement struct {
	ID             string     `json:"agreement_id"`
	CapitalAccount string     `json:"capital_account"`
	CustomerCode   string     `json:"customer_code"`
	BankCode       string     `json:"bank_code"`
	BankCard       string     `json:"bank_card"`
	Currency       string     `json:"currency"`
	Mode           string     `json:"mode"` // 1 一步式, 2 预指定
	Main           bool       `json:"main"`
	Status         string     `json:"status"`
	SignedAt       time.Time  `json:"signed_at"`
	ConfirmDueAt   time.Time  `json:"confirm_due_at,omitempty"`
	CancelledAt    *time.Time `json:"cancelled_at,omitempty"`
}

// Trading agreement status values.
const (
	agreementEffective = "0" // 已生效
	agreementPending   = "1" // 已签署，待生效
	agreementCSDC      = "2" // 中登报备中
	agreementFailed    = "3" // 中登报备失败
	agreementCancelled = "9" // 已终止
)

type agreement struct {
	ID            string     `json:"agreement_id"`
	CustomerCode  string     `json:"customer_code"`
	Type          string     `json:"type"`
	Name          string     `json:"name"`
	Status        string     `json:"status"`
	SignedAt      time.Time  `json:"signed_at"`
	EffectiveDate string     `json:"effective_date"`
	Serial        string     `json:"serial,omitempty"`
	CreditAccount string     `json:"credit_account,omitempty"`
	CancelledAt   *time.Time `json:"cancelled_at,omitempty"`
}
