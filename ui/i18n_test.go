package ui

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/workflows"
)

// TestEveryWordInBothLanguages finds every message key the templates and
// handlers use and checks it exists with Chinese and English text.
func TestEveryWordInBothLanguages(t *testing.T) {
	used := map[string]bool{}
	keyInTemplate := regexp.MustCompile(`\bT "([a-z_.0-9]+)"`)
	err := fs.WalkDir(assets, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(assets, path)
		for _, m := range keyInTemplate.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	keyInGo := regexp.MustCompile(`(?:translate\([a-z()]+, |\bv\.T\(|\bt\()"([a-z_.0-9]+)"`)
	gos, _ := filepath.Glob("*.go")
	for _, f := range gos {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyInGo.FindAllStringSubmatch(string(b), -1) {
			used[m[1]] = true
		}
	}
	// Keys built at run time.
	for _, s := range []store.RunStatus{store.RunQueued, store.RunRunning, store.RunWaitingEnv, store.RunSucceeded, store.RunFailed, store.RunCancelled} {
		used["status."+string(s)] = true
	}
	for _, s := range []workflows.StepStatus{workflows.StepSucceeded, workflows.StepFailed, workflows.StepSkipped, workflows.StepCancelled} {
		used["status."+string(s)] = true
	}
	for _, c := range []workflows.Class{workflows.ClassEnvUnavailable, workflows.ClassBusinessRejected, workflows.ClassAssertionFailed, workflows.ClassWorkflowError, workflows.ClassPlatformError} {
		used["class."+string(c)] = true
	}
	for _, s := range []string{"up", "down", "unknown"} {
		used["envs."+s] = true
	}
	delete(used, "status.")
	delete(used, "class.")
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use; the scan is broken", len(used))
	}
	for key := range used {
		m, ok := messages[key]
		if !ok {
			t.Errorf("message %q is used but not defined", key)
			continue
		}
		if m[0] == "" || m[1] == "" {
			t.Errorf("message %q lacks a language: %q", key, m)
		}
		if strings.Count(m[0], "%") != strings.Count(m[1], "%") {
			t.Errorf("message %q has different placeholders: %q", key, m)
		}
	}
}

func TestTranslateFallsBackToTheKey(t *testing.T) {
	if got := translate("en", "no.such.key"); got != "no.such.key" {
		t.Errorf("unknown key = %q, want the key itself", got)
	}
	if got := translate("zh", "run.title", "r1"); got != "构建 r1" {
		t.Errorf("zh = %q", got)
	}
	if got := translate("en", "run.title", "r1"); got != "Run r1" {
		t.Errorf("en = %q", got)
	}
}
