package format

import (
	"errors"
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		format, value string
		code          string // "" when valid
		zh, en        string
	}{
		{FormatIDCard, "11010519491231002X", "", "", ""},
		{FormatIDCard, "370101190102039973", "", "", ""},
		{FormatIDCard, "110105198806050023", "", "", ""},
		{FormatIDCard, "310115198002291235", "", "", ""},
		{FormatIDCard, "110105491231002", "", "", ""},
		{FormatIDCard, "11010519880605002X", CodeCheck, "身份证号校验位错误：最后一位应为 3", "ID number check character is wrong: the last character should be 3"},
		{FormatIDCard, "110105194912310021", CodeCheck, "身份证号校验位错误：最后一位应为 X", "ID number check character is wrong: the last character should be X"},
		{FormatIDCard, "11010519491231002x", CodeLowerX, "身份证号最后一位应为大写 X", "the last character of the ID number must be a capital X"},
		{FormatIDCard, "", CodeEmpty, "请填写身份证号", "ID number is required"},
		{FormatIDCard, "1101051949123100", CodeLength, "身份证号应为 18 位（旧版为 15 位），当前为 16 位", "ID number must have 18 characters (15 for the old format), got 16"},
		{FormatIDCard, "1101051949123100２X", CodeChar, "身份证号第 17 位“２”无效：前 17 位只能是数字，最后一位是数字或 X", "ID number character 17 (\"２\") is invalid: the first 17 characters must be digits and the last a digit or X"},
		{FormatIDCard, "11010519491231 02X", CodeChar, "身份证号第 15 位“ ”无效：前 17 位只能是数字，最后一位是数字或 X", "ID number character 15 (\" \") is invalid: the first 17 characters must be digits and the last a digit or X"},
		{FormatIDCard, "11010X194912310020", CodeChar, "身份证号第 6 位“X”无效：前 17 位只能是数字，最后一位是数字或 X", "ID number character 6 (\"X\") is invalid: the first 17 characters must be digits and the last a digit or X"},
		{FormatIDCard, "990105194912310020", CodeArea, "身份证号前 6 位地区码 990105 不存在，请检查前两位省份代码", "ID number area code 990105 does not exist; check the province code in the first two digits"},
		{FormatIDCard, "110105198002300020", CodeBirth, "身份证号中的出生日期 19800230 不是有效日期", "ID number birth date 19800230 is not a real date"},
		{FormatIDCard, "110105189912310020", CodeBirth, "身份证号中的出生日期 18991231 不是有效日期", "ID number birth date 18991231 is not a real date"},
		{FormatIDCard, "110105209912310020", CodeFuture, "身份证号中的出生日期 20991231 晚于今天", "ID number birth date 20991231 is in the future"},
		{FormatIDCard, "110105491331002", CodeBirth, "身份证号中的出生日期 19491331 不是有效日期", "ID number birth date 19491331 is not a real date"},

		{FormatMobile, "13800138000", "", "", ""},
		{FormatMobile, "19912345678", "", "", ""},
		{FormatMobile, "", CodeEmpty, "请填写手机号", "mobile number is required"},
		{FormatMobile, "1380013800", CodeLength, "手机号应为 11 位数字，当前为 10 位", "mobile number must have 11 digits, got 10"},
		{FormatMobile, "138-0013-8000", CodeChar, "手机号第 4 位“-”不是数字", "mobile number character 4 (\"-\") is not a digit"},
		{FormatMobile, "12345678901", CodePrefix, "手机号号段 123 不存在，手机号应以 13–19 开头", "mobile number prefix 123 does not exist; mobile numbers start with 13 to 19"},
		{FormatMobile, "14212345678", CodeUnassigned, "手机号号段 142 尚未分配给任何运营商", "mobile number prefix 142 is not assigned to any carrier"},
		{FormatMobile, "19412345678", CodeUnassigned, "手机号号段 194 尚未分配给任何运营商", "mobile number prefix 194 is not assigned to any carrier"},

		{FormatBankCard, "6222020200112233446", "", "", ""},
		{FormatBankCard, "4111111111111111", "", "", ""},
		{FormatBankCard, "6222020200112233445", CodeCheck, "银行卡号校验位错误：最后一位应为 6", "bank card number check digit is wrong: the last digit should be 6"},
		{FormatBankCard, "79927398713", CodeLength, "银行卡号应为 16–19 位数字，当前为 11 位", "bank card number must have 16 to 19 digits, got 11"},
		{FormatBankCard, "62220202001122334460", CodeLength, "银行卡号应为 16–19 位数字，当前为 20 位", "bank card number must have 16 to 19 digits, got 20"},
		{FormatBankCard, "6222 0202 0011 2233 446", CodeChar, "银行卡号第 5 位“ ”不是数字", "bank card number character 5 (\" \") is not a digit"},
		{FormatBankCard, "", CodeEmpty, "请填写银行卡号", "bank card number is required"},

		{FormatUSCC, "91350200776049653A", "", "", ""},
		{FormatUSCC, "91350200776049653B", CodeCheck, "统一社会信用代码校验位错误：最后一位应为 A", "unified social credit code check character is wrong: the last character should be A"},
		{FormatUSCC, "91350200776O49653A", CodeChar, "统一社会信用代码第 12 位“O”无效：只能是数字或除 I、O、Z、S、V 以外的大写字母", "unified social credit code character 12 (\"O\") is invalid: only digits and capital letters other than I, O, Z, S and V are allowed"},
		{FormatUSCC, "91350200776049653", CodeLength, "统一社会信用代码应为 18 位，当前为 17 位", "unified social credit code must have 18 characters, got 17"},
		{FormatUSCC, "", CodeEmpty, "请填写统一社会信用代码", "unified social credit code is required"},

		{FormatDate, "2024-02-29", "", "", ""},
		{FormatDate, "2023-02-29", CodeNoSuchDay, "日期 2023-02-29 不存在", "date 2023-02-29 does not exist"},
		{FormatDate, "2024/01/31", CodeLayout, "日期“2024/01/31”格式不对，应为 YYYY-MM-DD，例如 2024-01-31", "date \"2024/01/31\" is not written YYYY-MM-DD, for example 2024-01-31"},
		{FormatDate, "2024-1-31", CodeLayout, "日期“2024-1-31”格式不对，应为 YYYY-MM-DD，例如 2024-01-31", "date \"2024-1-31\" is not written YYYY-MM-DD, for example 2024-01-31"},
		{FormatDate, "", CodeEmpty, "请填写日期", "date is required"},

		{FormatEmail, "zhang.wei@example.com", "", "", ""},
		{FormatEmail, "张伟 <zhang.wei@example.com>", CodeLayout, "电子邮箱“张伟 <zhang.wei@example.com>”格式不对，应形如 name@example.com", "e-mail address \"张伟 <zhang.wei@example.com>\" is not valid; it should look like name@example.com"},
		{FormatEmail, "zhang.wei@localhost", CodeLayout, "电子邮箱“zhang.wei@localhost”格式不对，应形如 name@example.com", "e-mail address \"zhang.wei@localhost\" is not valid; it should look like name@example.com"},
		{FormatEmail, "zhang.wei", CodeLayout, "电子邮箱“zhang.wei”格式不对，应形如 name@example.com", "e-mail address \"zhang.wei\" is not valid; it should look like name@example.com"},

		{"ip-address", "127.0.0.1", CodeUnknown, "未知的输入格式“ip-address”，可用的格式：cn-id-card, cn-mobile, bank-card, cn-uscc, date, email", "unknown input format \"ip-address\"; known formats: cn-id-card, cn-mobile, bank-card, cn-uscc, date, email"},
	}
	for _, tt := range tests {
		t.Run(tt.format+"/"+tt.value, func(t *testing.T) {
			err := Check(tt.format, tt.value)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Check(%q, %q) = %v, want valid", tt.format, tt.value, err)
				}
				return
			}
			var fe *Error
			if !errors.As(err, &fe) {
				t.Fatalf("Check(%q, %q) = %v, want *Error %s", tt.format, tt.value, err, tt.code)
			}
			if fe.Code != tt.code {
				t.Errorf("code = %s, want %s (%v)", fe.Code, tt.code, err)
			}
			if got := fe.Message("zh"); got != tt.zh {
				t.Errorf("zh message = %q, want %q", got, tt.zh)
			}
			if got := fe.Message("zh-CN"); got != tt.zh {
				t.Errorf("zh-CN message = %q, want %q", got, tt.zh)
			}
			if got := fe.Message("en"); got != tt.en {
				t.Errorf("en message = %q, want %q", got, tt.en)
			}
			if got := fe.Error(); got != tt.en {
				t.Errorf("Error() = %q, want %q", got, tt.en)
			}
		})
	}
}

func TestNamesAreAllChecked(t *testing.T) {
	for _, name := range Names() {
		err := Check(name, "")
		var fe *Error
		if !errors.As(err, &fe) || fe.Code != CodeEmpty || fe.Format != name {
			t.Errorf("Check(%q, \"\") = %v, want the %s empty error", name, err, name)
		}
	}
	if !slices.Contains(Names(), FormatIDCard) {
		t.Errorf("Names() = %v, want it to list %s", Names(), FormatIDCard)
	}
}

func TestMessageDefaultsToChinese(t *testing.T) {
	e := &Error{Format: FormatIDCard, Code: CodeCheck, Params: map[string]any{"want": "X"}}
	for _, lang := range []string{"", "zh", "zh-CN", "zh_CN", "fr"} {
		if got, want := e.Message(lang), "身份证号校验位错误：最后一位应为 X"; got != want {
			t.Errorf("Message(%q) = %q, want %q", lang, got, want)
		}
	}
	if got, want := e.Message("en-US"), "ID number check character is wrong: the last character should be X"; got != want {
		t.Errorf("Message(en-US) = %q, want %q", got, want)
	}
}
