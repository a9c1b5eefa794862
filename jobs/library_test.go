package jobs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store/storetest"
	"github.com/zaoshu/zaoshu/workflows/library"
)

const savedWorkflow = `name: login-only
title: {zh: 只登录, en: Log in only}
steps:
  - id: login
    uses: account/login
`

// A workflow saved through the API uses the bundled fragments, is offered
// at once, and again after a restart; its revision reloads from the store.
func TestLibrarySaveAndReload(t *testing.T) {
	ctx := context.Background()
	st := storetest.Open(t, storetest.Database{Name: "sqlite", URL: storetest.SQLiteURL(t)})
	lib := jobs.NewLibrary(st)
	if _, err := lib.LoadFS(ctx, library.FS); err != nil {
		t.Fatal(err)
	}
	_, diags, err := lib.Save(ctx, "login-only.yaml", []byte(strings.Replace(savedWorkflow, "account/login", "account/logn", 1)), library.FS)
	if err != nil || len(diags) == 0 || !strings.Contains(diags.Format("en"), "login-only.yaml:5:") {
		t.Fatalf("broken workflow: %v %v", diags, err)
	}
	if _, err := lib.Workflow("login-only"); err == nil {
		t.Fatal("a workflow with problems was offered")
	}
	def, diags, err := lib.Save(ctx, "login-only.yaml", []byte(savedWorkflow), library.FS)
	if err != nil || len(diags) > 0 {
		t.Fatalf("save: %v %v", diags, err)
	}
	if got, err := lib.Workflow("login-only"); err != nil || got.Revision != def.Revision {
		t.Fatalf("offered = %v, %v", got, err)
	}

	restarted := jobs.NewLibrary(st)
	if err := restarted.LoadSaved(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := restarted.Workflow("login-only")
	if err != nil || got.Revision != def.Revision || len(got.Sources()) < 2 {
		t.Fatalf("after restart = %v, %v", got, err)
	}
	if _, err := jobs.NewLibrary(st).Revision(ctx, def.Revision); err != nil {
		t.Errorf("revision not reloadable from the store: %v", err)
	}
}
