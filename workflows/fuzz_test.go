package workflows

import (
	"os"
	"path/filepath"
	"testing"
)

func FuzzLoad(f *testing.F) {
	f.Add([]byte(accountFlow))
	f.Add([]byte(formFlow))
	f.Add([]byte(header + "steps:\n  - id: a\n    needs: [b]\n    request: {service: account, path: /a}\n  - id: b\n    needs: [a]\n"))
	f.Add([]byte("name: x\nsteps: [{id: a, capture: {x: \"${{ \"}}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, p := range files {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	l := NewLoader("testdata")
	f.Fuzz(func(t *testing.T, data []byte) {
		def, diags := l.Load("fuzz.yaml", data)
		if def == nil && len(diags) == 0 {
			t.Fatalf("neither a definition nor a diagnostic")
		}
		for _, d := range diags {
			if d.Line < 1 || d.Message.Zh == "" || d.Message.En == "" {
				t.Fatalf("diagnostic without a place or a message: %+v", d)
			}
		}
	})
}

func FuzzExpression(f *testing.F) {
	for _, s := range []string{
		"status == 200", "body.data.token", "sprintf(body.x, 1)", "addDays(body, 1)", "jsonpath(body, inputs.p)",
		"formatDate(body.d, 'yyyy')", "fake.cnName()", "steps.a.b[0]", "len(body) > 2 ? 'a' : 'b'", "1/0", "body[-1]",
		"let x = body; x.y", "map(body.list, # * 2)", "secret('k')", "int('abc')",
	} {
		f.Add(s)
	}
	l := NewLoader("testdata")
	f.Fuzz(func(t *testing.T, src string) {
		var diags Diagnostics
		c := &compiler{file: "fuzz.yaml", diags: &diags, options: l.options, fakeNames: l.fakeNames}
		x := c.compileExpr(src, Pos{File: "fuzz.yaml", Line: 1, Col: 1}, site{vars: varsResponse | varItem, where: "fuzz"})
		if x == nil {
			if len(diags) == 0 {
				t.Fatalf("rejected %q without a diagnostic", src)
			}
			return
		}
		r := NewEngine().newRun(RunSpec{RunID: "f", Definition: &Definition{}, Environment: &Environment{Secrets: map[string]string{"k": "v"}}, Seed: 1})
		sc := r.scope(&frame{def: &Definition{}, inputs: map[string]any{"p": "$.a"}, captures: map[string]map[string]any{"a": {"b": []any{1}}}})
		for _, body := range []any{nil, "text", 3.5, []any{1.0, "x"}, map[string]any{"data": map[string]any{"token": "t"}, "list": []any{1.0}, "x": "%d", "d": "2024-01-02"}} {
			sc.Body, sc.Status = body, 200
			_, _ = x.eval(sc)
		}
	})
}
