package store_test

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func newRun(workflow string) *store.Run {
	return &store.Run{
		Workflow: workflow, Revision: "abc123", Environment: "uat-sim", Source: "api", Queue: "default",
		RequestedBy: 1, Ticket: "INC-42", Labels: []string{"bug-1234"},
		Inputs: map[string]any{"name": "张三", "risk_level": "C4"}, Seed: 7,
	}
}

func TestRunLifecycle(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			r := newRun("standard-account")
			if err := s.CreateRun(ctx(t), r); err != nil {
				t.Fatal(err)
			}
			got, err := s.Run(ctx(t), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != store.RunQueued || got.Inputs["name"] != "张三" || got.Labels[0] != "bug-1234" || got.Ticket != "INC-42" {
				t.Fatalf("stored run = %+v", got)
			}
			_, err = s.UpdateRun(ctx(t), r.ID, func(r *store.Run) error {
				now := time.Now().UTC()
				r.Status, r.StartedAt = store.RunRunning, &now
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			done, err := s.UpdateRun(ctx(t), r.ID, func(r *store.Run) error {
				r.Status = store.RunFailed
				r.FailureClass = "business_rejected"
				r.Failure = &store.RunFailure{Class: "business_rejected", Step: "create_customer", MessageZh: "系统不允许同一证件开多个客户代码", MessageEn: "one customer per ID", RequestID: r.ID + "-create_customer-1"}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if done.FinishedAt == nil {
				t.Error("a finished run has no finish time")
			}
			// A late worker cannot overwrite the outcome.
			_, err = s.UpdateRun(ctx(t), r.ID, func(r *store.Run) error { r.Status = store.RunSucceeded; return nil })
			if !errors.Is(err, store.ErrRunFinished) {
				t.Fatalf("update after finish: err = %v, want ErrRunFinished", err)
			}
			final, _ := s.Run(ctx(t), r.ID)
			if final.Status != store.RunFailed || final.Failure.MessageZh != "系统不允许同一证件开多个客户代码" {
				t.Errorf("final run = %s %+v", final.Status, final.Failure)
			}
			if _, err := s.Run(ctx(t), "rnope"); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("missing run: err = %v", err)
			}
		})
	}
}

// Concurrent updates of one run are serialized: none is lost.
func TestUpdateRunSerializes(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			r := newRun("standard-account")
			r.Labels = nil
			if err := s.CreateRun(ctx(t), r); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			for i := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if _, err := s.UpdateRun(ctx(t), r.ID, func(r *store.Run) error {
						r.Labels = append(r.Labels, fmt.Sprint(i))
						return nil
					}); err != nil {
						t.Error(err)
					}
				}()
			}
			wg.Wait()
			got, _ := s.Run(ctx(t), r.ID)
			if len(got.Labels) != 10 {
				t.Errorf("labels = %v, want all 10 updates", got.Labels)
			}
		})
	}
}

func TestRunsFilteredNewestFirst(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			var ids []string
			for i, wf := range []string{"standard-account", "complex-account", "standard-account"} {
				r := newRun(wf)
				r.RequestedBy = uint64(i%2 + 1)
				if err := s.CreateRun(ctx(t), r); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, r.ID)
				time.Sleep(2 * time.Millisecond)
			}
			if !sort.StringsAreSorted(ids) {
				t.Fatalf("run ids do not sort by creation: %v", ids)
			}
			runs, err := s.Runs(ctx(t), store.RunFilter{Workflow: "standard-account"})
			if err != nil {
				t.Fatal(err)
			}
			if len(runs) != 2 || runs[0].ID != ids[2] || runs[1].ID != ids[0] {
				t.Errorf("standard-account runs = %v, want [%s %s]", runIDs(runs), ids[2], ids[0])
			}
			page, _ := s.Runs(ctx(t), store.RunFilter{Before: ids[2], Limit: 1})
			if len(page) != 1 || page[0].ID != ids[1] {
				t.Errorf("page before %s = %v", ids[2], runIDs(page))
			}
			mine, _ := s.Runs(ctx(t), store.RunFilter{RequestedBy: 2})
			if len(mine) != 1 || mine[0].ID != ids[1] {
				t.Errorf("runs of user 2 = %v", runIDs(mine))
			}
		})
	}
}

func runIDs(runs []store.Run) []string {
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.ID)
	}
	return ids
}

func TestStepRecordsInOrder(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			r := newRun("standard-account")
			if err := s.CreateRun(ctx(t), r); err != nil {
				t.Fatal(err)
			}
			for i, step := range []string{"login", "check_identity", "create_customer"} {
				now := time.Now().UTC()
				rec := &store.StepRecord{RunID: r.ID, Step: step, Attempt: 1, Status: "succeeded", StartedAt: now, EndedAt: now,
					RequestID: fmt.Sprintf("%s-%s-1", r.ID, step), HTTPStatus: 200,
					Request: "POST /account/customers", Response: `{"code":"0","message":"成功"}`,
					Captures: map[string]any{"n": float64(i)}}
				if err := s.AddStepRecord(ctx(t), rec); err != nil {
					t.Fatal(err)
				}
			}
			recs, err := s.StepRecords(ctx(t), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 3 || recs[0].Step != "login" || recs[2].Step != "create_customer" || recs[2].Captures["n"] != float64(2) || recs[1].Response != `{"code":"0","message":"成功"}` {
				t.Errorf("records = %+v", recs)
			}
		})
	}
}

