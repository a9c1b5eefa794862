package store

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// StatsQuery selects the runs statistics are computed over: those created
// in [Since, Until), optionally of one workflow, environment or user.
type StatsQuery struct {
	Since, Until time.Time
	Workflow     string
	Environment  string
	RequestedBy  uint64
	// Location is where days begin for Daily; UTC when nil.
	Location *time.Location
}

// StatusCounts counts runs by status.
type StatusCounts struct {
	Total      int64 `json:"total"`
	Queued     int64 `json:"queued"`
	Running    int64 `json:"running"`
	WaitingEnv int64 `json:"waiting_env"`
	Succeeded  int64 `json:"succeeded"`
	Failed     int64 `json:"failed"`
	Cancelled  int64 `json:"cancelled"`
}

// InProgress counts the runs not finished yet.
func (c StatusCounts) InProgress() int64 { return c.Queued + c.Running + c.WaitingEnv }

// SuccessRate is succeeded / (succeeded + failed), 0 when none finished.
func (c StatusCounts) SuccessRate() float64 {
	if done := c.Succeeded + c.Failed; done > 0 {
		return float64(c.Succeeded) / float64(done)
	}
	return 0
}

func (c *StatusCounts) add(status RunStatus, n int64) {
	c.Total += n
	switch status {
	case RunQueued:
		c.Queued += n
	case RunRunning:
		c.Running += n
	case RunWaitingEnv:
		c.WaitingEnv += n
	case RunSucceeded:
		c.Succeeded += n
	case RunFailed:
		c.Failed += n
	case RunCancelled:
		c.Cancelled += n
	}
}

// DayCounts are the counts of runs created on one day.
type DayCounts struct {
	Day time.Time `json:"day"`
	StatusCounts
}

// GroupCounts are the counts of one workflow, environment, user or failure class.
type GroupCounts struct {
	Key string `json:"key"`
	StatusCounts
}

// FailingStep is a step that failed runs, with how often and the latest message.
type FailingStep struct {
	Workflow  string `json:"workflow"`
	Step      string `json:"step"`
	Class     string `json:"class"`
	Failures  int64  `json:"failures"`
	MessageZh string `json:"message_zh"`
	MessageEn string `json:"message_en"`
	RunID     string `json:"run_id"`
}

// Durations summarises how long succeeded runs took, start to finish.
type Durations struct {
	Count int           `json:"count"`
	P50   time.Duration `json:"p50"`
	P95   time.Duration `json:"p95"`
}

// Stats are the statistics of the runs a StatsQuery selects.
type Stats struct {
	Counts         StatusCounts  `json:"counts"`
	Daily          []DayCounts   `json:"daily"`
	ByWorkflow     []GroupCounts `json:"by_workflow"`
	ByEnvironment  []GroupCounts `json:"by_environment"`
	ByUser         []GroupCounts `json:"by_user"`
	FailureClasses []GroupCounts `json:"failure_classes"`
	FailingSteps   []FailingStep `json:"failing_steps"`
	Durations      Durations     `json:"durations"`
}

// maxFailingSteps bounds the top failing steps list.
const maxFailingSteps = 10

func (s *Store) statsScope(ctx context.Context, q StatsQuery) *gorm.DB {
	db := s.db.WithContext(ctx).Model(&Run{}).Where("runs.created_at >= ? AND runs.created_at < ?", q.Since.UTC(), q.Until.UTC())
	if q.Workflow != "" {
		db = db.Where("runs.workflow = ?", q.Workflow)
	}
	if q.Environment != "" {
		db = db.Where("runs.environment = ?", q.Environment)
	}
	if q.RequestedBy != 0 {
		db = db.Where("runs.requested_by = ?", q.RequestedBy)
	}
	return db
}

