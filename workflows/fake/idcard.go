package fake

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/zaoshu/zaoshu/workflows/format"
)

// IDCardOptions constrains a generated resident ID number.
//
// MinAge and MaxAge bound the holder's age in whole years on Now. Both zero means
// 18 to 60; MaxAge zero alone means max(60, MinAge). Gender is "", "M" or "F".
// Region is "" for anywhere, a code prefix ("31", "3101", "310115") or the start of
// an area's name ("上海", "杭州市", "浦东新区"). Now zero means time.Now().
type IDCardOptions struct {
	MinAge, MaxAge int
	Gender         string
	Region         string
	Now            time.Time
}

// maxAgeLimit is the oldest holder CNIDCard generates.
const maxAgeLimit = 120

// ErrImpossible is wrapped by the errors of generators asked for something no
// value satisfies.
var ErrImpossible = errors.New("no value satisfies the options")

// CNIDCard returns an 18-digit resident ID number for a holder matching o: a real
// county code, a birth date consistent with the ages, a sequence whose parity
// gives the gender, and the correct check character. It fails only when o cannot
// be satisfied.
func (f *Faker) CNIDCard(o IDCardOptions) (string, error) {
	minAge, maxAge, err := ageRange(o.MinAge, o.MaxAge)
	if err != nil {
		return "", err
	}
	gender, ok := normalizeGender(o.Gender)
	if !ok {
		return "", fmt.Errorf("generate ID number: gender %q: want \"M\" or \"F\": %w", o.Gender, ErrImpossible)
	}
	areas, err := f.region(o.Region)
	if err != nil {
		return "", fmt.Errorf("generate ID number: %w", err)
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	// The youngest holder was born MinAge years ago today, the oldest the day after
	// MaxAge+1 years ago; sameDay keeps 29 February from spilling into March.
	latest := sameDay(now, -minAge)
	earliest := sameDay(now, -maxAge-1).AddDate(0, 0, 1)
	if earliest.Year() < 1900 {
		return "", fmt.Errorf("generate ID number: maxAge %d on %s means a birth before 1900: %w", maxAge, now.Format(time.DateOnly), ErrImpossible)
	}
	days := int(latest.Sub(earliest).Hours()/24) + 1

	f.mu.Lock()
	defer f.mu.Unlock()
	birth := earliest.AddDate(0, 0, f.rnd.Intn(days))
	if gender == "" {
		gender = pick(f, []string{Male, Female})
	}
	// The sequence runs 001–995; its last digit is odd for men, even for
	// women. 996–999 are real but left out: test back offices (uatsim among
	// them) reserve them to script refusals, and a generated account should
	// never be refused by accident.
	seq := 1 + f.rnd.Intn(995)
	if (seq%2 == 1) != (gender == Male) {
		seq++
		if seq > 995 {
			seq = 994
		}
	}
	first17 := pick(f, areas).Code + birth.Format("20060102") + fmt.Sprintf("%03d", seq)
	return first17 + string(format.IDCardCheckChar(first17)), nil
}

// ageRange applies the defaults of IDCardOptions and checks the bounds.
func ageRange(minAge, maxAge int) (int, int, error) {
	switch {
	case minAge == 0 && maxAge == 0:
		minAge, maxAge = 18, 60
	case maxAge == 0:
		maxAge = max(60, minAge)
	}
	switch {
	case minAge < 0:
		return 0, 0, fmt.Errorf("generate ID number: minAge %d is negative: %w", minAge, ErrImpossible)
	case minAge > maxAge:
		return 0, 0, fmt.Errorf("generate ID number: minAge %d is above maxAge %d: %w", minAge, maxAge, ErrImpossible)
	case maxAge > maxAgeLimit:
		return 0, 0, fmt.Errorf("generate ID number: maxAge %d is above %d: %w", maxAge, maxAgeLimit, ErrImpossible)
	}
	return minAge, maxAge, nil
}

// sameDay returns midnight UTC of t's calendar day moved by years, using 28
// February when t is 29 February and the target year is not a leap year.
func sameDay(t time.Time, years int) time.Time {
	y, m, d := t.Date()
	day := time.Date(y+years, m, d, 0, 0, 0, 0, time.UTC)
	if day.Day() != d {
		day = day.AddDate(0, 0, -day.Day())
	}
	return day
}

// region returns the county-level areas a region designates: all of them for "",
// those whose code starts with a digit prefix, or those inside any area whose name
// starts with the given text.
func (f *Faker) region(region string) ([]format.Area, error) {
	region = strings.TrimSpace(region)
	if region == "" {
		return f.counties, nil
	}
	var prefixes []string
	if isDigits(region) {
		prefixes = []string{codePrefix(region)}
	} else {
		for _, a := range f.areas {
			if strings.HasPrefix(a.Name, region) {
				prefixes = append(prefixes, codePrefix(a.Code))
			}
		}
	}
	var out []format.Area
	for i, p := range prefixes {
		if i == 0 {
			out = f.countiesUnder(p) // shared, never appended to in place below
			continue
		}
		out = append(slices.Clip(out), f.countiesUnder(p)...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("region %q: no known area code matches (use a code prefix such as \"31\" or \"3101\", or a name such as \"上海\"): %w", region, ErrImpossible)
	}
	return out, nil
}

// countiesUnder returns the counties whose code starts with prefix: a run of the
// sorted table.
func (f *Faker) countiesUnder(prefix string) []format.Area {
	lo, _ := slices.BinarySearchFunc(f.counties, prefix, func(a format.Area, p string) int { return strings.Compare(a.Code, p) })
	hi := lo
	for hi < len(f.counties) && strings.HasPrefix(f.counties[hi].Code, prefix) {
		hi++
	}
	return f.counties[lo:hi]
}

// codePrefix returns the part of an area code shared by the areas inside it:
// "31" for 310000, "3101" for 310100; shorter codes are prefixes already.
func codePrefix(code string) string {
	switch {
	case len(code) == 6 && strings.HasSuffix(code, "0000"):
		return code[:2]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
