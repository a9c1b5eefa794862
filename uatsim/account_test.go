package uatsim

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

func TestLogin(t *testing.T) {
	var mu sync.Mutex
	real := time.Date(2026, 11, 18, 2, 0, 0, 0, time.UTC)
	opts := testOptions()
	opts.TokenTTL = 10 * time.Minute
	opts.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return real }
	e := newTestEnv(t, opts)
	first := e.token

	again := e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword}).ok(t)
	if again.Message != "用户已登陆，不用重复登陆" || again.str("token") != first {
		t.Errorf("second login: want success with the same token and 用户已登陆, got %q %q", again.Message, again.str("token"))
	}
	e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": "wrong"}).refused(t, 401, codeBadCredentials, "操作员或密码错误")

	e.call("GET", "/account/risk-questionnaire", nil).ok(t)
	mu.Lock()
	real = real.Add(10 * time.Minute)
	mu.Unlock()
	e.call("GET", "/account/risk-questionnaire", nil).refused(t, 401, codeUnauthorized, "会话已过期")
	e.token = ""
	e.call("GET", "/account/risk-questionnaire", nil).refused(t, 401, codeUnauthorized, "未登录")
	e.token = "not-a-token"
	e.call("GET", "/account/risk-questionnaire", nil).refused(t, 401, codeUnauthorized, "令牌无效")

	e.token = ""
	fresh := e.call("POST", "/account/operator/login", map[string]any{"operator": UATOperator, "password": UATPassword}).ok(t)
	if fresh.Message != "成功" || fresh.str("token") == first {
		t.Errorf("login after expiry: want a new token, got %q %q", fresh.Message, fresh.str("token"))
	}
}

func TestPoliceCheckIsDeterministic(t *testing.T) {
	e := newTestEnv(t, testOptions())
	tests := []struct{ seq, want, code string }{
		{"123", "一致", "00"}, {"998", "不一致", "01"}, {"999", "库中无此号", "02"},
	}
	for _, tt := range tests {
		id := e.newID("19900101", tt.seq)
		for range 2 {
			r := e.call("POST", "/account/identity/police-check", map[string]any{"id_number": id, "name": "王小明"}).ok(t)
			if r.str("result") != tt.want || r.str("result_code") != tt.code {
				t.Errorf("seq %s: want %s/%s, got %s/%s", tt.seq, tt.want, tt.code, r.str("result"), r.str("result_code"))
			}
		}
		if tt.want != "一致" {
			r := e.call("POST", "/account/customers", map[string]any{"name": "王小明", "id_number": id,
				"id_expiry": "20350101", "mobile": "13812345678", "channel": "2"})
			r.refused(t, 422, codePoliceCheck, "公安联网核查结果为“"+tt.want+"”")
		}
	}
	e.call("POST", "/account/identity/police-check", map[string]any{"id_number": "110105194912310021", "name": "王小明"}).
		refused(t, 400, codeIDChecksum, "最后一位应为 X")
}

func TestCreateCustomerRules(t *testing.T) {
	e := newTestEnv(t, testOptions()) // today is 2026-11-18
	type req = map[string]any
	base := func(id string) req {
		return req{"name": "李四", "id_type": "0", "id_number": id, "id_expiry": "20350101", "mobile": "13812345678", "channel": "2"}
	}
	tests := []struct {
		name   string
		birth  string
		change req
		status int
		code   string
		want   string
	}{
		{"15 years and 364 days", "20101119", nil, 422, codeUnderAge, "未满16周岁"},
		{"exactly 16 without income proof", "20101118", nil, 422, codeIncomeProof, "16至18周岁客户须提供收入证明"},
		{"exactly 16 with income proof", "20101118", req{"income_proof": true}, 200, "0", ""},
		{"17 without income proof", "20081119", nil, 422, codeIncomeProof, "收入证明"},
		{"exactly 18", "20081118", nil, 200, "0", ""},
		{"expired yesterday", "19900101", req{"id_expiry": "20261117"}, 422, codeIDExpiry, "证件已过期"},
		{"expires today", "19900101", req{"id_expiry": "20261118"}, 200, "0", ""},
		{"bad expiry format", "19900101", req{"id_expiry": "2035-01-01"}, 400, codeIDExpiry, "格式错误"},
		{"long-term at 45", "19801119", req{"id_expiry": "30001231"}, 400, codeIDExpiry, "46周岁"},
		{"long-term at 46", "19801118", req{"id_expiry": "30001231"}, 200, "0", ""},
		{"mobile unassigned block", "19900101", req{"mobile": "14212345678"}, 400, codeMobile, "号段142未分配"},
		{"mobile 10 digits", "19900101", req{"mobile": "1381234567"}, 400, codeMobile, "手机号码格式不正确"},
		{"bad channel", "19900101", req{"channel": "9"}, 400, codeBadRequest, "开户渠道"},
		{"passport", "19900101", req{"id_type": "1"}, 400, codeBadRequest, "居民身份证"},
		{"unknown field", "19900101", req{"nickname": "小李"}, 400, codeBadRequest, "未知字段"},
		{"wrong type", "19900101", req{"income_proof": "yes"}, 400, codeBadRequest, "income_proof 类型错误"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := e.newID(tt.birth, "123")
			e.call("POST", "/account/identity/police-check", req{"id_number": id, "name": "李四"}).ok(t)
			body := base(id)
			for k, v := range tt.change {
				body[k] = v
			}
			r := e.call("POST", "/account/customers", body)
			if tt.status == 200 {
				r.ok(t)
				if len(r.str("customer_code")) != 12 {
					t.Errorf("customer code %q", r.str("customer_code"))
				}
				return
			}
			r.refused(t, tt.status, tt.code, tt.want)
		})
	}
}

