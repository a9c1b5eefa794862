package jobs

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/agnivade/levenshtein"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// Library holds the workflows the platform offers — the bundled ones and a
// directory of the operator's — and keeps in the store the exact text of
// every revision it hands out, so a run can always be resumed or retried on
// what it started with.
type Library struct {
	store  *store.Store
	mu     sync.RWMutex
	latest map[string]*workflows.Definition
	revs   map[string]*workflows.Definition
}

// NewLibrary makes an empty library keeping revisions in st.
func NewLibrary(st *store.Store) *Library {
	return &Library{store: st, latest: map[string]*workflows.Definition{}, revs: map[string]*workflows.Definition{}}
}

// LoadFS loads every workflow under fsys; a later load of the same name
// replaces the earlier (an operator's directory overrides the bundled
// library). Workflows with problems are left out and their diagnostics
// returned.
func (l *Library) LoadFS(ctx context.Context, fsys fs.FS) (workflows.Diagnostics, error) {
	defs, diags := workflows.NewFSLoader(fsys).LoadDir(".")
	for _, d := range defs {
		if d.Kind != workflows.KindWorkflow {
			continue
		}
		if err := l.Add(ctx, d); err != nil {
			return diags, err
		}
	}
	return diags, nil
}

// Add offers a loaded workflow under its name and keeps its revision.
func (l *Library) Add(ctx context.Context, d *workflows.Definition) error {
	sources := map[string]string{}
	for path, b := range d.Sources() {
		sources[path] = string(b)
	}
	if err := l.store.SaveWorkflowRevision(ctx, &store.WorkflowRevision{Revision: d.Revision, Workflow: d.Name, Entry: d.File, Sources: sources}); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latest[d.Name] = d
	l.revs[d.Revision] = d
	return nil
}

// Workflow returns the current definition of a workflow.
func (l *Library) Workflow(name string) (*workflows.Definition, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if d, ok := l.latest[name]; ok {
		return d, nil
	}
	best, bestDist := "", 4
	for n := range l.latest {
		if dist := levenshtein.ComputeDistance(name, n); dist < bestDist {
			best, bestDist = n, dist
		}
	}
	if best != "" {
		return nil, fmt.Errorf("no workflow %q; did you mean %q?", name, best)
	}
	return nil, fmt.Errorf("no workflow %q", name)
}

// Workflows lists the current workflows by name.
func (l *Library) Workflows() []*workflows.Definition {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]*workflows.Definition, 0, len(l.latest))
	for _, d := range l.latest {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Revision returns exactly the definition of a revision, from memory or
// reloaded from the text kept in the store.
func (l *Library) Revision(ctx context.Context, revision string) (*workflows.Definition, error) {
	l.mu.RLock()
	d, ok := l.revs[revision]
	l.mu.RUnlock()
	if ok {
		return d, nil
	}
	rec, err := l.store.WorkflowRevision(ctx, revision)
	if err != nil {
		return nil, err
	}
	sources := map[string][]byte{}
	for path, s := range rec.Sources {
		sources[path] = []byte(s)
	}
	d, diags := workflows.LoadSources(rec.Entry, sources)
	if len(diags) > 0 {
		return nil, fmt.Errorf("reload revision %s of %s: %w", revision, rec.Workflow, diags.Err())
	}
	if d.Revision != revision {
		return nil, fmt.Errorf("reload revision %s of %s: got revision %s", revision, rec.Workflow, d.Revision)
	}
	l.mu.Lock()
	l.revs[revision] = d
	l.mu.Unlock()
	return d, nil
}
