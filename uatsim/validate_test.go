package uatsim

import (
	"strings"
	"testing"
	"time"
)

func TestCheckResidentID(t *testing.T) {
	today := wednesday10
	tests := []struct {
		id, code, want string
	}{
		{"11010519491231002X", "", ""},
		{"11010519491231002x", "", ""}, // lower-case x is accepted
		{"370101190102039973", "", ""},
		{"110105194912310021", codeIDChecksum, "最后一位应为 X"},
		{"370101190102039972", codeIDChecksum, "最后一位应为 3"},
		{"110105194913310021", codeIDBirthDate, "19491331"},
		{"110105203001010011", codeIDBirthDate, "20300101"},
		{"990105194912310021", codeIDFormat, "地区码无效"},
		{"11010519491231002", codeIDFormat, "应为18位"},
		{"110105491231002", codeIDFormat, "15位"},
		{"1101051949123100AX", codeIDFormat, "应为18位"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := checkResidentID(tt.id, today)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if got.Birth.Format(dateLayout) != tt.id[6:14] {
					t.Errorf("birth %v", got.Birth)
				}
				return
			}
			if err == nil || err.Code != tt.code || !strings.Contains(err.Message, tt.want) {
				t.Fatalf("want %s containing %q, got %v", tt.code, tt.want, err)
			}
		})
	}
	if id, _ := checkResidentID("370101190102039973", today); id.Gender != "1" {
		t.Errorf("17th digit 7 is male, got gender %s", id.Gender)
	}
}

func TestCheckMobile(t *testing.T) {
	for m, ok := range map[string]bool{
		"13812345678": true, "19912345678": true, "16612345678": true,
		"12812345678": false, "1381234567": false, "138123456789": false, "14212345678": false, "1941234567a": false,
	} {
		if got := checkMobile(m) == nil; got != ok {
			t.Errorf("%s: want valid=%v", m, ok)
		}
	}
}

func TestCheckBankCard(t *testing.T) {
	good := luhnCard("621700000000000")
	for card, ok := range map[string]bool{
		good: true, "6222021234567890": false, "622202123456789": false, "62220212345678901234": false,
		luhnCard("622202123456789012"): true,
	} {
		if got := checkBankCard(card) == nil; got != ok {
			t.Errorf("%s: want valid=%v", card, ok)
		}
	}
}

func TestCheckPassword(t *testing.T) {
	cu := &customer{IDNumber: "11010519491231002X"}
	tests := []struct{ pwd, code string }{
		{"135790", ""}, {"12345", codePasswordFormat}, {"12345a", codePasswordFormat}, {"1234567", codePasswordFormat},
		{"111111", codePasswordSimple}, {"123456", codePasswordSimple}, {"654321", codePasswordSimple}, {"345678", codePasswordSimple},
		{"491231", codePasswordPersonal}, {"31002X", codePasswordFormat}, {"231002", ""},
	}
	cu2 := &customer{IDNumber: "370101190102039973"}
	if err := checkPassword("交易密码", "039973", cu2); err == nil || err.Code != codePasswordPersonal {
		t.Errorf("last six of the ID must be refused, got %v", err)
	}
	for _, tt := range tests {
		err := checkPassword("交易密码", tt.pwd, cu)
		if (tt.code == "" && err != nil) || (tt.code != "" && (err == nil || err.Code != tt.code)) {
			t.Errorf("%s: want %q, got %v", tt.pwd, tt.code, err)
		}
	}
}

func TestParseMoney(t *testing.T) {
	for in, want := range map[string]money{"100000": 10000000, "99999.99": 9999999, "0.1": 10, "-5.25": -525} {
		if got, err := parseMoney(in); err != nil || got != want {
			t.Errorf("%s: want %d, got %d %v", in, want, got, err)
		}
	}
	for _, bad := range []string{"1.234", "", "abc", "1e5", ".5"} {
		if _, err := parseMoney(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	if money(9999999).String() != "99999.99" || money(-5).String() != "-0.05" {
		t.Error("money formatting")
	}
}

func TestFullMonths(t *testing.T) {
	d := func(s string) time.Time { t, _ := parseDate(s); return t }
	tests := []struct {
		from, to string
		want     int
	}{
		{"20241118", "20261118", 24}, {"20241119", "20261118", 23}, {"20241031", "20261130", 24},
		{"20250101", "20250131", 0}, {"20240229", "20260228", 23},
	}
	for _, tt := range tests {
		if got := fullMonths(d(tt.from), d(tt.to)); got != tt.want {
			t.Errorf("%s → %s: want %d, got %d", tt.from, tt.to, tt.want, got)
		}
	}
}

func TestRiskLevels(t *testing.T) {
	tests := []struct {
		score int
		want  string
	}{{10, "C1"}, {20, "C1"}, {21, "C2"}, {36, "C2"}, {37, "C3"}, {53, "C3"}, {54, "C4"}, {81, "C4"}, {82, "C5"}, {100, "C5"}}
	for _, tt := range tests {
		if got := levelFor(tt.score).Level; got != tt.want {
			t.Errorf("score %d: want %s, got %s", tt.score, tt.want, got)
		}
	}
	for opt, want := range map[string]int{"A": 10, "B": 30, "C": 50, "D": 70, "E": 100} {
		if got, err := scoreAnswers(answers(opt)); err != nil || got != want {
			t.Errorf("all %s: want %d, got %d %v", opt, want, got, err)
		}
	}
	a := answers("A")
	a["1"], a["2"] = "E", "B" // 10 + 3 + 8×1 = 21: the C2 boundary
	if got, _ := scoreAnswers(a); levelFor(got).Level != "C2" || got != 21 {
		t.Errorf("one E, one B, eight A: want 21 → C2, got %d", got)
	}
	delete(a, "10")
	if _, err := scoreAnswers(a); err == nil || !strings.Contains(err.Message, "第10题未作答") {
		t.Errorf("missing answer: %v", err)
	}
	a["10"] = "F"
	if _, err := scoreAnswers(a); err == nil || !strings.Contains(err.Message, "第10题答案") {
		t.Errorf("bad answer: %v", err)
	}
	a["10"], a["11"] = "A", "A"
	if _, err := scoreAnswers(a); err == nil || !strings.Contains(err.Message, "题号11不存在") {
		t.Errorf("extra answer: %v", err)
	}
}

func TestWindows(t *testing.T) {
	w, err := ParseWindow("09:00-16:00")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m int) time.Time { return time.Date(2026, 11, 18, h, m, 0, 0, chinaTime) }
	if w.contains(at(8, 59)) || !w.contains(at(9, 0)) || !w.contains(at(15, 59)) || w.contains(at(16, 0)) {
		t.Error("window edges: [09:00, 16:00)")
	}
	for _, bad := range []string{"9:00-16:00", "16:00-09:00", "09:00", "25:00-26:00"} {
		if _, err := ParseWindow(bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
	fri := time.Date(2026, 11, 20, 15, 0, 0, 0, chinaTime)
	if got := nextTradingDay(fri).Format(dateLayout); got != "20261123" {
		t.Errorf("next trading day after Friday: %s", got)
	}
	if got := addTradingDays(wednesday10, 2).Format(dateLayout); got != "20261120" {
		t.Errorf("Wednesday T+2: %s", got)
	}
}
