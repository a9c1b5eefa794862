package uatsim

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// --- operator login ---

type loginRequest struct {
	Operator string `json:"operator"`
	Password string `json:"password"`
}

func (s *Sim) login(c *call) (any, *apiError) {
	var req loginRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Operator == "" || req.Password == "" {
		return nil, badRequest("缺少 operator（操作员）或 password（密码）")
	}
	if pwd, ok := uatOperators[req.Operator]; !ok || pwd != req.Password {
		return nil, fail(http.StatusUnauthorized, codeBadCredentials, "操作员或密码错误")
	}
	now := s.now()
	s.sessMu.Lock()
	defer s.sessMu.Unlock()
	if tok, ok := s.byOper[req.Operator]; ok {
		if sess := s.sessions[tok]; sess != nil && now.Before(sess.Expires) {
			sess.Expires = now.Add(s.opts.TokenTTL)
			c.message = "用户已登陆，不用重复登陆"
			return loginAnswer(sess), nil
		}
		delete(s.sessions, tok)
	}
	sess := &session{Operator: req.Operator, Token: newToken(), Expires: now.Add(s.opts.TokenTTL)}
	s.sessions[sess.Token] = sess
	s.byOper[req.Operator] = sess.Token
	return loginAnswer(sess), nil
}

func loginAnswer(sess *session) map[string]any {
	return map[string]any{"token": sess.Token, "operator": sess.Operator, "branch": "3101",
		"expires_at": sess.Expires.In(chinaTime).Format(time.RFC3339)}
}

// --- lookups ---

type customerSummary struct {
	Code      string `json:"customer_code"`
	Name      string `json:"name"`
	IDNumber  string `json:"id_number"`
	Status    string `json:"status"`
	CreatedAt string `json:"created_at"`
}

func (s *Sim) lookupCustomers(c *call) (any, *apiError) {
	id := strings.ToUpper(strings.TrimSpace(c.r.URL.Query().Get("id_number")))
	if id == "" {
		return nil, badRequest("缺少查询参数 id_number（证件号码）")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Closed customers (status 9) are listed too, as a back office keeps them;
	// at most one customer of an ID is not closed.
	out := []customerSummary{}
	for _, cu := range s.customersWithIDLocked(id) {
		out = append(out, customerSummary{Code: cu.Code, Name: cu.Name, IDNumber: cu.IDNumber, Status: cu.Status, CreatedAt: cu.CreatedAt.Format(time.RFC3339)})
	}
	return map[string]any{"customers": out, "total": len(out)}, nil
}

func (s *Sim) getCustomer(c *call) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.customerLocked(c.r.PathValue("code"))
	if e != nil {
		return nil, e
	}
	return s.customerViewLocked(cu), nil
}

// customersWithIDLocked lists every customer ever opened with an ID number:
// the closed ones, oldest first, then the one not closed.
func (s *Sim) customersWithIDLocked(id string) []*customer {
	var out []*customer
	for _, code := range s.st.ClosedByID[id] {
		out = append(out, s.st.Customers[code])
	}
	if code, ok := s.st.CustomerByID[id]; ok {
		out = append(out, s.st.Customers[code])
	}
	return out
}

// openCustomerLocked finds a customer that is not closed, for calls that
// change something; s.mu must be held.
func (s *Sim) openCustomerLocked(code string) (*customer, *apiError) {
	cu, e := s.customerLocked(code)
	if e == nil && cu.Status == customerClosed {
		return nil, conflict(codeClosed, "客户 %s 已销户，不能办理业务", cu.Code)
	}
	return cu, e
}

// customerLocked finds a customer by code; s.mu must be held.
func (s *Sim) customerLocked(code string) (*customer, *apiError) {
	if code == "" {
		return nil, badRequest("缺少 customer_code（客户代码）")
	}
	cu, ok := s.st.Customers[code]
	if !ok {
		return nil, notFound("客户代码不存在：%s", code)
	}
	return cu, nil
}

// --- identity ---

// Police check results.
const (
	policeMatch    = "一致"
	policeMismatch = "不一致"
	policeNoRecord = "库中无此号"
)

// policeResult is the documented deterministic police database: sequence code
// (ID digits 15-17) 999 → 库中无此号, 998 → 不一致, anything else → 一致.
func policeResult(id string) string {
	switch id[14:17] {
	case "999":
		return policeNoRecord
	case "998":
		return policeMismatch
	}
	return policeMatch
}