func TestSensitiveInputsSealedAndRetryReopens(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			r := newRun("standard-account")
			r.Inputs = map[string]any{"name": "张三", "trading_password": "***"}
			if err := s.SealInputs(r, map[string]any{"name": "张三", "trading_password": "802913"}); err != nil {
				t.Fatal(err)
			}
			if err := s.CreateRun(ctx(t), r); err != nil {
				t.Fatal(err)
			}
			got, _ := s.Run(ctx(t), r.ID)
			whole, err := s.RunInputs(got)
			if err != nil || whole["trading_password"] != "802913" || got.Inputs["trading_password"] != "***" {
				t.Fatalf("inputs shown %v, whole %v (%v)", got.Inputs, whole, err)
			}
			if _, err := s.ReopenRun(ctx(t), r.ID); !errors.Is(err, store.ErrWrongRunStatus) {
				t.Errorf("reopening a queued run: err = %v, want ErrWrongRunStatus", err)
			}
			if _, err := s.UpdateRun(ctx(t), r.ID, func(r *store.Run) error {
				r.Status, r.FailureClass = store.RunFailed, "env_unavailable"
				r.Failure = &store.RunFailure{Class: "env_unavailable", MessageZh: "账户服务不可用"}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			again, err := s.ReopenRun(ctx(t), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if again.Status != store.RunQueued || again.Failure != nil || again.FailureClass != "" || again.FinishedAt != nil {
				t.Errorf("reopened run = %s %+v %q %v", again.Status, again.Failure, again.FailureClass, again.FinishedAt)
			}
		})
	}
}

func TestRetentionDeletesOnlyOldFinishedRuns(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			old, oldRunning, fresh := newRun("a"), newRun("b"), newRun("c")
			for _, r := range []*store.Run{old, oldRunning, fresh} {
				if err := s.CreateRun(ctx(t), r); err != nil {
					t.Fatal(err)
				}
			}
			now := time.Now().UTC()
			if err := s.AddStepRecord(ctx(t), &store.StepRecord{RunID: old.ID, Step: "login", Attempt: 1, Status: "succeeded", StartedAt: now, EndedAt: now}); err != nil {
				t.Fatal(err)
			}
			longAgo := now.Add(-100 * 24 * time.Hour)
			s.DB().Table("runs").Where("id IN ?", []string{old.ID, oldRunning.ID}).Update("created_at", longAgo)
			s.DB().Table("runs").Where("id IN ?", []string{old.ID, fresh.ID}).Update("status", store.RunSucceeded)
			s.DB().Table("runs").Where("id = ?", oldRunning.ID).Update("status", store.RunRunning)
			n, err := s.DeleteFinishedRunsBefore(ctx(t), now.Add(-90*24*time.Hour))
			if err != nil || n != 1 {
				t.Fatalf("deleted %d, %v; want 1", n, err)
			}
			if _, err := s.Run(ctx(t), old.ID); !errors.Is(err, store.ErrNotFound) {
				t.Error("old finished run kept")
			}
			if recs, _ := s.StepRecords(ctx(t), old.ID); len(recs) != 0 {
				t.Error("old run's step records kept")
			}
			for _, keep := range []string{oldRunning.ID, fresh.ID} {
				if _, err := s.Run(ctx(t), keep); err != nil {
					t.Errorf("run %s removed: %v", keep, err)
				}
			}
		})
	}
}

func TestBatchRecordedWholeWithProgress(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			var runs []*store.Run
			for range 5 {
				runs = append(runs, newRun("standard-account"))
			}
			b := &store.Batch{Workflow: "standard-account", Environment: "uat-sim", RequestedBy: 1, Source: "api"}
			if err := s.CreateBatch(ctx(t), b, runs); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{runs[0].ID, runs[1].ID} {
				if _, err := s.UpdateRun(ctx(t), id, func(r *store.Run) error { r.Status = store.RunSucceeded; return nil }); err != nil {
					t.Fatal(err)
				}
			}
			p, err := s.BatchProgress(ctx(t), b.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Batch.Size != 5 || p.ByStatus[store.RunSucceeded] != 2 || p.ByStatus[store.RunQueued] != 3 || p.Done() {
				t.Errorf("progress = %+v", p)
			}
			listed, _ := s.Runs(ctx(t), store.RunFilter{BatchID: b.ID})
			if len(listed) != 5 {
				t.Errorf("runs of batch = %d", len(listed))
			}
		})
	}
}

func TestRunsByLabelAndTime(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			a, b, c := newRun("w"), newRun("w"), newRun("w")
			a.Labels, b.Labels, c.Labels = []string{"ci", "bug_1"}, []string{"ci-nightly"}, []string{"bug%1"}
			for _, r := range []*store.Run{a, b, c} {
				if err := s.CreateRun(ctx(t), r); err != nil {
					t.Fatal(err)
				}
			}
			for label, want := range map[string]string{"ci": a.ID, "bug_1": a.ID, "bug%1": c.ID, "ci-nightly": b.ID} {
				got, err := s.Runs(ctx(t), store.RunFilter{Label: label})
				if err != nil || len(got) != 1 || got[0].ID != want {
					t.Errorf("label %q: %v, %v; want only %s", label, runIDs(got), err, want)
				}
			}
			if got, _ := s.Runs(ctx(t), store.RunFilter{Since: time.Now().Add(time.Hour)}); len(got) != 0 {
				t.Errorf("runs since an hour from now: %v", runIDs(got))
			}
			if got, _ := s.Runs(ctx(t), store.RunFilter{Since: time.Now().Add(-time.Hour), Until: time.Now().Add(time.Minute)}); len(got) != 3 {
				t.Errorf("runs within the last hour: %v", runIDs(got))
			}
		})
	}
}
