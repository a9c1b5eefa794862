package workflows

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"
)

// TestSchemaMatchesLoader keeps the editor schema and the loader in step: a
// key the loader accepts must be completed by editors, and the other way round.
func TestSchemaMatchesLoader(t *testing.T) {
	data, err := os.ReadFile("schema/workflow.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties  map[string]json.RawMessage `json:"properties"`
		Definitions map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			OneOf      []struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"oneOf"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatalf("schema is not valid JSON: %v", err)
	}
	keys := func(m map[string]json.RawMessage) string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	sorted := func(list []string) string {
		out := append([]string(nil), list...)
		sort.Strings(out)
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		what        string
		schema, got string
	}{
		{"workflow", keys(schema.Properties), sorted(workflowKeys)},
		{"step", keys(schema.Definitions["step"].Properties), sorted(stepKeys)},
		{"request", keys(schema.Definitions["request"].Properties), sorted(requestKeys)},
		{"input", keys(schema.Definitions["input"].OneOf[1].Properties), sorted(inputKeys)},
	} {
		if tc.schema != tc.got {
			t.Errorf("%s keys differ:\nschema: %s\nloader: %s", tc.what, tc.schema, tc.got)
		}
	}
}