func identityHash(id, name string) uint32 {
	h := fnv.New32a()
	h.Write([]byte(id + "|" + name))
	return h.Sum32()
}

type identityRequest struct {
	IDNumber string `json:"id_number"`
	Name     string `json:"name"`
	Photo    string `json:"photo,omitempty"`
}

func (c *call) identity(withPhoto bool) (identityRequest, residentID, *apiError) {
	var req identityRequest
	if e := c.decode(&req); e != nil {
		return req, residentID{}, e
	}
	if e := checkName(req.Name); e != nil {
		return req, residentID{}, e
	}
	if !withPhoto && req.Photo != "" {
		return req, residentID{}, badRequest("未知字段 \"photo\"")
	}
	rid, e := checkResidentID(req.IDNumber, c.s.clock.Now())
	return req, rid, e
}

func (s *Sim) policeCheck(c *call) (any, *apiError) {
	req, id, e := c.identity(false)
	if e != nil {
		return nil, e
	}
	res := policeResult(id.Number)
	codes := map[string]string{policeMatch: "00", policeMismatch: "01", policeNoRecord: "02"}
	s.mu.Lock()
	s.st.PoliceChecks[id.Number+"|"+req.Name] = res
	s.mu.Unlock()
	return map[string]any{"id_number": id.Number, "name": req.Name, "result": res, "result_code": codes[res],
		"check_serial": fmt.Sprintf("GA%010d", identityHash(id.Number, req.Name)),
		"checked_at":   s.clock.Now().Format(time.RFC3339)}, nil
}

// photoThreshold is the similarity a photo comparison must reach.
const photoThreshold = 0.75

func (s *Sim) photoCompare(c *call) (any, *apiError) {
	req, id, e := c.identity(true)
	if e != nil {
		return nil, e
	}
	img, err := base64.StdEncoding.DecodeString(req.Photo)
	if req.Photo == "" || err != nil {
		return nil, badRequest("photo（照片）应为Base64编码的图片")
	}
	if len(img) < 64 {
		return nil, fail(http.StatusBadRequest, codePhoto, "照片质量不合格：图片过小（%d字节），请重新拍摄", len(img))
	}
	// Sequence code 996 is the documented "someone else in the photo" case.
	sim := 0.80 + float64(identityHash(id.Number, req.Name)%20)/100
	if id.Number[14:17] == "996" {
		sim = 0.42
	}
	return map[string]any{"similarity": sim, "threshold": photoThreshold, "passed": sim >= photoThreshold}, nil
}

// checkName accepts 2-30 characters of Chinese, letters, spaces and the middle dot.
func checkName(name string) *apiError {
	n := utf8.RuneCountInString(name)
	if n < 2 || n > 30 {
		return badRequest("name（姓名）应为2至30个字符（收到 %q）", name)
	}
	for _, r := range name {
		if !(r >= 0x4e00 && r <= 0x9fff || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == ' ' || r == '·') {
			return badRequest("姓名含非法字符：%q", r)
		}
	}
	return nil
}

// --- create customer ---

type createCustomerRequest struct {
	Name         string `json:"name"`
	IDType       string `json:"id_type"`
	IDNumber     string `json:"id_number"`
	IDExpiry     string `json:"id_expiry"`
	Mobile       string `json:"mobile"`
	Channel      string `json:"channel"`
	IncomeProof  bool   `json:"income_proof"`
	AnnualIncome money  `json:"annual_income"`
}

// longTermExpiry is how a long-term ID's expiry is written.
const longTermExpiry = "30001231"

var channelNames = map[string]string{"0": "柜台", "1": "网上自助", "2": "视频见证", "3": "双人见证"}

