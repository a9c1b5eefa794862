package format

import (
	"fmt"
	"strings"
)

// Error is a localized validation problem. Format is the format checked (such as
// "cn-id-card"), Code names the problem (such as "check_char") and Params holds the
// values the message quotes.
type Error struct {
	Format, Code string
	Params       map[string]any
}

// Error returns the English message.
func (e *Error) Error() string { return e.Message("en") }

// Message returns the message in lang: "en" (or "en-US" and the like) for English,
// anything else for Simplified Chinese.
func (e *Error) Message(lang string) string {
	zh, en := messages(e.Format, e.Code)
	tmpl := zh
	if lang == "en" || strings.HasPrefix(lang, "en-") || strings.HasPrefix(lang, "en_") {
		tmpl = en
	}
	if tmpl == "" {
		return fmt.Sprintf("%s: %s %v", e.Format, e.Code, e.Params)
	}
	return expand(tmpl, e.Params)
}

// expand replaces each {name} in tmpl with the matching parameter.
func expand(tmpl string, params map[string]any) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(tmpl, '{')
		if open < 0 {
			break
		}
		end := strings.IndexByte(tmpl[open:], '}')
		if end < 0 {
			break
		}
		b.WriteString(tmpl[:open])
		b.WriteString(fmt.Sprint(params[tmpl[open+1:open+end]]))
		tmpl = tmpl[open+end+1:]
	}
	b.WriteString(tmpl)
	return b.String()
}

func newError(format, code string, kv ...any) *Error {
	params := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i].(string)] = kv[i+1]
	}
	return &Error{Format: format, Code: code, Params: params}
}

// Error codes shared by several formats.
const (
	CodeEmpty      = "empty"
	CodeLength     = "length"
	CodeChar       = "char"
	CodeCheck      = "check_char"
	CodeUnknown    = "unknown_format"
	CodeArea       = "area"
	CodeBirth      = "birth"
	CodeFuture     = "birth_future"
	CodeLowerX     = "lowercase_x"
	CodePrefix     = "prefix"
	CodeUnassigned = "unassigned"
	CodeLayout     = "layout"
	CodeNoSuchDay  = "no_such_day"
)

// messages returns the Chinese and English templates for a problem.
func messages(format, code string) (zh, en string) {
	switch format + "/" + code {
	case "/" + CodeUnknown:
		return "未知的输入格式“{name}”，可用的格式：{known}", "unknown input format \"{name}\"; known formats: {known}"

	case FormatIDCard + "/" + CodeEmpty:
		return "请填写身份证号", "ID number is required"
	case FormatIDCard + "/" + CodeLength:
		return "身份证号应为 18 位（旧版为 15 位），当前为 {length} 位", "ID number must have 18 characters (15 for the old format), got {length}"
	case FormatIDCard + "/" + CodeChar:
		return "身份证号第 {pos} 位“{char}”无效：前 17 位只能是数字，最后一位是数字或 X", "ID number character {pos} (\"{char}\") is invalid: the first 17 characters must be digits and the last a digit or X"
	case FormatIDCard + "/" + CodeLowerX:
		return "身份证号最后一位应为大写 X", "the last character of the ID number must be a capital X"
	case FormatIDCard + "/" + CodeArea:
		return "身份证号前 6 位地区码 {area} 不存在，请检查前两位省份代码", "ID number area code {area} does not exist; check the province code in the first two digits"
	case FormatIDCard + "/" + CodeBirth:
		return "身份证号中的出生日期 {birth} 不是有效日期", "ID number birth date {birth} is not a real date"
	case FormatIDCard + "/" + CodeFuture:
		return "身份证号中的出生日期 {birth} 晚于今天", "ID number birth date {birth} is in the future"
	case FormatIDCard + "/" + CodeCheck:
		return "身份证号校验位错误：最后一位应为 {want}", "ID number check character is wrong: the last character should be {want}"

	case FormatMobile + "/" + CodeEmpty:
		return "请填写手机号", "mobile number is required"
	case FormatMobile + "/" + CodeLength:
		return "手机号应为 11 位数字，当前为 {length} 位", "mobile number must have 11 digits, got {length}"
	case FormatMobile + "/" + CodeChar:
		return "手机号第 {pos} 位“{char}”不是数字", "mobile number character {pos} (\"{char}\") is not a digit"
	case FormatMobile + "/" + CodePrefix:
		return "手机号号段 {prefix} 不存在，手机号应以 13–19 开头", "mobile number prefix {prefix} does not exist; mobile numbers start with 13 to 19"
	case FormatMobile + "/" + CodeUnassigned:
		return "手机号号段 {prefix} 尚未分配给任何运营商", "mobile number prefix {prefix} is not assigned to any carrier"

	case FormatBankCard + "/" + CodeEmpty:
		return "请填写银行卡号", "bank card number is required"
	case FormatBankCard + "/" + CodeLength:
		return "银行卡号应为 16–19 位数字，当前为 {length} 位", "bank card number must have 16 to 19 digits, got {length}"
	case FormatBankCard + "/" + CodeChar:
		return "银行卡号第 {pos} 位“{char}”不是数字", "bank card number character {pos} (\"{char}\") is not a digit"
	case FormatBankCard + "/" + CodeCheck:
		return "银行卡号校验位错误：最后一位应为 {want}", "bank card number check digit is wrong: the last digit should be {want}"

	case FormatUSCC + "/" + CodeEmpty:
		return "请填写统一社会信用代码", "unified social credit code is required"
	case FormatUSCC + "/" + CodeLength:
		return "统一社会信用代码应为 18 位，当前为 {length} 位", "unified social credit code must have 18 characters, got {length}"
	case FormatUSCC + "/" + CodeChar:
		return "统一社会信用代码第 {pos} 位“{char}”无效：只能是数字或除 I、O、Z、S、V 以外的大写字母", "unified social credit code character {pos} (\"{char}\") is invalid: only digits and capital letters other than I, O, Z, S and V are allowed"
	case FormatUSCC + "/" + CodeCheck:
		return "统一社会信用代码校验位错误：最后一位应为 {want}", "unified social credit code check character is wrong: the last character should be {want}"

	case FormatDate + "/" + CodeEmpty:
		return "请填写日期", "date is required"
	case FormatDate + "/" + CodeLayout:
		return "日期“{value}”格式不对，应为 YYYY-MM-DD，例如 2024-01-31", "date \"{value}\" is not written YYYY-MM-DD, for example 2024-01-31"
	case FormatDate + "/" + CodeNoSuchDay:
		return "日期 {value} 不存在", "date {value} does not exist"

	case FormatEmail + "/" + CodeEmpty:
		return "请填写电子邮箱", "e-mail address is required"
	case FormatEmail + "/" + CodeLayout:
		return "电子邮箱“{value}”格式不对，应形如 name@example.com", "e-mail address \"{value}\" is not valid; it should look like name@example.com"
	}
	return "", ""
}
