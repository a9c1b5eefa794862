package format

import (
	"time"
	"unicode/utf8"
)

// IDCard is what a resident ID number says about its holder.
type IDCard struct {
	Area     string    // the 6-digit GB/T 2260 area code
	AreaName string    // the area's full name, such as 北京市朝阳区, as far as it is known
	Birth    time.Time // birth date, midnight UTC
	Male     bool
	Legacy   bool // the old 15-digit form
}

var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheckChars = "10X98765432"

// IDCardCheckChar returns the check character of an 18-digit ID number whose first
// 17 characters are first17, or 0 if first17 is not 17 digits.
func IDCardCheckChar(first17 string) byte {
	if len(first17) != 17 {
		return 0
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := first17[i]
		if !isDigit(c) {
			return 0
		}
		sum += int(c-'0') * idWeights[i]
	}
	return idCheckChars[sum%11]
}

// ParseCNIDCard validates a resident ID number, 18-digit or legacy 15-digit, and
// returns what it says. A birth date after today is refused.
func ParseCNIDCard(s string) (IDCard, error) {
	if s == "" {
		return IDCard{}, newError(FormatIDCard, CodeEmpty)
	}
	n := utf8.RuneCountInString(s)
	if n != 18 && n != 15 || len(s) != n {
		if n == 18 || n == 15 {
			return IDCard{}, badIDChar(s)
		}
		return IDCard{}, newError(FormatIDCard, CodeLength, "length", n)
	}
	digits := len(s)
	if digits == 18 {
		digits = 17
	}
	for i := 0; i < digits; i++ {
		if !isDigit(s[i]) {
			return IDCard{}, badIDChar(s)
		}
	}
	if len(s) == 18 {
		switch last := s[17]; {
		case last == 'x':
			return IDCard{}, newError(FormatIDCard, CodeLowerX)
		case !isDigit(last) && last != 'X':
			return IDCard{}, badIDChar(s)
		}
	}

	card := IDCard{Area: s[:6], Legacy: len(s) == 15}
	card.AreaName = AreaName(card.Area)
	if card.AreaName == "" {
		return IDCard{}, newError(FormatIDCard, CodeArea, "area", card.Area)
	}
	birth := s[6:14]
	if card.Legacy {
		birth = "19" + s[6:12]
	}
	t, err := time.Parse("20060102", birth)
	if err != nil || t.Year() < 1900 {
		return IDCard{}, newError(FormatIDCard, CodeBirth, "birth", birth)
	}
	if t.After(time.Now()) {
		return IDCard{}, newError(FormatIDCard, CodeFuture, "birth", birth)
	}
	card.Birth = t
	if card.Legacy {
		card.Male = (s[14]-'0')%2 == 1
		return card, nil
	}
	card.Male = (s[16]-'0')%2 == 1
	if want := IDCardCheckChar(s[:17]); s[17] != want {
		return IDCard{}, newError(FormatIDCard, CodeCheck, "want", string(want))
	}
	return card, nil
}

// badIDChar reports the first character of s that cannot stand where it is.
func badIDChar(s string) error {
	for i, r := range s {
		pos := utf8.RuneCountInString(s[:i])
		if r >= '0' && r <= '9' || pos == 17 && r == 'X' {
			continue
		}
		char, p := charAt(s, i)
		return newError(FormatIDCard, CodeChar, "pos", p, "char", char)
	}
	return newError(FormatIDCard, CodeLength, "length", utf8.RuneCountInString(s))
}

// Age returns the age in whole years on day at of someone born on birth.
func Age(birth, at time.Time) int {
	age := at.Year() - birth.Year()
	if at.Month() < birth.Month() || at.Month() == birth.Month() && at.Day() < birth.Day() {
		age--
	}
	return age
}

// LongTerm is the expiry date printed as 长期 (long-term) on an ID card.
func LongTerm(loc *time.Location) time.Time { return time.Date(3000, 12, 31, 0, 0, 0, 0, loc) }

// IDCardExpiry returns when an ID card issued on issued to someone born on birth
// expires. The validity depends on the age at issue: under 16, 5 years; 16–25,
// 10 years; 26–45, 20 years; 46 and over, long-term (3000-12-31).
func IDCardExpiry(birth, issued time.Time) time.Time {
	switch age := Age(birth, issued); {
	case age < 16:
		return issued.AddDate(5, 0, 0)
	case age <= 25:
		return issued.AddDate(10, 0, 0)
	case age <= 45:
		return issued.AddDate(20, 0, 0)
	}
	return LongTerm(issued.Location())
}
