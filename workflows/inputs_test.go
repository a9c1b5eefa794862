package workflows

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/zaoshu/zaoshu/workflows/fake"
	"github.com/zaoshu/zaoshu/workflows/format"
)

const formFlow = `name: form
inputs:
  name: {type: string, title: {zh: 姓名, en: Name}, required: true, max_length: 10}
  id_number: {type: string, title: {zh: 身份证号, en: ID number}, format: cn-id-card, default: "${{ fake.cnIDCard({minAge: 25}) }}"}
  age: {type: integer, min: 16, max: 70, default: 30}
  funds: {type: number, min: 0}
  professional: {type: boolean, default: false}
  risk: {type: enum, enum: [{value: C1, title: 保守}, C2, C3, C4, C5], default: C3}
  agreements: {type: array, items: {type: string, enum: [chinext, star, st]}, default: []}
  extra: {type: object}
  code: {type: string, pattern: "^[0-9]{6}$"}
  greeting: {type: string, default: "${{ 'hello ' + inputs.name }}"}
steps:
  - id: s
    capture: {x: "1"}
`

func TestValidateInputsCoercesAndFillsDefaults(t *testing.T) {
	def := mustLoad(t, formFlow)
	got, problems := ValidateInputs(def, map[string]any{
		"name": "王五", "age": "45", "funds": "500000.5", "professional": "true",
		"risk": "C4", "agreements": "chinext, star", "extra": `{"a": 1}`, "code": "123456",
	}, fake.New(1))
	if problems != nil {
		t.Fatalf("problems: %s", problems.Format("en"))
	}
	if got["age"] != 45 || got["funds"] != 500000.5 || got["professional"] != true || got["risk"] != "C4" || got["greeting"] != "hello 王五" {
		t.Errorf("coerced = %#v", got)
	}
	if list, _ := json.Marshal(got["agreements"]); string(list) != `["chinext","star"]` {
		t.Errorf("agreements = %s", list)
	}
	id, _ := got["id_number"].(string)
	if err := format.Check("cn-id-card", id); err != nil {
		t.Errorf("generated ID %q does not validate: %v", id, err)
	}
}

func TestValidateInputsReportsEveryProblem(t *testing.T) {
	def := mustLoad(t, formFlow)
	_, problems := ValidateInputs(def, map[string]any{
		"name": " ", "age": "12", "funds": "lots", "risk": "C9", "agreements": []any{"chinext", "margin"},
		"code": "12a", "id_number": "110105194912310021", "nmae": "x",
	}, fake.New(1))
	en := problems.Format("en")
	for _, want := range []string{
		`nmae: the workflow has no input "nmae"; did you mean "name"?`,
		"name: Name is required",
		"id_number: ",
		"age: must be at least 16",
		`funds: must be a number, not "lots"`,
		"risk: must be one of C1, C2, C3, C4, C5",
		"agreements: item 2 must be one of chinext, star, st",
		"code: does not match ^[0-9]{6}$",
	} {
		if !strings.Contains(en, want) {
			t.Errorf("missing %q in:\n%s", want, en)
		}
	}
	if len(problems) != 8 {
		t.Errorf("%d problems, want 8:\n%s", len(problems), en)
	}
	zh := problems.Format("zh")
	for _, want := range []string{"name: 请填写姓名", "age: 不能小于 16", "risk: 必须是 C1, C2, C3, C4, C5 之一"} {
		if !strings.Contains(zh, want) {
			t.Errorf("missing %q in:\n%s", want, zh)
		}
	}
}

func TestExpressionFunctions(t *testing.T) {
	src := `name: fn
steps:
  - id: s
    capture:
      later: addDays('2024-02-28', 2)
      born: addYears('20240229', -30)
      formatted: formatDate('2024-03-01', 'yyyy年MM月dd日')
      path: "jsonpath({a: {b: [{c: 1}, {c: 2}]}}, '$.a.b[*].c')"
      first: "${{ jsonpath({a: {b: [{c: 1}, {c: 2}]}}, '$.a.b[0].c') }}"
      text: sprintf('%s-%03d', 'A', 7)
      id: len(uuid())
      typed: 1 + 2
`
	res, rec := runFlow(t, NewEngine(), mustLoad(t, src), &Environment{}, nil)
	if res.Status != RunSucceeded {
		t.Fatal(res.Failure)
	}
	got, _ := json.Marshal(rec.Records()[0].Captures)
	want := `{"born":"19940228","first":1,"formatted":"2024年03月01日","id":36,"later":"2024-03-01","path":[1,2],"text":"A-007","typed":3}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestTemplatesKeepTypes(t *testing.T) {
	src := `name: tpl
inputs:
  n: {type: integer, default: 5}
steps:
  - id: s
    capture: {x: "1"}
outputs:
  number: "${{ inputs.n * 2 }}"
  text: "n=${{ inputs.n }}, half=${{ inputs.n / 2 }}"
  list: ["${{ inputs.n }}", literal, 3]
  flag: true
`
	def := mustLoad(t, src)
	inputs, _ := ValidateInputs(def, nil, nil)
	res, _ := runFlow(t, NewEngine(), def, &Environment{}, inputs)
	got, _ := json.Marshal(res.Outputs)
	if want := `{"flag":true,"list":[5,"literal",3],"number":10,"text":"n=5, half=2.5"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// An empty array default stays an empty array, so expressions can map over it.
func TestEmptyArrayDefaultIsEmptyNotNil(t *testing.T) {
	def := mustLoad(t, "name: x\ninputs:\n  banks: {type: array, items: {type: string}, default: []}\nsteps:\n  - id: a\n    capture: {n: len(inputs.banks)}\n")
	in, problems := ValidateInputs(def, nil, fake.New(1))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if got, ok := in["banks"].([]any); !ok || got == nil || len(got) != 0 {
		t.Errorf("banks = %#v, want an empty, non-nil list", in["banks"])
	}
}
