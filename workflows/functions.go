package workflows

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

func newUUID() string { return uuid.NewString() }

// dateLayouts are the date forms a workflow may pass to date functions.
var dateLayouts = []string{time.DateOnly, "20060102", time.RFC3339, time.DateTime}

// addDate shifts a date. A string in gives a date string back in the same
// layout, so addYears(today(), -30) reads as a date; a time gives a time.
func addDate(d any, years, months, days int) (any, error) {
	switch x := d.(type) {
	case time.Time:
		return shiftDate(x, years, months, days), nil
	case string:
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, x); err == nil {
				return shiftDate(t, years, months, days).Format(layout), nil
			}
		}
		return nil, fmt.Errorf("%q is not a date (use 2006-01-02 or 20060102)", x)
	}
	return nil, fmt.Errorf("%s is not a date", describe(d))
}

// shiftDate moves by years and months keeping the day inside the month
// (2024-02-29 minus 30 years is 1994-02-28, so an age computed from it holds),
// then by days.
func shiftDate(t time.Time, years, months, days int) time.Time {
	y, m, d := t.Date()
	first := time.Date(y+years, m+time.Month(months), 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(d, last)-1+days)
}

// formatDate formats a date with yyyy MM dd HH mm ss tokens (or a Go layout).
func formatDate(d any, layout string) (string, error) {
	var t time.Time
	switch x := d.(type) {
	case time.Time:
		t = x
	case string:
		parsed := false
		for _, l := range dateLayouts {
			if p, err := time.Parse(l, x); err == nil {
				t, parsed = p, true
				break
			}
		}
		if !parsed {
			return "", fmt.Errorf("%q is not a date (use 2006-01-02 or 20060102)", x)
		}
	default:
		return "", fmt.Errorf("%s is not a date", describe(d))
	}
	r := strings.NewReplacer("yyyy", "2006", "MM", "01", "dd", "02", "HH", "15", "mm", "04", "ss", "05")
	return t.Format(r.Replace(layout)), nil
}

// jsonPath reads a value with a small JSONPath: $.a.b[0]['c-d'][*].e
func jsonPath(v any, path string) (any, error) {
	p := strings.TrimSpace(path)
	if !strings.HasPrefix(p, "$") {
		return nil, fmt.Errorf("JSONPath %q must start with $", path)
	}
	p = p[1:]
	cur := []any{v}
	wildcard := false
	for p != "" {
		var key string
		index := -1
		all := false
		switch {
		case strings.HasPrefix(p, "."):
			p = p[1:]
			end := strings.IndexAny(p, ".[")
			if end < 0 {
				end = len(p)
			}
			key, p = p[:end], p[end:]
			if key == "*" {
				all, key = true, ""
			}
		case strings.HasPrefix(p, "["):
			end := strings.Index(p, "]")
			if end < 0 {
				return nil, fmt.Errorf("JSONPath %q: missing ]", path)
			}
			inner := strings.TrimSpace(p[1:end])
			p = p[end+1:]
			switch {
			case inner == "*":
				all = true
			case strings.HasPrefix(inner, "'") || strings.HasPrefix(inner, `"`):
				key = strings.Trim(inner, `'"`)
			default:
				n, err := strconv.Atoi(inner)
				if err != nil {
					return nil, fmt.Errorf("JSONPath %q: bad index %q", path, inner)
				}
				index = n
			}
		default:
			return nil, fmt.Errorf("JSONPath %q: unexpected %q", path, p)
		}
		var next []any
		for _, c := range cur {
			switch {
			case all:
				wildcard = true
				switch x := c.(type) {
				case []any:
					next = append(next, x...)
				case map[string]any:
					for _, e := range x {
						next = append(next, e)
					}
				}
			case index >= 0 || (key == "" && index < 0):
				if list, ok := c.([]any); ok {
					i := index
					if i < 0 {
						i += len(list)
					}
					if i >= 0 && i < len(list) {
						next = append(next, list[i])
					}
				}
			default:
				if m, ok := c.(map[string]any); ok {
					if e, ok := m[key]; ok {
						next = append(next, e)
					}
				}
			}
		}
		cur = next
	}
	if wildcard {
		if cur == nil {
			return []any{}, nil
		}
		return cur, nil
	}
	if len(cur) == 0 {
		return nil, nil
	}
	return cur[0], nil
}
