package fake

import (
	"strings"
	"testing"
	"time"

	"github.com/expr-lang/expr"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// eval evaluates a workflow expression with fake bound to f's functions.
func eval(f *Faker, code string) (any, error) {
	return expr.Eval(code, map[string]any{"fake": f.Functions()})
}

func TestFunctionsFromExpressions(t *testing.T) {
	f := New(11)
	tests := []struct {
		code  string
		check func(v any) bool
	}{
		{`fake.cnName()`, func(v any) bool { return len([]rune(v.(string))) >= 2 }},
		{`fake.cnName({gender: "F"})`, func(v any) bool { return len([]rune(v.(string))) >= 2 }},
		{`fake.cnIDCard()`, func(v any) bool { return format.Check(format.FormatIDCard, v.(string)) == nil }},
		{`fake.cnIDCard({minAge: 25, maxAge: 25, gender: "F", region: "上海"})`, func(v any) bool {
			card, err := format.ParseCNIDCard(v.(string))
			return err == nil && !card.Male && card.Area[:2] == "31" && format.Age(card.Birth, time.Now()) == 25
		}},
		{`fake.cnIDCard({minAge: 30.0})`, func(v any) bool {
			card, err := format.ParseCNIDCard(v.(string))
			return err == nil && format.Age(card.Birth, time.Now()) >= 30
		}},
		{`fake.cnMobile({carrier: "telecom"})`, func(v any) bool {
			return format.CNMobile(v.(string)) == nil && strings.Contains("133 153 180 181 189 199", v.(string)[:3])
		}},
		{`fake.bankCard({bank: "5500"})`, func(v any) bool { return format.BankCard(v.(string)) == nil && len(v.(string)) == 16 }},
		{`fake.bankCard()`, func(v any) bool { return format.BankCard(v.(string)) == nil }},
		{`fake.cnAddress()`, func(v any) bool { return strings.Contains(v.(string), "号") }},
		{`fake.cnUSCC()`, func(v any) bool { return format.CNUSCC(v.(string)) == nil }},
		{`fake.email()`, func(v any) bool { return format.Email(v.(string)) == nil }},
		{`fake.date({from: "2024-02-28", to: "2024-03-01"})`, func(v any) bool {
			return v == "2024-02-28" || v == "2024-02-29" || v == "2024-03-01"
		}},
		{`fake.date()`, func(v any) bool { return format.Date(v.(string)) == nil }},
		{`fake.number(5, 7)`, func(v any) bool { return v.(int) >= 5 && v.(int) <= 7 }},
		{`fake.number(5, 7) + 1`, func(v any) bool { return v.(int) >= 6 && v.(int) <= 8 }},
		{`fake.digits(6)`, func(v any) bool { return len(v.(string)) == 6 && isDigits(v.(string)) }},
		{`fake.letters(4)`, func(v any) bool {
			return len(v.(string)) == 4 && strings.Trim(v.(string), "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") == ""
		}},
		{`fake.word()`, func(v any) bool { return v.(string) != "" }},
		{`fake.sentence(5)`, func(v any) bool { return len(strings.Fields(v.(string))) == 5 }},
		{`fake.uuid()`, func(v any) bool { return len(v.(string)) == 36 && v.(string)[14] == '4' }},
		{`fake.bool() in [true, false]`, func(v any) bool { return v == true }},
		{`fake.pick(["C1", "C2"])`, func(v any) bool { return v == "C1" || v == "C2" }},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			for range 50 {
				v, err := eval(f, tt.code)
				if err != nil {
					t.Fatalf("%s: %v", tt.code, err)
				}
				if !tt.check(v) {
					t.Fatalf("%s = %#v, not what was asked for", tt.code, v)
				}
			}
		})
	}
}

func TestFunctionsRejectBadOptions(t *testing.T) {
	f := New(12)
	tests := []struct{ code, want string }{
		{`fake.cnIDCard({minage: 25})`, `fake.cnIDCard: unknown option "minage", did you mean "minAge"? (options: minAge, maxAge, gender, region)`},
		{`fake.cnIDCard({color: "red"})`, `fake.cnIDCard: unknown option "color" (options: minAge, maxAge, gender, region)`},
		{`fake.cnIDCard({minAge: "25"})`, `fake.cnIDCard: option minAge must be a whole number, got "25" (string)`},
		{`fake.cnIDCard({minAge: 2.5})`, `fake.cnIDCard: option minAge must be a whole number, got 2.5 (float64)`},
		{`fake.cnIDCard({region: 31})`, `fake.cnIDCard: option region must be a string, got 31 (int)`},
		{`fake.cnIDCard({gender: "unknown"})`, `fake.cnIDCard: option gender must be "M" or "F", got "unknown"`},
		{`fake.cnIDCard({minAge: 30, maxAge: 20})`, `fake.cnIDCard: generate ID number: minAge 30 is above maxAge 20`},
		{`fake.cnIDCard({region: "火星"})`, `fake.cnIDCard: generate ID number: region "火星": no known area code matches`},
		{`fake.cnName({sex: "F"})`, `fake.cnName: unknown option "sex" (options: gender)`},
		{`fake.cnMobile({carrier: "vodafone"})`, `fake.cnMobile: generate mobile number: carrier "vodafone"`},
		{`fake.cnMobile({carier: "cmcc"})`, `fake.cnMobile: unknown option "carier", did you mean "carrier"?`},
		{`fake.bankCard({bank: "9999"})`, `fake.bankCard: generate bank card: bank code "9999"`},
		{`fake.bankCard({bank: 5200})`, `fake.bankCard: option bank must be a string, got 5200 (int)`},
		{`fake.date({from: "2024-13-01"})`, `fake.date: option from must be a date written YYYY-MM-DD, got "2024-13-01"`},
		{`fake.date({from: "2024-02-01", to: "2024-01-01"})`, `fake.date: from 2024-02-01 is after to 2024-01-01`},
		{`fake.number(7, 5)`, `fake.number: min 7 is above max 5`},
		{`fake.digits(-1)`, `fake.digits: count -1 is outside 0–10000`},
		{`fake.pick([])`, `fake.pick: the list is empty`},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			_, err := eval(f, tt.code)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s: error %v, want it to contain %q", tt.code, err, tt.want)
			}
		})
	}
}