func (s *Sim) createCustomer(c *call) (any, *apiError) {
	var req createCustomerRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if e := checkName(req.Name); e != nil {
		return nil, e
	}
	if req.IDType != "" && req.IDType != "0" {
		return nil, badRequest("证件类型 %q 暂不支持：个人开户仅支持居民身份证（id_type 0）", req.IDType)
	}
	today := dateOnly(s.clock.Now())
	id, e := checkResidentID(req.IDNumber, today)
	if e != nil {
		return nil, e
	}
	if _, ok := channelNames[req.Channel]; !ok {
		return nil, badRequest("channel（开户渠道）%q 无效：0柜台、1网上自助、2视频见证、3双人见证", req.Channel)
	}
	age := fullYears(id.Birth, today)
	if age < 16 {
		return nil, rejected(codeUnderAge, "未满16周岁不能开户（客户%d周岁）", age)
	}
	if age < 18 && !req.IncomeProof {
		return nil, rejected(codeIncomeProof, "16至18周岁客户须提供收入证明（客户%d周岁，income_proof 为 false）", age)
	}
	if e := checkIDExpiry(req.IDExpiry, age, today); e != nil {
		return nil, e
	}
	if e := checkMobile(req.Mobile); e != nil {
		return nil, e
	}
	if req.AnnualIncome < 0 {
		return nil, badRequest("annual_income（年收入）不能为负数")
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if code, ok := s.st.CustomerByID[id.Number]; ok {
		return nil, conflict(codeDuplicateCustomer, "系统不允许同一证件开多个客户代码（证件号 %s 已有客户代码 %s）", id.Number, code)
	}
	switch res, ok := s.st.PoliceChecks[id.Number+"|"+req.Name]; {
	case !ok:
		return nil, rejected(codePoliceCheck, "未做公安联网核查：请先调用 POST /account/identity/police-check（%s %s）", req.Name, id.Number)
	case res != policeMatch:
		return nil, rejected(codePoliceCheck, "公安联网核查结果为“%s”，不能开户", res)
	}
	now := s.clock.Now()
	cu := &customer{
		Code: fmt.Sprintf("3101%08d", s.st.next("customer")), Name: req.Name, IDType: "0", IDNumber: id.Number,
		IDExpiry: req.IDExpiry, Gender: id.Gender, BirthDate: id.Birth.Format(dateLayout), Mobile: req.Mobile,
		Channel: req.Channel, IncomeProof: req.IncomeProof, AnnualIncome: req.AnnualIncome,
		Status: customerOpening, Operator: c.operator, CreatedAt: now,
		CapitalAccounts: []string{}, StockAccounts: []string{}, Agreements: []string{}, Requests: []string{},
	}
	s.st.Customers[cu.Code] = cu
	s.st.CustomerByID[id.Number] = cu.Code
	return map[string]any{"customer_code": cu.Code, "status": cu.Status, "gender": cu.Gender, "birth_date": cu.BirthDate, "age": age}, nil
}

// checkIDExpiry: YYYYMMDD, not expired, long-term only from 46, at most 20 years ahead otherwise.
func checkIDExpiry(expiry string, age int, today time.Time) *apiError {
	if expiry == longTermExpiry {
		if age < 46 {
			return fail(http.StatusBadRequest, codeIDExpiry, "证件有效期不合理：长期有效（30001231）的身份证仅签发给46周岁及以上公民，客户%d周岁", age)
		}
		return nil
	}
	t, ok := parseDate(expiry)
	if !ok {
		return fail(http.StatusBadRequest, codeIDExpiry, "id_expiry（证件有效期）格式错误：应为YYYYMMDD或30001231（长期），收到 %q", expiry)
	}
	if t.Before(today) {
		return fail(http.StatusUnprocessableEntity, codeIDExpiry, "证件已过期（有效期至%s），请更新证件后再办理", expiry)
	}
	if t.After(today.AddDate(20, 0, 0)) {
		return fail(http.StatusBadRequest, codeIDExpiry, "证件有效期不合理：%s 距今超过20年", expiry)
	}
	return nil
}

// --- profile details ---

func (s *Sim) setContact(c *call) (any, *apiError) {
	var req contact
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if e := checkMobile(req.Mobile); e != nil {
		return nil, e
	}
	if utf8.RuneCountInString(req.Address) < 5 {
		return nil, badRequest("address（联系地址）过短，请填写详细地址")
	}
	if len(req.Postcode) != 6 || !allDigits(req.Postcode) {
		return nil, badRequest("postcode（邮政编码）应为6位数字")
	}
	if req.Email != "" && (!strings.Contains(req.Email, "@") || strings.HasPrefix(req.Email, "@") || strings.HasSuffix(req.Email, "@")) {
		return nil, badRequest("email（电子邮箱）格式不正确：%q", req.Email)
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.Contact = &req
		return req, nil
	})
}

