package store_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/store/storetest"
)

func TestWorkflowRevisionsKeptExactly(t *testing.T) {
	for _, db := range storetest.Databases(t) {
		t.Run(db.Name, func(t *testing.T) {
			s := storetest.Open(t, db)
			big := strings.Repeat("# 注释 comment line\n", 5000) // larger than MySQL's TEXT
			rev := &store.WorkflowRevision{Revision: strings.Repeat("a", 64), Workflow: "standard-account", Entry: "standard-account.yaml",
				Sources: map[string]string{"standard-account.yaml": "name: standard-account\n" + big, "account/login.yaml": "name: login\n"}}
			if err := s.SaveWorkflowRevision(ctx(t), rev); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveWorkflowRevision(ctx(t), rev); err != nil {
				t.Fatalf("saving the same revision again: %v", err)
			}
			got, err := s.WorkflowRevision(ctx(t), rev.Revision)
			if err != nil {
				t.Fatal(err)
			}
			if got.Sources["standard-account.yaml"] != rev.Sources["standard-account.yaml"] || got.Sources["account/login.yaml"] != "name: login\n" {
				t.Error("sources changed on the way through the database")
			}
			list, _ := s.WorkflowRevisions(ctx(t), "standard-account")
			if len(list) != 1 || list[0].Revision != rev.Revision {
				t.Errorf("revisions = %+v", list)
			}
			if _, err := s.WorkflowRevision(ctx(t), strings.Repeat("b", 64)); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("unknown revision: %v", err)
			}
		})
	}
}
