package workflows

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// header is a valid start that most broken cases build on.
const header = `name: t
services: [account]
inputs:
  name: {type: string}
  risk: {enum: [C1, C2, C3], default: C3}
`

func TestLoadReportsProblemsLikeACompiler(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want []string
	}{
		{
			name: "unknown top-level key",
			yaml: header + "stpes: []\nsteps:\n  - id: a\n    request: {service: account, path: /a}\n",
			want: []string{`t.yaml:6:1: unknown key "stpes" in workflow; did you mean "steps"?`},
		},
		{
			name: "unknown step key",
			yaml: header + "steps:\n  - id: a\n    reqest: {service: account, path: /a}\n",
			want: []string{`t.yaml:8:5: unknown key "reqest" in step; did you mean "request"?`},
		},
		{
			name: "unknown request key",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a, header: {}}\n",
			want: []string{`t.yaml:8:43: unknown key "header" in request; did you mean "headers"?`},
		},
		{
			name: "needs an unknown step",
			yaml: header + "steps:\n  - id: login\n    request: {service: account, path: /a}\n  - id: b\n    needs: [logn]\n    request: {service: account, path: /b}\n",
			want: []string{`t.yaml:9:9: step b needs "logn", which does not exist; did you mean "login"?`},
		},
		{
			name: "cycle",
			yaml: header + "steps:\n  - id: a\n    needs: [b]\n    request: {service: account, path: /a}\n  - id: b\n    needs: [a]\n    request: {service: account, path: /b}\n",
			want: []string{`t.yaml:7:9: steps depend on each other in a cycle: a → b → a`},
		},
		{
			name: "unknown step in expression",
			yaml: header + "steps:\n  - id: login\n    request: {service: account, path: /a}\n    capture: {token: body.token}\n  - id: b\n    request: {service: account, path: \"/b/${{ steps.logn.token }}\"}\n",
			want: []string{`t.yaml:11:53: unknown step steps.logn; did you mean "login"?`},
		},
		{
			name: "capture the step does not declare",
			yaml: header + "steps:\n  - id: login\n    request: {service: account, path: /a}\n    capture: {token: body.token}\n  - id: b\n    request: {service: account, path: \"/b/${{ steps.login.tokn }}\"}\n",
			want: []string{`t.yaml:11:59: step login does not capture tokn (it captures: token); did you mean "token"?`},
		},
		{
			name: "unknown input",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a, json: {n: \"${{ inputs.nmae }}\"}}\n",
			want: []string{`t.yaml:8:65: unknown input inputs.nmae; did you mean "name"?`},
		},
		{
			name: "undeclared service",
			yaml: header + "steps:\n  - id: a\n    request: {service: acount, path: /a}\n",
			want: []string{`t.yaml:8:24: service "acount" is not declared in services; did you mean "account"?`},
		},
		{
			name: "expression that does not compile",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a}\n    expect: [\"status == \"]\n",
			want: []string{`t.yaml:9:23: invalid expression: unexpected token EOF`},
		},
		{
			name: "unknown function",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: \"/a/${{ uuidd() }}\"}\n",
			want: []string{`t.yaml:8:47: unknown name uuidd; did you mean "uuid"?`},
		},
		{
			name: "response only in expect, capture, poll",
			yaml: header + "steps:\n  - id: a\n    when: body.ok\n    request: {service: account, path: /a}\n",
			want: []string{`t.yaml:8:11: body is not available in when`},
		},
		{
			name: "bad duration",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a}\n    retry: {attempts: 3, backoff: 5 seconds}\n",
			want: []string{`t.yaml:9:35: backoff is not a valid duration: "5 seconds" (e.g. 500ms, 3s, 2m)`},
		},
		{
			name: "bad enum default",
			yaml: "name: t\ninputs:\n  risk: {enum: [C1, C2, C3], default: C6}\nsteps:\n  - id: a\n    capture: {x: \"1\"}\n",
			want: []string{`t.yaml:3:39: the default does not fit input risk: must be one of C1, C2, C3; did you mean "C1"?`},
		},
		{
			name: "unknown failure class",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a}\n    retry: {on: [env_unavailabel]}\n",
			want: []string{`t.yaml:9:18: unknown failure class "env_unavailabel" (one of env_unavailable, business_rejected, assertion_failed, workflow_error, platform_error); did you mean "env_unavailable"?`},
		},
		{
			name: "own captures",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a}\n    capture: {x: steps.a.x}\n",
			want: []string{`t.yaml:9:24: step a cannot refer to its own captures; use body, status and headers here`},
		},
		{
			name: "plain string that meant an expression",
			yaml: header + "steps:\n  - id: a\n    capture: {x: \"1\"}\noutputs:\n  x: steps.a.x\n",
			want: []string{`t.yaml:10:6: this is plain text, not an expression; did you mean "${{ steps.a.x }}"?`},
		},
		{
			name: "several problems at once, in file order",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a, metod: POST}\n  - id: a\n    request: {service: account, path: /b}\n",
			want: []string{
				`t.yaml:8:43: unknown key "metod" in request; did you mean "method"?`,
				`t.yaml:9:9: duplicate step id "a"`,
			},
		},
		{
			name: "default may use only earlier inputs",
			yaml: "name: t\ninputs:\n  a: {type: string, default: \"${{ inputs.b }}\"}\n  b: {type: string}\nsteps:\n  - id: s\n    capture: {x: \"1\"}\n",
			want: []string{`t.yaml:3:42: the default of input a may only use inputs declared before it; b comes later`},
		},
		{
			name: "unclosed expression",
			yaml: header + "steps:\n  - id: a\n    request: {service: account, path: /a}\n    capture: {x: \"${{ body.x\"}\n",
			want: []string{`t.yaml:9:19: ${{ is not closed with }}`},
		},
		{
			name: "step that is not a mapping",
			yaml: header + "steps:\n  - login\n",
			want: []string{`t.yaml:7:5: each step must be a mapping starting with id:`},
		},
		{
			name: "yaml syntax",
			yaml: "name: t\nsteps:\n  - id: a\n   request: x\n",
			want: []string{`t.yaml:2:1: YAML syntax error: line 2: did not find expected '-' indicator`},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			def, diags := Load("t.yaml", []byte(tc.yaml))
			if def != nil {
				t.Errorf("definition returned despite problems")
			}
			got := strings.Split(strings.TrimRight(diags.Format("en"), "\n"), "\n")
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n got: %s\nwant: %s", strings.Join(got, "\n      "), strings.Join(tc.want, "\n      "))
			}
		})
	}
}

