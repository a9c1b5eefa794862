package uatsim

import (
	"net/http"
	"strings"
	"time"
)

// provinceCodes are the first two digits of valid resident ID area codes (GB/T 2260).
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true,
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// residentID is a checked 18-digit resident ID.
type residentID struct {
	Number string
	Birth  time.Time
	Gender string // "1" male, "2" female
}

// checkResidentID validates an 18-digit resident ID (GB 11643-1999): digits,
// area, birth date (not in the future relative to today) and check character.
func checkResidentID(raw string, today time.Time) (residentID, *apiError) {
	id := strings.ToUpper(strings.TrimSpace(raw))
	if len(id) == 15 && allDigits(id) {
		return residentID{}, fail(http.StatusBadRequest, codeIDFormat, "暂不支持15位旧版身份证号开户，请使用18位身份证号：%s", id)
	}
	if len(id) != 18 || !allDigits(id[:17]) || !(isDigit(id[17]) || id[17] == 'X') {
		return residentID{}, fail(http.StatusBadRequest, codeIDFormat, "身份证号码格式错误：应为18位，前17位为数字，最后一位为数字或X（收到 %q）", raw)
	}
	if !provinceCodes[id[:2]] {
		return residentID{}, fail(http.StatusBadRequest, codeIDFormat, "身份证号地区码无效：%s", id[:6])
	}
	birth, ok := parseDate(id[6:14])
	if !ok || birth.Year() < 1900 || birth.After(today) {
		return residentID{}, fail(http.StatusBadRequest, codeIDBirthDate, "身份证号出生日期无效：%s", id[6:14])
	}
	if want := idCheckChar(id[:17]); id[17] != want {
		return residentID{}, fail(http.StatusBadRequest, codeIDChecksum, "身份证号校验位错误：最后一位应为 %c", want)
	}
	gender := "2"
	if (id[16]-'0')%2 == 1 {
		gender = "1"
	}
	return residentID{Number: id, Birth: birth, Gender: gender}, nil
}

// idCheckChar computes the check character of the first 17 digits.
func idCheckChar(first17 string) byte {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := range len(s) {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// unassignedMobilePrefixes are number blocks no carrier issues to people.
var unassignedMobilePrefixes = map[string]bool{"140": true, "141": true, "142": true, "143": true, "144": true, "154": true, "160": true, "161": true, "164": true, "194": true}

// checkMobile validates a mainland mobile number: ^1[3-9]\d{9}$ and an assigned block.
func checkMobile(m string) *apiError {
	if len(m) != 11 || !allDigits(m) || m[0] != '1' || m[1] < '3' {
		return fail(http.StatusBadRequest, codeMobile, "手机号码格式不正确：%q（应为11位，以13-19开头）", m)
	}
	if unassignedMobilePrefixes[m[:3]] {
		return fail(http.StatusBadRequest, codeMobile, "手机号码格式不正确：号段%s未分配", m[:3])
	}
	return nil
}

// checkBankCard validates a debit card number: 16-19 digits with a Luhn check digit.
func checkBankCard(card string) *apiError {
	if len(card) < 16 || len(card) > 19 || !allDigits(card) {
		return fail(http.StatusBadRequest, codeBankCard, "银行卡号格式错误：应为16至19位数字")
	}
	sum := 0
	double := false
	for i := len(card) - 1; i >= 0; i-- {
		d := int(card[i] - '0')
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	if sum%10 != 0 {
		return fail(http.StatusBadRequest, codeBankCard, "银行卡号校验失败，请核对卡号：%s", maskCard(card))
	}
	return nil
}

func maskCard(card string) string {
	if len(card) < 8 {
		return card
	}
	return card[:4] + strings.Repeat("*", len(card)-8) + card[len(card)-4:]
}

// checkPassword applies the password rules: six digits, not one repeated digit,
// not an ascending or descending run, not the birth date as YYMMDD, not the
// last six characters of the ID number.
func checkPassword(kind, pwd string, c *customer) *apiError {
	if len(pwd) != 6 || !allDigits(pwd) {
		return fail(http.StatusBadRequest, codePasswordFormat, "%s必须为6位数字", kind)
	}
	same, up, down := true, true, true
	for i := 1; i < 6; i++ {
		if pwd[i] != pwd[0] {
			same = false
		}
		if pwd[i] != pwd[i-1]+1 {
			up = false
		}
		if pwd[i]+1 != pwd[i-1] {
			down = false
		}
	}
	if same || up || down {
		return fail(http.StatusBadRequest, codePasswordSimple, "%s过于简单：不能使用相同数字或连续数字（如111111、123456、654321）", kind)
	}
	birth := c.IDNumber[6:14]
	if pwd == birth[2:] {
		return fail(http.StatusBadRequest, codePasswordPersonal, "%s不能与出生日期相同", kind)
	}
	if pwd == c.IDNumber[12:] {
		return fail(http.StatusBadRequest, codePasswordPersonal, "%s不能与证件号码后6位相同", kind)
	}
	return nil
}
