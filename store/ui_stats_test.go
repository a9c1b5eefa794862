package store_test

import (
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func TestStatistics(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			first, err := s.Bootstrap(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			day := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
			at := func(d, h int) time.Time { return day.AddDate(0, 0, d).Add(time.Duration(h) * time.Hour) }
			ptr := func(t time.Time) *time.Time { return &t }
			refused := &store.RunFailure{Class: "business_rejected", Step: "agreements/sign", MessageZh: "风险等级不匹配", MessageEn: "risk level"}
			runs := []store.Run{
				{Workflow: "standard-account", Environment: "uat-sim", Status: store.RunSucceeded, CreatedAt: at(0, 1), StartedAt: ptr(at(0, 1)), FinishedAt: ptr(at(0, 1).Add(10 * time.Second))},
				{Workflow: "standard-account", Environment: "uat-sim", Status: store.RunSucceeded, CreatedAt: at(0, 2), StartedAt: ptr(at(0, 2)), FinishedAt: ptr(at(0, 2).Add(20 * time.Second))},
				{Workflow: "standard-account", Environment: "uat-2", Status: store.RunSucceeded, CreatedAt: at(1, 2), StartedAt: ptr(at(1, 2)), FinishedAt: ptr(at(1, 2).Add(100 * time.Second))},
				{Workflow: "complex-account", Environment: "uat-sim", Status: store.RunFailed, FailureClass: "business_rejected", Failure: refused, CreatedAt: at(1, 3)},
				{Workflow: "complex-account", Environment: "uat-sim", Status: store.RunFailed, FailureClass: "business_rejected", Failure: refused, CreatedAt: at(2, 3)},
				{Workflow: "complex-account", Environment: "uat-sim", Status: store.RunRunning, CreatedAt: at(2, 4)},
				// Outside the window.
				{Workflow: "complex-account", Environment: "uat-sim", Status: store.RunFailed, CreatedAt: at(-5, 0)},
			}
			for i := range runs {
				r := &runs[i]
				r.ID, r.Revision, r.Source, r.Queue, r.RequestedBy = store.NewRunID(), "rev", "ui", "critical", first.User.ID
				if err := s.CreateRun(ctx(t), r); err != nil {
					t.Fatal(err)
				}
			}
			st, err := s.Statistics(ctx(t), store.StatsQuery{Since: day, Until: day.AddDate(0, 0, 3)})
			if err != nil {
				t.Fatal(err)
			}
			c := st.Counts
			if c.Total != 6 || c.Succeeded != 3 || c.Failed != 2 || c.Running != 1 || c.InProgress() != 1 {
				t.Errorf("counts = %+v, want 6 runs: 3 succeeded, 2 failed, 1 running", c)
			}
			if r := c.SuccessRate(); r != 0.6 {
				t.Errorf("success rate = %v, want 0.6", r)
			}
			if len(st.Daily) != 3 || st.Daily[0].Succeeded != 2 || st.Daily[1].Total != 2 || st.Daily[2].Failed != 1 {
				t.Errorf("daily = %+v", st.Daily)
			}
			if len(st.ByWorkflow) != 2 || st.ByWorkflow[0].Key != "complex-account" || st.ByWorkflow[0].Total != 3 {
				t.Errorf("by workflow = %+v", st.ByWorkflow)
			}
			if len(st.ByEnvironment) != 2 || st.ByEnvironment[0].Key != "uat-sim" || st.ByEnvironment[0].Total != 5 {
				t.Errorf("by environment = %+v", st.ByEnvironment)
			}
			if len(st.ByUser) != 1 || st.ByUser[0].Key != "admin" || st.ByUser[0].Total != 6 {
				t.Errorf("by user = %+v", st.ByUser)
			}
			if len(st.FailureClasses) != 1 || st.FailureClasses[0].Key != "business_rejected" || st.FailureClasses[0].Failed != 2 {
				t.Errorf("failure classes = %+v", st.FailureClasses)
			}
			if len(st.FailingSteps) != 1 || st.FailingSteps[0].Step != "agreements/sign" || st.FailingSteps[0].Failures != 2 || st.FailingSteps[0].MessageZh != "风险等级不匹配" {
				t.Errorf("failing steps = %+v", st.FailingSteps)
			}
			if d := st.Durations; d.Count != 3 || d.P50 != 20*time.Second || d.P95 != 100*time.Second {
				t.Errorf("durations = %+v, want p50 20s and p95 100s of 3", d)
			}
			top, err := s.TopWorkflows(ctx(t), day, 5)
			if err != nil || len(top) != 2 || top[0] != "complex-account" {
				t.Errorf("top workflows = %v, %v", top, err)
			}
		})
	}
}