func TestOneCustomerPerID(t *testing.T) {
	e := newTestEnv(t, testOptions())
	id := e.newID("19900101", "123")
	code := e.createCustomer(id, "赵六")
	e.call("POST", "/account/customers", map[string]any{"name": "赵六", "id_number": id, "id_expiry": "20350101",
		"mobile": "13812345678", "channel": "2"}).refused(t, 409, codeDuplicateCustomer, "系统不允许同一证件开多个客户代码（证件号 "+id+" 已有客户代码 "+code)
	other := e.newID("19900101", "124")
	e.call("POST", "/account/customers", map[string]any{"name": "钱七", "id_number": other, "id_expiry": "20350101",
		"mobile": "13812345678", "channel": "2"}).refused(t, 422, codePoliceCheck, "未做公安联网核查")
}

func TestActivationNeedsEverything(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "123"), "孙八")
	r := e.call("POST", "/account/customers/"+code+"/activate", nil)
	r.refused(t, 422, codeIncomplete, "客户资料不完整，不能激活：缺少联系方式、税收居民身份声明、受益所有人、风险测评、适当性匹配确认、资金账户、一码通账户、股东账户、交易密码、资金密码、见证记录")

	code2 := e.buildStandard(e.newID("19900101", "125"), "周九", "C")
	e.call("POST", "/account/customers/"+code2+"/activate", nil).refused(t, 409, codeCustomerState, "已激活")
	snap := e.call("GET", "/uat/customers/"+code2+"/snapshot", nil).ok(t).Data
	if snap["risk"].(map[string]any)["risk_level"] != "C3" || snap["status"] != "0" {
		t.Errorf("snapshot: %v", snap)
	}
}

func TestProfileValidation(t *testing.T) {
	e := newTestEnv(t, testOptions())
	code := e.createCustomer(e.newID("19900101", "123"), "吴十")
	cp := "/account/customers/" + code
	e.call("PUT", cp+"/contact", map[string]any{"mobile": "13812345678", "address": "北京市", "postcode": "100022"}).refused(t, 400, codeBadRequest, "地址")
	e.call("PUT", cp+"/contact", map[string]any{"mobile": "13812345678", "address": "北京市朝阳区建国路88号", "postcode": "10002"}).refused(t, 400, codeBadRequest, "邮政编码")
	e.call("PUT", cp+"/tax-residency", map[string]any{"type": "3"}).refused(t, 400, codeBadRequest, "countries")
	e.call("PUT", cp+"/tax-residency", map[string]any{"type": "3", "countries": []any{map[string]any{"country": "US"}}}).refused(t, 400, codeBadRequest, "no_tin_reason")
	e.call("PUT", cp+"/tax-residency", map[string]any{"type": "3", "countries": []any{map[string]any{"country": "US", "tin": "123-45-6789"}}}).ok(t)
	e.call("PUT", cp+"/beneficial-owner", map[string]any{"is_self": false, "name": "郑一", "id_number": "110105194912310021"}).refused(t, 400, codeIDChecksum, "校验位")
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "0", "confirmed": true}).refused(t, 422, codeRiskMissing, "尚未完成风险测评")
	e.call("POST", cp+"/risk-assessment", map[string]any{"answers": map[string]string{"1": "A"}}).refused(t, 400, codeRiskAnswers, "第2、3、4、5、6、7、8、9、10题未作答")
	r := e.call("POST", cp+"/risk-assessment", map[string]any{"answers": answers("B")}).ok(t)
	if r.Data["risk_level"] != "C2" || r.Data["score"] != 30.0 || r.Data["expires_on"] != "20281118" {
		t.Errorf("risk: %v", r.Data)
	}
	e.call("POST", cp+"/suitability", map[string]any{"investor_type": "1", "confirmed": true}).refused(t, 422, codeProfessional, "不符合专业投资者条件")
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "123456"}).refused(t, 400, codePasswordSimple, "过于简单")
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "900101"}).refused(t, 400, codePasswordPersonal, "出生日期")
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "135790"}).ok(t)
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "246801"}).refused(t, 409, codeCustomerState, "原密码")
	e.call("PUT", cp+"/trading-password", map[string]any{"password": "246801", "old_password": "135790"}).ok(t)
	e.call("POST", cp+"/witness", map[string]any{"mode": "3", "witnesses": []string{"W1", "W1"}}).refused(t, 400, codeBadRequest, "2名不同的见证人")
	e.call("GET", "/account/customers/310199999999", nil).refused(t, http.StatusNotFound, codeNotFound, "客户代码不存在：310199999999")
	e.call("GET", "/account/no-such-thing", nil).refused(t, http.StatusNotFound, codeNotFound, "接口不存在")
}

func TestPhotoCompare(t *testing.T) {
	e := newTestEnv(t, testOptions())
	photo := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
	r := e.call("POST", "/account/identity/photo-compare", map[string]any{"id_number": e.newID("19900101", "123"), "name": "王五", "photo": photo}).ok(t)
	if r.Data["passed"] != true {
		t.Errorf("ordinary ID: want passed, got %v", r.Data)
	}
	r = e.call("POST", "/account/identity/photo-compare", map[string]any{"id_number": e.newID("19900101", "996"), "name": "王五", "photo": photo}).ok(t)
	if r.Data["passed"] != false || r.Data["similarity"] != 0.42 {
		t.Errorf("sequence 996: want failed comparison, got %v", r.Data)
	}
	e.call("POST", "/account/identity/photo-compare", map[string]any{"id_number": e.newID("19900101", "123"), "name": "王五", "photo": "aGVsbG8="}).
		refused(t, 400, codePhoto, "照片质量不合格")
}