var taxTypes = map[string]string{"1": "仅为中国税收居民", "2": "仅为非居民", "3": "既是中国税收居民又是其他国家（地区）税收居民"}

func (s *Sim) setTaxResidency(c *call) (any, *apiError) {
	var req taxResidency
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if _, ok := taxTypes[req.Type]; !ok {
		return nil, badRequest("type（税收居民身份）%q 无效：1仅为中国税收居民、2仅为非居民、3既是中国又是其他国家（地区）税收居民", req.Type)
	}
	if req.Type == "1" && len(req.Countries) > 0 {
		return nil, badRequest("仅为中国税收居民时不应填写 countries（税收居民国）")
	}
	if req.Type != "1" && len(req.Countries) == 0 {
		return nil, badRequest("非仅中国税收居民须填写 countries（税收居民国及纳税人识别号）")
	}
	for i, tc := range req.Countries {
		if tc.Country == "" {
			return nil, badRequest("countries[%d].country（税收居民国）不能为空", i)
		}
		if tc.TIN == "" && tc.NoTINWhy == "" {
			return nil, badRequest("countries[%d]：未填写纳税人识别号时须说明原因（no_tin_reason）", i)
		}
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.TaxResidency = &req
		return map[string]any{"type": req.Type, "type_name": taxTypes[req.Type], "countries": req.Countries}, nil
	})
}

func (s *Sim) setBeneficialOwner(c *call) (any, *apiError) {
	var req beneficialOwner
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if !req.IsSelf {
		if e := checkName(req.Name); e != nil {
			return nil, e
		}
		id, e := checkResidentID(req.IDNumber, s.clock.Now())
		if e != nil {
			return nil, e
		}
		req.IDNumber = id.Number
	} else if req.Name != "" || req.IDNumber != "" {
		return nil, badRequest("受益所有人为本人（is_self=true）时不应填写 name、id_number")
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.BeneficialOwner = &req
		return req, nil
	})
}

// updateCustomer runs f on the (not closed) customer named in the path under
// the state lock.
func (s *Sim) updateCustomer(c *call, f func(*customer) (any, *apiError)) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(c.r.PathValue("code"))
	if e != nil {
		return nil, e
	}
	return f(cu)
}

// --- risk assessment and suitability ---

func (s *Sim) questionnaire(c *call) (any, *apiError) {
	return map[string]any{"version": questionnaireVersion, "questions": riskQuestions, "levels": riskLevels}, nil
}

type riskRequest struct {
	Answers map[string]string `json:"answers"`
}

func (s *Sim) assessRisk(c *call) (any, *apiError) {
	var req riskRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	score, e := scoreAnswers(req.Answers)
	if e != nil {
		return nil, e
	}
	lv := levelFor(score)
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		now := s.clock.Now()
		cu.Risk = &riskAssessment{Score: score, Level: lv.Level, Label: lv.Label, Answers: req.Answers,
			AssessedAt: now, ExpiresOn: now.AddDate(2, 0, 0).Format(dateLayout)}
		cu.Suitability = nil // a new assessment needs a new suitability confirmation
		return cu.Risk, nil
	})
}

type suitabilityRequest struct {
	InvestorType string `json:"investor_type"`
	Confirmed    bool   `json:"confirmed"`
}

func (s *Sim) confirmSuitability(c *call) (any, *apiError) {
	var req suitabilityRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.InvestorType != "0" && req.InvestorType != "1" {
		return nil, badRequest("investor_type（投资者类别）应为0普通投资者或1专业投资者")
	}
	if !req.Confirmed {
		return nil, rejected(codeCustomerState, "客户未确认适当性匹配意见（confirmed 应为 true）")
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		if cu.Risk == nil {
			return nil, rejected(codeRiskMissing, "尚未完成风险测评，不能确认适当性匹配")
		}
		if req.InvestorType == "1" {
			if e := s.professionalLocked(cu); e != nil {
				return nil, e
			}
		}
		cu.Suitability = &suitability{InvestorType: req.InvestorType, ConfirmedAt: s.clock.Now()}
		n := riskRank(cu.Risk.Level)
		return map[string]any{"investor_type": req.InvestorType, "risk_level": cu.Risk.Level,
			"allowed_products": fmt.Sprintf("R1-R%d", n)}, nil
	})
}

