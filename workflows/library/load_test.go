package library

import (
	"slices"
	"testing"

	"github.com/zaoshu/zaoshu/workflows"
)

// TestLibraryLoads loads every file of the library, fragments included, the
// way zaoshu validate does: one diagnostic fails the test and is printed like
// a compiler would.
func TestLibraryLoads(t *testing.T) {
	t.Parallel()
	defs, diags := workflows.LoadPaths(".")
	if len(diags) > 0 {
		t.Fatalf("the library does not load cleanly:\n%s", diags.Format("en"))
	}
	var workflowNames []string
	for _, def := range defs {
		if def.Kind == workflows.KindWorkflow {
			workflowNames = append(workflowNames, def.Name)
			if def.Title.Zh == "" || def.Title.En == "" {
				t.Errorf("%s has no title in both languages", def.Name)
			}
			for _, in := range def.Inputs {
				if in.Title.Zh == "" || in.Title.En == "" {
					t.Errorf("%s: input %s has no title in both languages", def.Name, in.Name)
				}
			}
			for _, g := range def.Groups {
				if g.Title.Zh == "" || g.Title.En == "" {
					t.Errorf("%s: group %s has no title in both languages", def.Name, g.ID)
				}
			}
		}
	}
	slices.Sort(workflowNames)
	want := []string{"bind-auxiliary-bank", "change-risk-level", "close-account", "complex-account", "deposit-funds", "sign-agreements", "standard-account"}
	if !slices.Equal(workflowNames, want) {
		t.Errorf("workflows = %v, want %v", workflowNames, want)
	}
}

// TestEmbeddedLibrary loads the embedded copy the platform uses: the same
// workflows at the same revisions as the files beside this test.
func TestEmbeddedLibrary(t *testing.T) {
	t.Parallel()
	onDisk, diags := workflows.NewLoader(".").LoadDir(".")
	if len(diags) > 0 {
		t.Fatalf("disk: %s", diags.Format("en"))
	}
	embedded, diags := workflows.NewFSLoader(FS).LoadDir(".")
	if len(diags) > 0 {
		t.Fatalf("embedded: %s", diags.Format("en"))
	}
	revisions := func(defs []*workflows.Definition) map[string]string {
		out := map[string]string{}
		for _, d := range defs {
			out[d.Name] = d.Revision
		}
		return out
	}
	disk, emb := revisions(onDisk), revisions(embedded)
	if len(disk) != len(emb) {
		t.Errorf("%d files on disk, %d embedded", len(disk), len(emb))
	}
	for name, rev := range disk {
		if emb[name] != rev {
			t.Errorf("%s: embedded revision %.12s, on disk %.12s", name, emb[name], rev)
		}
	}
}