// Statistics counts runs over time and by workflow, environment, user and
// failure class, finds the steps that fail most and the duration
// percentiles of succeeded runs. Groups are sorted by total, largest first.
func (s *Store) Statistics(ctx context.Context, q StatsQuery) (*Stats, error) {
	if q.Until.IsZero() {
		q.Until = time.Now()
	}
	if q.Location == nil {
		q.Location = time.UTC
	}
	st := &Stats{}
	groups := []struct {
		col  string
		join string
		out  *[]GroupCounts
	}{
		{"runs.workflow", "", &st.ByWorkflow},
		{"runs.environment", "", &st.ByEnvironment},
		{"users.username", "LEFT JOIN users ON users.id = runs.requested_by", &st.ByUser},
		{"runs.failure_class", "", &st.FailureClasses},
	}
	for _, g := range groups {
		var rows []struct {
			Grp    string
			Status RunStatus
			N      int64
		}
		db := s.statsScope(ctx, q)
		if g.join != "" {
			db = db.Joins(g.join)
		}
		if g.col == "runs.failure_class" {
			db = db.Where("runs.failure_class <> ''")
		}
		err := db.Select(g.col + " AS grp, runs.status AS status, COUNT(*) AS n").Group(g.col + ", runs.status").Scan(&rows).Error
		if err != nil {
			return nil, fmt.Errorf("count runs by %s: %w", g.col, err)
		}
		byKey := map[string]*GroupCounts{}
		for _, r := range rows {
			gc := byKey[r.Grp]
			if gc == nil {
				gc = &GroupCounts{Key: r.Grp}
				byKey[r.Grp] = gc
			}
			gc.add(r.Status, r.N)
			if g.col == "runs.workflow" {
				st.Counts.add(r.Status, r.N)
			}
		}
		*g.out = sortedGroups(byKey)
	}

	var times []struct {
		CreatedAt  time.Time
		Status     RunStatus
		StartedAt  *time.Time
		FinishedAt *time.Time
	}
	if err := s.statsScope(ctx, q).Select("created_at, status, started_at, finished_at").Scan(&times).Error; err != nil {
		return nil, fmt.Errorf("read run times: %w", err)
	}
	days := map[time.Time]*DayCounts{}
	var durations []time.Duration
	for _, t := range times {
		y, m, d := t.CreatedAt.In(q.Location).Date()
		day := time.Date(y, m, d, 0, 0, 0, 0, q.Location)
		dc := days[day]
		if dc == nil {
			dc = &DayCounts{Day: day}
			days[day] = dc
		}
		dc.add(t.Status, 1)
		if t.Status == RunSucceeded && t.StartedAt != nil && t.FinishedAt != nil {
			durations = append(durations, t.FinishedAt.Sub(*t.StartedAt))
		}
	}
	st.Daily = fillDays(days, q)
	st.Durations = percentiles(durations)

	var failed []struct {
		ID       string
		Workflow string
		Failure  *RunFailure `gorm:"serializer:json"`
	}
	if err := s.statsScope(ctx, q).Where("runs.status = ?", RunFailed).Select("id, workflow, failure").Order("id").Scan(&failed).Error; err != nil {
		return nil, fmt.Errorf("read failed runs: %w", err)
	}
	steps := map[[2]string]*FailingStep{}
	for _, f := range failed {
		if f.Failure == nil {
			continue
		}
		k := [2]string{f.Workflow, f.Failure.Step}
		fs := steps[k]
		if fs == nil {
			fs = &FailingStep{Workflow: f.Workflow, Step: f.Failure.Step}
			steps[k] = fs
		}
		fs.Failures++
		// Ordered by id, which sorts by time: the last one seen is the latest.
		fs.Class, fs.MessageZh, fs.MessageEn, fs.RunID = f.Failure.Class, f.Failure.MessageZh, f.Failure.MessageEn, f.ID
	}
	for _, fs := range steps {
		st.FailingSteps = append(st.FailingSteps, *fs)
	}
	sort.Slice(st.FailingSteps, func(i, j int) bool {
		a, b := st.FailingSteps[i], st.FailingSteps[j]
		if a.Failures != b.Failures {
			return a.Failures > b.Failures
		}
		return a.Workflow+a.Step < b.Workflow+b.Step
	})
	if len(st.FailingSteps) > maxFailingSteps {
		st.FailingSteps = st.FailingSteps[:maxFailingSteps]
	}
	return st, nil
}

func sortedGroups(m map[string]*GroupCounts) []GroupCounts {
	out := make([]GroupCounts, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Total != out[j].Total {
			return out[i].Total > out[j].Total
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// fillDays lists every day of the query's window, empty days included, so a
// chart's axis has no gaps.
func fillDays(days map[time.Time]*DayCounts, q StatsQuery) []DayCounts {
	y, m, d := q.Since.In(q.Location).Date()
	var out []DayCounts
	for day := time.Date(y, m, d, 0, 0, 0, 0, q.Location); day.Before(q.Until); day = day.AddDate(0, 0, 1) {
		if dc, ok := days[day]; ok {
			out = append(out, *dc)
		} else {
			out = append(out, DayCounts{Day: day})
		}
	}
	return out
}

// percentiles uses the nearest-rank method.
func percentiles(ds []time.Duration) Durations {
	if len(ds) == 0 {
		return Durations{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	rank := func(p float64) time.Duration {
		i := int(p*float64(len(ds))+0.999999) - 1
		return ds[max(0, min(i, len(ds)-1))]
	}
	return Durations{Count: len(ds), P50: rank(0.50), P95: rank(0.95)}
}

// TopWorkflows names the workflows built most since a time, most first.
func (s *Store) TopWorkflows(ctx context.Context, since time.Time, limit int) ([]string, error) {
	var names []string
	err := s.db.WithContext(ctx).Model(&Run{}).Where("created_at >= ?", since.UTC()).
		Group("workflow").Order("COUNT(*) DESC, workflow").Limit(limit).Pluck("workflow", &names).Error
	if err != nil {
		return nil, fmt.Errorf("find most built workflows: %w", err)
	}
	return names, nil
}
