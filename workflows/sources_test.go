package workflows

import (
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

// libraryFiles is a small library: a workflow using a fragment that uses
// another fragment, and a broken workflow.
var libraryFiles = map[string]string{
	"standard.yaml": `name: standard
services: [account]
steps:
  - id: login
    uses: account/login
  - id: open
    request: {service: account, method: POST, path: /open, headers: {Authorization: "${{ steps.login.token }}"}}
`,
	"account/login.yaml": `name: account/login
kind: fragment
services: [account]
steps:
  - id: session
    uses: account/session
  - id: token
    request: {service: account, method: POST, path: "/login/${{ steps.session.id }}"}
    capture: {token: body.token}
outputs:
  token: "${{ steps.token.token }}"
`,
	"account/session.yaml": `name: account/session
kind: fragment
services: [account]
steps:
  - id: new
    request: {service: account, path: /session}
    capture: {id: body.id}
outputs:
  id: "${{ steps.new.id }}"
`,
	"broken/typo.yaml": `name: broken/typo
steps:
  - id: a
    uses: account/logn
  - id: b
    captur: {x: "1"}
`,
}

func mapFS(files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{}
	for name, content := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(content)}
	}
	return fsys
}

// stepPaths lists every step of def with the fragment steps under it.
func stepPaths(def *Definition) []string {
	var out []string
	var walk func(prefix string, steps []*Step)
	walk = func(prefix string, steps []*Step) {
		for _, st := range steps {
			out = append(out, prefix+st.ID)
			if st.Fragment != nil {
				walk(prefix+st.ID+"/", st.Fragment.Steps)
			}
		}
	}
	walk("", def.Steps)
	walk("finally:", def.Finally)
	return out
}

