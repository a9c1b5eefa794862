package jobs

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"sync"
	"testing/fstest"

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

// Where revisions come from.
const (
	OriginFiles = "files" // the bundled library or ZAOSHU_WORKFLOWS_DIR
	OriginAPI   = "api"   // saved through the API or the web UI
)

// Add offers a loaded workflow under its name and keeps its revision.
func (l *Library) Add(ctx context.Context, d *workflows.Definition) error {
	return l.add(ctx, d, OriginFiles)
}

func (l *Library) add(ctx context.Context, d *workflows.Definition, origin string) error {
	sources := map[string]string{}
	for path, b := range d.Sources() {
		sources[path] = string(b)
	}
	rev := &store.WorkflowRevision{Revision: d.Revision, Workflow: d.Name, Entry: d.SourcePath(), Origin: origin, Sources: sources}
	if err := l.store.SaveWorkflowRevision(ctx, rev); err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.latest[d.Name] = d
	l.revs[d.Revision] = d
	return nil
}

// Save checks a workflow file as zaoshu validate does — its fragments come
// from fragments, e.g. the bundled library — and, if it has no problem,
// offers it as the current revision of its name, kept so every later start
// offers it again. A file with problems changes nothing.
func (l *Library) Save(ctx context.Context, file string, data []byte, fragments fs.FS) (*workflows.Definition, workflows.Diagnostics, error) {
	def, diags := workflows.NewFSLoader(overlay{file: file, data: data, base: fragments}).LoadFile(file)
	if len(diags) > 0 {
		return nil, diags, nil
	}
	if def.Kind != workflows.KindWorkflow {
		return nil, workflows.Diagnostics{{File: file, Line: 1, Col: 1, Message: workflows.Text{
			Zh: "这是片段（fragment），只能被工作流使用，不能单独保存为工作流", En: "this is a fragment: only workflows use it; it cannot be saved as a workflow"}}}, nil
	}
	return def, nil, l.add(ctx, def, OriginAPI)
}

// LoadSaved offers again the workflows saved through the API, newest
// revision of each; they replace files of the same name.
func (l *Library) LoadSaved(ctx context.Context) error {
	revs, err := l.store.LatestRevisions(ctx, OriginAPI)
	if err != nil {
		return err
	}
	for _, r := range revs {
		d, err := l.Revision(ctx, r.Revision)
		if err != nil {
			return err
		}
		l.mu.Lock()
		l.latest[d.Name] = d
		l.mu.Unlock()
	}
	return nil
}

// overlay is fragments with one more file on top.
type overlay struct {
	file string
	data []byte
	base fs.FS
}

func (o overlay) Open(name string) (fs.File, error) {
	if name == o.file {
		return fstest.MapFS{o.file: {Data: o.data}}.Open(name)
	}
	if o.base == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.base.Open(name)
}

// Workflow returns the current definition of a workflow; ErrWorkflowNotFound
// (with the closest name, if any) when there is none.
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
		return nil, fmt.Errorf("%w: %q; did you mean %q?", ErrWorkflowNotFound, name, best)
	}
	return nil, fmt.Errorf("%w: %q", ErrWorkflowNotFound, name)
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
