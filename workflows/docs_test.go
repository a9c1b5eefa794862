package workflows

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocumentedWorkflowsLoad loads every complete workflow shown in
// docs/workflows.md, so the reference never shows a workflow that does not load.
func TestDocumentedWorkflowsLoad(t *testing.T) {
	data, err := os.ReadFile("../docs/workflows.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1)
	l := NewLoader("testdata")
	loaded := 0
	for _, b := range blocks {
		src := b[1]
		body := strings.TrimLeft(regexp.MustCompile(`(?m)^#.*\n`).ReplaceAllString(src, ""), "\n")
		if !strings.HasPrefix(body, "name:") {
			continue
		}
		loaded++
		if _, diags := l.Load("docs/workflows.md", []byte(src)); diags != nil {
			t.Errorf("documented workflow does not load:\n%s\n%s", src, diags.Format("en"))
		}
	}
	if loaded < 3 {
		t.Errorf("only %d complete workflows found in the docs", loaded)
	}
}