func TestFSLoaderLoadsLikeTheDisk(t *testing.T) {
	fsys := mapFS(libraryFiles)
	l := NewFSLoader(fsys)
	def, diags := l.LoadFile("standard.yaml")
	if diags != nil {
		t.Fatal(diags.Format("en"))
	}
	if def.File != "standard.yaml" || def.Fragments["account/login"].File != "account/login.yaml" || def.Fragments["account/session"].File != "account/session.yaml" {
		t.Errorf("files: %s, fragments %v", def.File, def.Fragments)
	}
	if got := strings.Join(stepPaths(def), " "); got != "login login/session login/session/new login/token open" {
		t.Errorf("steps: %s", got)
	}

	dir := writeFiles(t, libraryFiles)
	onDisk, diags := NewLoader(dir).LoadFile(filepath.Join(dir, "standard.yaml"))
	if diags != nil {
		t.Fatal(diags.Format("en"))
	}
	if def.Revision != onDisk.Revision {
		t.Errorf("the same files have revision %s in an FS and %s on disk", def.Revision, onDisk.Revision)
	}

	defs, diags := l.LoadDir(".")
	var names []string
	for _, d := range defs {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	if got := strings.Join(names, " "); got != "account/login account/session standard" {
		t.Errorf("LoadDir loaded %s", got)
	}
	want := `broken/typo.yaml:4:11: fragment "account/logn" not found (looked for account/logn.yaml under .); did you mean "account/login"?
broken/typo.yaml:6:5: unknown key "captur" in step; did you mean "capture"?
`
	if got := diags.Format("en"); got != want {
		t.Errorf("diagnostics name the FS paths:\n got: %s\nwant: %s", got, want)
	}
	if _, diags := l.LoadFile("missing.yaml"); len(diags) != 1 || !strings.HasPrefix(diags[0].String(), "missing.yaml:1:1: cannot read file: open missing.yaml") {
		t.Errorf("missing file: %v", diags)
	}
}

func TestFSLoaderOverTestdata(t *testing.T) {
	defs, diags := NewFSLoader(os.DirFS("testdata")).LoadDir(".")
	if diags != nil {
		t.Fatal(diags.Format("en"))
	}
	files := map[string]string{}
	for _, d := range defs {
		files[d.Name] = d.File
	}
	if files["standard-account"] != "account.yaml" || files["fragments/sign"] != "fragments/sign.yaml" {
		t.Errorf("loaded %v", files)
	}
}

func TestSourcesReloadTheSameRevision(t *testing.T) {
	dir := writeFiles(t, libraryFiles)
	fsys := mapFS(libraryFiles)
	cases := []struct {
		name string
		load func() (*Definition, Diagnostics)
		// wantEntry is SourcePath; wantKeys are all of Sources.
		wantEntry string
		wantKeys  []string
	}{
		{"FS loader", func() (*Definition, Diagnostics) { return NewFSLoader(fsys).LoadFile("standard.yaml") },
			"standard.yaml", []string{"account/login.yaml", "account/session.yaml", "standard.yaml"}},
		{"disk loader", func() (*Definition, Diagnostics) {
			return NewLoader(dir).LoadFile(filepath.Join(dir, "standard.yaml"))
		}, "standard.yaml", []string{"account/login.yaml", "account/session.yaml", "standard.yaml"}},
		{"a fragment given on its own", func() (*Definition, Diagnostics) {
			return NewLoader(filepath.Join(dir, "account")).LoadFile(filepath.Join(dir, "account", "login.yaml"))
		}, "account/login.yaml", []string{"account/login.yaml", "account/session.yaml"}},
		{"text given under another name", func() (*Definition, Diagnostics) {
			return NewLoader(dir).Load("docs/example.md", []byte(libraryFiles["standard.yaml"]))
		}, "example.md", []string{"account/login.yaml", "account/session.yaml", "example.md"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def, diags := tc.load()
			if diags != nil {
				t.Fatal(diags.Format("en"))
			}
			sources := def.Sources()
			if def.SourcePath() != tc.wantEntry || !reflect.DeepEqual(keys(sources), tc.wantKeys) {
				t.Errorf("sources %v with entry %q, want %v with entry %q", keys(sources), def.SourcePath(), tc.wantKeys, tc.wantEntry)
			}
			for _, name := range tc.wantKeys {
				want, ok := libraryFiles[name]
				if !ok { // the text given as docs/example.md
					want = libraryFiles["standard.yaml"]
				}
				if string(sources[name]) != want {
					t.Errorf("sources[%s] = %q, want the bytes loaded: %q", name, sources[name], want)
				}
			}
			again, diags := LoadSources(def.SourcePath(), sources)
			if diags != nil {
				t.Fatalf("reload: %s", diags.Format("en"))
			}
			if again.Revision != def.Revision {
				t.Errorf("reloaded revision %s, want %s", again.Revision, def.Revision)
			}
			if got, want := stepPaths(again), stepPaths(def); !reflect.DeepEqual(got, want) {
				t.Errorf("reloaded steps %v, want %v", got, want)
			}
			if !reflect.DeepEqual(again.Sources(), sources) {
				t.Errorf("reloaded sources %v, want %v", keys(again.Sources()), keys(sources))
			}

			changed := def.Sources()
			changed["account/session.yaml"] = append(changed["account/session.yaml"], ' ')
			other, diags := LoadSources(def.SourcePath(), changed)
			if diags != nil {
				t.Fatalf("reload with a changed fragment: %s", diags.Format("en"))
			}
			if other.Revision == def.Revision {
				t.Error("one byte more in a fragment did not change the revision")
			}
		})
	}
}

func TestLoadSourcesReportsMissingFiles(t *testing.T) {
	def, diags := NewFSLoader(mapFS(libraryFiles)).LoadFile("standard.yaml")
	if diags != nil {
		t.Fatal(diags.Format("en"))
	}
	sources := def.Sources()
	sources["standard.yaml"][0] = 'X' // Sources is a copy: the definition keeps its bytes
	if !strings.HasPrefix(string(def.Sources()["standard.yaml"]), "name:") {
		t.Fatal("changing what Sources returned changed the definition")
	}
	sources = def.Sources()
	delete(sources, "account/session.yaml")
	_, diags = LoadSources("standard.yaml", sources)
	if got := diags.Format("en"); !strings.HasPrefix(got, `account/login.yaml:6:11: fragment "account/session" not found`) {
		t.Errorf("diagnostics: %s", got)
	}
}

func keys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