// professionalLocked checks the professional individual investor rule:
// financial assets ≥ 5,000,000 (20-day average) or annual income ≥ 500,000, and ≥ 24 months of experience.
func (s *Sim) professionalLocked(cu *customer) *apiError {
	avg := averageAssets(cu.AssetHistory)
	if !assetsReach(cu.AssetHistory, 500000000) && cu.AnnualIncome < 50000000 {
		return rejected(codeProfessional, "不符合专业投资者条件：金融资产不低于500万元或近3年年均收入不低于50万元，当前日均资产%s元、年收入%s元", avg, cu.AnnualIncome)
	}
	if m, ok := s.experienceMonths(cu); !ok || m < 24 {
		return rejected(codeProfessional, "不符合专业投资者条件：须具有2年以上投资经历，当前%s", describeExperience(m, ok))
	}
	return nil
}

// --- capital account ---

type capitalRequest struct {
	CustomerCode string `json:"customer_code"`
	Currency     string `json:"currency"`
}

func (s *Sim) openCapitalAccount(c *call) (any, *apiError) {
	var req capitalRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if req.Currency == "" {
		req.Currency = "CNY"
	}
	if req.Currency != "CNY" {
		return nil, badRequest("currency（币种）%q 不支持：主资金账户币种为CNY", req.Currency)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, e := s.openCustomerLocked(req.CustomerCode)
	if e != nil {
		return nil, e
	}
	for _, a := range cu.CapitalAccounts {
		if s.st.CapitalAccounts[a].Main {
			return nil, conflict(codeCapitalExists, "资金账户已存在：客户 %s 已有主资金账户 %s", cu.Code, a)
		}
	}
	acct := &capitalAccount{Account: cu.Code, CustomerCode: cu.Code, Currency: "CNY", Main: true, Status: "0", OpenedAt: s.clock.Now()}
	s.st.CapitalAccounts[acct.Account] = acct
	cu.CapitalAccounts = append(cu.CapitalAccounts, acct.Account)
	return map[string]any{"capital_account": acct.Account, "currency": acct.Currency, "main": true, "status": acct.Status}, nil
}

// --- designated trading ---

type designatedRequest struct {
	TradingUnit string `json:"trading_unit"`
}

func (s *Sim) designateTrading(c *call) (any, *apiError) {
	var req designatedRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if len(req.TradingUnit) != 5 || !allDigits(req.TradingUnit) {
		return nil, badRequest("trading_unit（交易单元）应为5位数字，收到 %q", req.TradingUnit)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	acct, e := s.openStockAccountLocked(c.r.PathValue("account"))
	if e != nil {
		return nil, e
	}
	if acct.Market != "SH" {
		return nil, rejected(codeDesignated, "仅上海A股账户需要办理指定交易，%s 为深圳账户", acct.Account)
	}
	if acct.Designated {
		return nil, conflict(codeDesignated, "该账户已指定交易（交易单元 %s），如需变更请先撤销指定", acct.TradingUnit)
	}
	acct.Designated, acct.TradingUnit = true, req.TradingUnit
	return map[string]any{"account": acct.Account, "designated": true, "trading_unit": acct.TradingUnit}, nil
}

// --- passwords ---

type passwordRequest struct {
	Password    string `json:"password"`
	OldPassword string `json:"old_password,omitempty"`
}

func (s *Sim) setTradingPassword(c *call) (any, *apiError) {
	return s.setPassword(c, "交易密码", func(cu *customer) **password { return &cu.TradingPassword })
}

func (s *Sim) setFundsPassword(c *call) (any, *apiError) {
	return s.setPassword(c, "资金密码", func(cu *customer) **password { return &cu.FundsPassword })
}

func (s *Sim) setPassword(c *call, kind string, slot func(*customer) **password) (any, *apiError) {
	var req passwordRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		if e := checkPassword(kind, req.Password, cu); e != nil {
			return nil, e
		}
		p := slot(cu)
		if *p != nil {
			if req.OldPassword == "" {
				return nil, conflict(codeCustomerState, "%s已设置；修改%s须提供原密码（old_password）", kind, kind)
			}
			if hashPassword(cu.Code, req.OldPassword) != (*p).Hash {
				return nil, rejected(codePasswordFormat, "原%s错误", kind)
			}
		}
		*p = &password{Hash: hashPassword(cu.Code, req.Password)}
		return map[string]any{"customer_code": cu.Code, "set": true}, nil
	})
}

