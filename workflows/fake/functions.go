package fake

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"
)

// Functions returns the functions workflow expressions reach under the name
// `fake`, for expr-lang/expr. Generators with options take one optional map:
//
//	cnName({gender})                       a Chinese name; gender "M" or "F"
//	cnIDCard({minAge, maxAge, gender, region})   an ID number (see IDCardOptions)
//	cnMobile({carrier})                    carrier "cmcc", "unicom" or "telecom"
//	bankCard({bank})                       bank code such as "5200" (see Banks)
//	cnAddress(), cnUSCC(), email()
//	date({from, to})                       a YYYY-MM-DD date, by default in the last 10 years
//	number(min, max)                       an integer in [min, max]
//	digits(n), letters(n)                  n random digits or ASCII letters
//	word(), sentence(words), uuid(), bool()
//	pick(list)                             a random element of list
//
// A bad option — an unknown key or a value of the wrong type — is an error that
// names the function and the key.
func (f *Faker) Functions() map[string]any {
	return map[string]any{
		"cnName": func(opts ...map[string]any) (string, error) {
			o, err := parseOptions("cnName", opts, "gender")
			if err != nil {
				return "", err
			}
			g, err := o.gender()
			if err != nil {
				return "", err
			}
			return f.CNName(g), nil
		},
		"cnIDCard": func(opts ...map[string]any) (string, error) {
			o, err := parseOptions("cnIDCard", opts, "minAge", "maxAge", "gender", "region")
			if err != nil {
				return "", err
			}
			var id IDCardOptions
			if id.MinAge, err = o.int("minAge"); err != nil {
				return "", err
			}
			if id.MaxAge, err = o.int("maxAge"); err != nil {
				return "", err
			}
			if id.Gender, err = o.gender(); err != nil {
				return "", err
			}
			if id.Region, err = o.string("region"); err != nil {
				return "", err
			}
			s, err := f.CNIDCard(id)
			if err != nil {
				return "", fmt.Errorf("fake.cnIDCard: %w", err)
			}
			return s, nil
		},
		"cnMobile": func(opts ...map[string]any) (string, error) {
			o, err := parseOptions("cnMobile", opts, "carrier")
			if err != nil {
				return "", err
			}
			c, err := o.string("carrier")
			if err != nil {
				return "", err
			}
			s, err := f.CNMobile(c)
			if err != nil {
				return "", fmt.Errorf("fake.cnMobile: %w", err)
			}
			return s, nil
		},
		"bankCard": func(opts ...map[string]any) (string, error) {
			o, err := parseOptions("bankCard", opts, "bank")
			if err != nil {
				return "", err
			}
			b, err := o.string("bank")
			if err != nil {
				return "", err
			}
			s, err := f.BankCard(b)
			if err != nil {
				return "", fmt.Errorf("fake.bankCard: %w", err)
			}
			return s, nil
		},
		"cnAddress": f.CNAddress,
		"cnUSCC":    f.CNUSCC,
		"email":     f.Email,
		"date": func(opts ...map[string]any) (string, error) {
			o, err := parseOptions("date", opts, "from", "to")
			if err != nil {
				return "", err
			}
			return f.date(o)
		},
		"number": func(lo, hi int) (int, error) {
			if lo > hi {
				return 0, fmt.Errorf("fake.number: min %d is above max %d", lo, hi)
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.Number(lo, hi), nil
		},
		"digits": func(n int) (string, error) {
			if err := checkCount("digits", n); err != nil {
				return "", err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.digits(n), nil
		},
		"letters": func(n int) (string, error) {
			if err := checkCount("letters", n); err != nil {
				return "", err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.LetterN(uint(n)), nil
		},
		"word": func() string {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.Word()
		},
		"sentence": func(words int) (string, error) {
			if err := checkCount("sentence", words); err != nil {
				return "", err
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.Sentence(words), nil
		},
		"uuid": func() string {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.UUID()
		},
		"bool": func() bool {
			f.mu.Lock()
			defer f.mu.Unlock()
			return f.gf.Bool()
		},
		"pick": func(list []any) (any, error) {
			if len(list) == 0 {
				return nil, fmt.Errorf("fake.pick: the list is empty")
			}
			f.mu.Lock()
			defer f.mu.Unlock()
			return pick(f, list), nil
		},
	}
}

// maxCount bounds the n of digits, letters and sentence, so a typo cannot
// allocate gigabytes.
const maxCount = 10000

func checkCount(fn string, n int) error {
	if n < 0 || n > maxCount {
		return fmt.Errorf("fake.%s: count %d is outside 0–%d", fn, n, maxCount)
	}
	return nil
}

// date draws a day between the from and to options (YYYY-MM-DD, inclusive),
// by default the ten years up to today.
func (f *Faker) date(o options) (string, error) {
	from, err := o.date("from")
	if err != nil {
		return "", err
	}
	to, err := o.date("to")
	if err != nil {
		return "", err
	}
	if to.IsZero() {
		y, m, d := time.Now().Date()
		to = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if from.IsZero() {
		from = to.AddDate(-10, 0, 0)
	}
	if from.After(to) {
		return "", fmt.Errorf("fake.date: from %s is after to %s", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	days := int(to.Sub(from).Hours()/24) + 1
	f.mu.Lock()
	defer f.mu.Unlock()
	return from.AddDate(0, 0, f.rnd.Intn(days)).Format(time.DateOnly), nil
}

// options is the option map given to one generator.
type options struct {
	fn string
	m  map[string]any
}

// parseOptions accepts at most one map whose keys are all in known.
func parseOptions(fn string, args []map[string]any, known ...string) (options, error) {
	if len(args) > 1 {
		return options{}, fmt.Errorf("fake.%s: takes one options map, got %d arguments", fn, len(args))
	}
	o := options{fn: fn}
	if len(args) == 0 {
		return o, nil
	}
	o.m = args[0]
	keys := make([]string, 0, len(o.m))
	for k := range o.m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // report the same key first every time
	for _, k := range keys {
		if !slices.Contains(known, k) {
			return o, fmt.Errorf("fake.%s: unknown option %q%s (options: %s)", fn, k, didYouMean(k, known), strings.Join(known, ", "))
		}
	}
	return o, nil
}

// didYouMean suggests the known name closest to a mistyped one.
func didYouMean(got string, known []string) string {
	best, bestDist := "", math.MaxInt
	for _, k := range known {
		d := levenshtein.ComputeDistance(strings.ToLower(got), strings.ToLower(k))
		if d < bestDist {
			best, bestDist = k, d
		}
	}
	if bestDist > 2 {
		return ""
	}
	return fmt.Sprintf(", did you mean %q?", best)
}

func (o options) string(key string) (string, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("fake.%s: option %s must be a string, got %#v (%T)", o.fn, key, v, v)
	}
	return s, nil
}

func (o options) int(key string) (int, error) {
	v, ok := o.m[key]
	if !ok || v == nil {
		return 0, nil
	}
	switch n := v.(type) {
	case int:
		return n, nil
	case int64:
		return int(n), nil
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1e9 {
			return int(n), nil
		}
	}
	return 0, fmt.Errorf("fake.%s: option %s must be a whole number, got %#v (%T)", o.fn, key, v, v)
}

func (o options) gender() (string, error) {
	s, err := o.string("gender")
	if err != nil {
		return "", err
	}
	g, ok := normalizeGender(s)
	if !ok {
		return "", fmt.Errorf("fake.%s: option gender must be \"M\" or \"F\", got %q", o.fn, s)
	}
	return g, nil
}

func (o options) date(key string) (time.Time, error) {
	s, err := o.string(key)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("fake.%s: option %s must be a date written YYYY-MM-DD, got %q", o.fn, key, s)
	}
	return t, nil
}