func TestDiagnosticsInChinese(t *testing.T) {
	_, diags := Load("t.yaml", []byte(header+"steps:\n  - id: a\n    reqest: {service: account, path: /a}\n"))
	want := `t.yaml:8:5: 步骤中没有 "reqest" 这个键；是不是要写 "request"？` + "\n"
	if got := diags.Format("zh"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const signFragment = `name: custody/sign
kind: fragment
services: [custody]
inputs:
  customer: {type: string, required: true}
steps:
  - id: sign
    request: {service: custody, method: POST, path: "/sign/${{ inputs.customer }}"}
    capture: {serial: body.serial}
outputs:
  serial: "${{ steps.sign.serial }}"
`

func TestFragments(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"custody/sign.yaml": signFragment,
		"main.yaml": `name: main
steps:
  - id: a
    uses: custody/sign
    with: {customer: "c1"}
  - id: b
    capture: {s: steps.a.serial}
`,
		"typo.yaml": `name: typo
steps:
  - id: a
    uses: custody/sing
  - id: b
    uses: custody/sign
    with: {custmer: "c1"}
  - id: c
    capture: {s: steps.b.serail}
`,
		"loop/a.yaml": "name: loop/a\nkind: fragment\nsteps:\n  - id: x\n    uses: loop/b\n",
		"loop/b.yaml": "name: loop/b\nkind: fragment\nsteps:\n  - id: y\n    uses: loop/a\n",
		"cycle.yaml":  "name: cycle\nsteps:\n  - id: s\n    uses: loop/a\n",
	})
	l := NewLoader(dir)
	def, diags := l.LoadFile(filepath.Join(dir, "main.yaml"))
	if len(diags) > 0 {
		t.Fatalf("main.yaml: %s", diags.Format("en"))
	}
	if def.Steps[1].Deps[0] != "a" {
		t.Errorf("b should depend on a through steps.a.serial, deps = %v", def.Steps[1].Deps)
	}
	if def.Service("custody") == nil {
		t.Errorf("the fragment's service custody is not among the workflow's services")
	}
	if def.Fragments["custody/sign"] == nil {
		t.Errorf("fragment not recorded in Fragments")
	}
	_, diags = l.LoadFile(filepath.Join(dir, "typo.yaml"))
	want := []string{
		dir + `/typo.yaml:4:11: fragment "custody/sing" not found (looked for custody/sing.yaml under ` + dir + `); did you mean "custody/sign"?`,
		dir + `/typo.yaml:5:9: required input customer of fragment custody/sign is not given in with`,
		dir + `/typo.yaml:7:12: fragment custody/sign has no input "custmer"; did you mean "customer"?`,
		dir + `/typo.yaml:9:26: step b does not capture serail (it captures: serial); did you mean "serial"?`,
	}
	if got := strings.TrimRight(diags.Format("en"), "\n"); got != strings.Join(want, "\n") {
		t.Errorf("typo.yaml:\n got: %s\nwant: %s", got, strings.Join(want, "\n"))
	}
	_, diags = l.LoadFile(filepath.Join(dir, "cycle.yaml"))
	if got := diags.Format("en"); !strings.Contains(got, "fragments use each other in a cycle: loop/a → loop/b → loop/a") {
		t.Errorf("cycle.yaml: %s", got)
	}
}

