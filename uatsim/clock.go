package uatsim

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// chinaTime is Beijing time; a fixed zone so the simulator needs no tzdata.
var chinaTime = time.FixedZone("CST", 8*3600)

// Window is a daily time-of-day window [Start, End) on trading days, written
// "HH:MM-HH:MM". The zero value is no window.
type Window struct {
	Start, End int // minutes after midnight
	Set        bool
}

// ParseWindow reads "HH:MM-HH:MM"; "" and "off" give the empty window.
func ParseWindow(s string) (Window, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "off" {
		return Window{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		return Window{}, fmt.Errorf("parse window %q: want HH:MM-HH:MM", s)
	}
	start, err := parseHHMM(a)
	if err != nil {
		return Window{}, fmt.Errorf("parse window %q: %w", s, err)
	}
	end, err := parseHHMM(b)
	if err != nil {
		return Window{}, fmt.Errorf("parse window %q: %w", s, err)
	}
	if end <= start {
		return Window{}, fmt.Errorf("parse window %q: end must be after start", s)
	}
	return Window{Start: start, End: end, Set: true}, nil
}

func parseHHMM(s string) (int, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || len(h) != 2 || len(m) != 2 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || hh*60+mm > 24*60 {
		return 0, fmt.Errorf("%q is not HH:MM", s)
	}
	return hh*60 + mm, nil
}

// String gives "HH:MM-HH:MM", or "" for no window.
func (w Window) String() string {
	if !w.Set {
		return ""
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", w.Start/60, w.Start%60, w.End/60, w.End%60)
}

// contains reports whether t's time of day is inside the window (any day).
func (w Window) contains(t time.Time) bool {
	if !w.Set {
		return false
	}
	m := t.Hour()*60 + t.Minute()
	return m >= w.Start && m < w.End
}

// endAfter gives the moment the window containing t ends.
func (w Window) endAfter(t time.Time) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, w.End/60, w.End%60, 0, 0, t.Location())
}

// nextOpening gives the next moment at or after t when the window opens on a trading day.
func nextOpening(w Window, t time.Time) time.Time {
	d := dateOnly(t)
	for range 14 {
		open := d.Add(time.Duration(w.Start) * time.Minute)
		if isTradingDay(d) && !open.Before(t) {
			return open
		}
		d = d.AddDate(0, 0, 1)
	}
	return t
}

// ClockOptions sets the simulated clock. The zero value is real Beijing time,
// bank transfers 09:00-16:00, banks in maintenance 00:00-06:00 and no clearing window.
type ClockOptions struct {
	Start           time.Time // simulated "now" at start; zero = real time
	Frozen          bool      // the clock stands still at Start
	TransferHours   *Window   // bank transfer hours on trading days; nil = 09:00-16:00
	ClearingWindow  Window    // end-of-day clearing on trading days; writes refused with 1814
	BankMaintenance *Window   // banks down every day; nil = 00:00-06:00
}

// clock is the simulated clock: real time plus an offset, or frozen.
type clock struct {
	mu          sync.RWMutex
	real        func() time.Time
	offset      time.Duration
	frozen      bool
	frozenAt    time.Time
	transfer    Window
	clearing    Window
	maintenance Window
}

func newClock(real func() time.Time, o ClockOptions) *clock {
	c := &clock{real: real,
		transfer:    Window{Start: 9 * 60, End: 16 * 60, Set: true},
		maintenance: Window{Start: 0, End: 6 * 60, Set: true},
		clearing:    o.ClearingWindow,
	}
	if o.TransferHours != nil {
		c.transfer = *o.TransferHours
	}
	if o.BankMaintenance != nil {
		c.maintenance = *o.BankMaintenance
	}
	c.set(o.Start, o.Frozen)
	return c
}

// set moves the clock to at (zero = real time) and freezes it or lets it run.
func (c *clock) set(at time.Time, frozen bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.real()
	if at.IsZero() {
		at = now
	}
	c.offset = at.Sub(now)
	c.frozen = frozen
	c.frozenAt = at
}

// Now is the simulated time in Beijing time.
func (c *clock) Now() time.Time {
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.frozen {
		return c.frozenAt.In(chinaTime)
	}
	return c.real().Add(c.offset).In(chinaTime)
}

func (c *clock) windows() (transfer, clearing, maintenance Window) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.transfer, c.clearing, c.maintenance
}

// inClearing reports whether now is inside the clearing window, and when it ends.
func (c *clock) inClearing(now time.Time) (bool, time.Time) {
	_, clearing, _ := c.windows()
	if isTradingDay(now) && clearing.contains(now) {
		return true, clearing.endAfter(now)
	}
	return false, time.Time{}
}

// isTradingDay: Monday to Friday. The simulator keeps no holiday calendar.
func isTradingDay(t time.Time) bool {
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// nextTradingDay gives the first trading day strictly after t's date.
func nextTradingDay(t time.Time) time.Time {
	d := dateOnly(t).AddDate(0, 0, 1)
	for !isTradingDay(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// addTradingDays gives the date n trading days after t's date (n = 0: t's date).
func addTradingDays(t time.Time, n int) time.Time {
	d := dateOnly(t)
	for range n {
		d = nextTradingDay(d)
	}
	return d
}

func dateOnly(t time.Time) time.Time {
	y, m, d := t.In(chinaTime).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, chinaTime)
}

const dateLayout = "20060102"

// parseDate reads a YYYYMMDD date in Beijing time.
func parseDate(s string) (time.Time, bool) {
	if len(s) != 8 {
		return time.Time{}, false
	}
	t, err := time.ParseInLocation(dateLayout, s, chinaTime)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// fullMonths counts whole months from from to to (e.g. 2024-01-15 → 2026-01-14 is 23).
func fullMonths(from, to time.Time) int {
	y1, m1, d1 := from.Date()
	y2, m2, d2 := to.Date()
	n := (y2-y1)*12 + int(m2) - int(m1)
	if d2 < d1 {
		n--
	}
	return n
}

// fullYears counts whole years of age at to for someone born on birth.
func fullYears(birth, to time.Time) int {
	y := to.Year() - birth.Year()
	if to.Month() < birth.Month() || (to.Month() == birth.Month() && to.Day() < birth.Day()) {
		y--
	}
	return y
}