func hashPassword(code, pwd string) string {
	sum := sha256.Sum256([]byte(code + ":" + pwd))
	return hex.EncodeToString(sum[:])
}

// --- witness, return visit, activation ---

type witnessRequest struct {
	Mode      string   `json:"mode"`
	Witnesses []string `json:"witnesses"`
}

func (s *Sim) recordWitness(c *call) (any, *apiError) {
	var req witnessRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	switch req.Mode {
	case "2":
		if len(req.Witnesses) != 1 {
			return nil, badRequest("视频见证（mode 2）须填写1名见证人")
		}
	case "3":
		if len(req.Witnesses) != 2 || req.Witnesses[0] == req.Witnesses[1] {
			return nil, badRequest("双人见证（mode 3）须填写2名不同的见证人")
		}
	default:
		return nil, badRequest("mode（见证方式）应为2视频见证或3双人见证")
	}
	for _, w := range req.Witnesses {
		if strings.TrimSpace(w) == "" {
			return nil, badRequest("见证人工号不能为空")
		}
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.Witness = &witness{Mode: req.Mode, Witnesses: req.Witnesses, At: s.clock.Now()}
		return cu.Witness, nil
	})
}

type returnVisitRequest struct {
	Method string `json:"method"`
	Result string `json:"result"`
	Note   string `json:"note,omitempty"`
}

func (s *Sim) recordReturnVisit(c *call) (any, *apiError) {
	var req returnVisitRequest
	if e := c.decode(&req); e != nil {
		return nil, e
	}
	if !slices.Contains([]string{"phone", "sms", "online", "video"}, req.Method) {
		return nil, badRequest("method（回访方式）应为 phone、sms、online 或 video")
	}
	if req.Result != "1" && req.Result != "2" {
		return nil, badRequest("result（回访结果）应为1正常或2异常")
	}
	if req.Result == "2" && req.Note == "" {
		return nil, badRequest("回访异常（result 2）须填写 note（异常说明）")
	}
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		cu.ReturnVisit = &returnVisit{Method: req.Method, Result: req.Result, Note: req.Note, At: s.clock.Now()}
		return cu.ReturnVisit, nil
	})
}

func (s *Sim) activate(c *call) (any, *apiError) {
	return s.updateCustomer(c, func(cu *customer) (any, *apiError) {
		if cu.Status == customerNormal {
			return nil, conflict(codeCustomerState, "客户 %s 已激活，不能重复激活", cu.Code)
		}
		if missing := s.missingForActivationLocked(cu); len(missing) > 0 {
			return nil, &apiError{Status: http.StatusUnprocessableEntity, Code: codeIncomplete,
				Message: "客户资料不完整，不能激活：缺少" + strings.Join(missing, "、"), Data: map[string]any{"missing": missing}}
		}
		now := s.clock.Now()
		cu.Status, cu.ActivatedAt = customerNormal, &now
		return map[string]any{"customer_code": cu.Code, "status": cu.Status, "activated_at": now.Format(time.RFC3339)}, nil
	})
}

// missingForActivationLocked lists, in the product's words, what a customer still lacks.
func (s *Sim) missingForActivationLocked(cu *customer) []string {
	var missing []string
	add := func(ok bool, what string) {
		if !ok {
			missing = append(missing, what)
		}
	}
	add(cu.Contact != nil, "联系方式")
	add(cu.TaxResidency != nil, "税收居民身份声明")
	add(cu.BeneficialOwner != nil, "受益所有人")
	add(cu.Risk != nil, "风险测评")
	add(cu.Suitability != nil, "适当性匹配确认")
	add(len(cu.CapitalAccounts) > 0, "资金账户")
	add(cu.OneStopAccount != "", "一码通账户")
	add(len(cu.StockAccounts) > 0, "股东账户")
	add(cu.TradingPassword != nil, "交易密码")
	add(cu.FundsPassword != nil, "资金密码")
	add(cu.Channel == "0" || cu.Witness != nil, "见证记录")
	return missing
}