func TestRevisionCoversFragments(t *testing.T) {
	main := "name: main\nsteps:\n  - id: a\n    uses: custody/sign\n    with: {customer: c}\n"
	dir1 := writeFiles(t, map[string]string{"custody/sign.yaml": signFragment, "main.yaml": main})
	dir2 := writeFiles(t, map[string]string{"custody/sign.yaml": signFragment + "# changed\n", "main.yaml": main})
	d1, diags := NewLoader(dir1).LoadFile(filepath.Join(dir1, "main.yaml"))
	if diags != nil {
		t.Fatal(diags)
	}
	d2, diags := NewLoader(dir2).LoadFile(filepath.Join(dir2, "main.yaml"))
	if diags != nil {
		t.Fatal(diags)
	}
	if d1.Revision == d2.Revision || len(d1.Revision) != 64 {
		t.Errorf("revisions %s and %s should differ when a fragment changes", d1.Revision, d2.Revision)
	}
}

func TestLoadDirReportsEveryFile(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"good.yaml":  "name: good\nsteps:\n  - id: a\n    capture: {x: \"1\"}\n",
		"bad/b.yaml": "name: b\nsteps:\n  - id: a\n    captur: {x: \"1\"}\n",
	})
	defs, diags := NewLoader(dir).LoadDir(dir)
	if len(defs) != 1 || defs[0].Name != "good" {
		t.Errorf("defs = %v, want only good", defs)
	}
	if len(diags) != 1 || diags[0].File != filepath.Join(dir, "bad/b.yaml") || diags[0].Suggestion != "capture" {
		t.Errorf("diags = %v", diags)
	}
}

func TestRecursiveAndExplodingAliases(t *testing.T) {
	_, diags := Load("a.yaml", []byte("name: a\nsteps:\n  - id: s\n    capture: {x: \"1\"}\noutputs: &o\n  x: *o\n"))
	if got := diags.Format("en"); got != "a.yaml:6:6: YAML alias *o refers to something that contains it\n" {
		t.Errorf("got %q", got)
	}
	var b strings.Builder
	b.WriteString("name: a\nl0: &l0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 8; i++ {
		fmt.Fprintf(&b, "l%d: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	_, diags = Load("b.yaml", []byte(b.String()))
	if len(diags) != 1 || !strings.Contains(diags[0].Message.En, "too large once YAML aliases are expanded") {
		t.Errorf("got %v", diags)
	}
}

func TestLoadPaths(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"custody/inner.yaml": signFragment,
		"custody/outer.yaml": "name: custody/outer\nkind: fragment\nsteps:\n  - id: x\n    uses: custody/inner\n    with: {customer: c}\n",
		"main.yaml":          "name: main\nsteps:\n  - id: a\n    uses: custody/outer\n",
		"broken.yaml":        "name: broken\nsteps:\n  - id: a\n    uses: custody/nope\n",
	})
	// a fragment given on its own finds its siblings from where its name puts it
	defs, diags := LoadPaths(filepath.Join(dir, "custody/outer.yaml"), filepath.Join(dir, "main.yaml"))
	if diags != nil || len(defs) != 2 {
		t.Fatalf("defs %d, diags %s", len(defs), diags.Format("en"))
	}
	defs, diags = LoadPaths(dir, filepath.Join(dir, "missing.yaml"))
	if len(defs) != 4-1 {
		t.Errorf("%d definitions, want 3 (all but broken)", len(defs))
	}
	got := diags.Format("en")
	if len(diags) != 2 || !strings.Contains(got, `broken.yaml:4:11: fragment "custody/nope" not found`) || !strings.Contains(got, "missing.yaml:1:1: cannot read") {
		t.Errorf("diagnostics:\n%s", got)
	}
}

func TestTestdataLoads(t *testing.T) {
	defs, diags := NewLoader("testdata").LoadDir("testdata")
	if diags != nil {
		t.Fatal(diags.Format("en"))
	}
	byName := map[string]*Definition{}
	for _, d := range defs {
		byName[d.Name] = d
	}
	acc := byName["standard-account"]
	if acc == nil || byName["fragments/sign"] == nil {
		t.Fatalf("loaded %v", byName)
	}
	risk := acc.Input("risk_level")
	if v, ok := risk.StaticDefault(); !ok || v != "C3" || risk.Type != TypeEnum {
		t.Errorf("risk_level default %v %v type %s", v, ok, risk.Type)
	}
	if acc.Inputs[0].Group != "basic" || acc.Groups[0].Title.En != "Basics" {
		t.Errorf("groups not carried to inputs")
	}
}

func TestBrokenFragmentIsReportedOnce(t *testing.T) {
	dir := writeFiles(t, map[string]string{
		"f/bad.yaml": "name: f/bad\nkind: fragment\nsteps:\n  - id: s\n    captur: {x: \"1\"}\noutputs:\n  v: \"${{ steps.s.x }}\"\n",
		"main.yaml":  "name: main\nsteps:\n  - id: a\n    uses: f/bad\n  - id: b\n    uses: f/bad\n  - id: c\n    capture: {v: steps.a.v}\n",
	})
	_, diags := NewLoader(dir).LoadFile(filepath.Join(dir, "main.yaml"))
	got := diags.Format("en")
	if len(diags) != 2 || !strings.Contains(got, `bad.yaml:5:5: unknown key "captur" in step; did you mean "capture"?`) || !strings.Contains(got, "bad.yaml:7:19: step s does not capture x") {
		t.Errorf("diagnostics:\n%s", got)
	}
}
