package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// ciDocBlocks returns the sh blocks of docs/ci.md's marked examples section.
func ciDocBlocks(t *testing.T) []string {
	t.Helper()
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(doc), "<!-- ci-examples:")
	section, _, ok2 := strings.Cut(section, "<!-- ci-examples-end -->")
	if !ok || !ok2 {
		t.Fatal("docs/ci.md has no <!-- ci-examples: … <!-- ci-examples-end --> section")
	}
	var blocks []string
	for _, m := range regexp.MustCompile("(?ms)^```sh\n(.*?)^```$").FindAllStringSubmatch(section, -1) {
		blocks = append(blocks, m[1])
	}
	return blocks
}

// The copy-paste CI examples of docs/ci.md, run with bash exactly as written
// against a live all-in-one server: they build an account and leave its
// outputs in account.json, and fail the job when the server refuses.
func TestCIDocExamples(t *testing.T) {
	blocks := ciDocBlocks(t)
	if len(blocks) != 2 {
		t.Fatalf("docs/ci.md's examples section has %d sh blocks, want 2 (curl + jq, CLI)", len(blocks))
	}
	for _, tool := range []string{"bash", "curl", "jq"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed to run the docs' examples (.ci/run installs jq): %v", tool, err)
		}
	}
	// zaoshu on PATH is this test binary acting as the program.
	bin := t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\nexec env %s=1 %q \"$@\"\n", runAsMain, os.Args[0])
	if err := os.WriteFile(filepath.Join(bin, "zaoshu"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	p := start(t, t.TempDir(), nil)

	for i, block := range blocks {
		name := []string{"curl", "cli"}[i]
		script := filepath.Join(t.TempDir(), name+".sh")
		if err := os.WriteFile(script, []byte(block), 0o644); err != nil {
			t.Fatal(err)
		}
		runScript := func(t *testing.T, token string) (string, string, error) {
			dir := t.TempDir()
			cmd := exec.Command("bash", script)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
				"ZAOSHU_SERVER="+p.url, "ZAOSHU_TOKEN="+token, fmt.Sprintf("CI_PIPELINE_ID=%s-%d", name, time.Now().UnixNano()))
			out, err := cmd.CombinedOutput()
			return dir, string(out), err
		}
		t.Run(name+" builds", func(t *testing.T) {
			dir, out, err := runScript(t, p.token())
			if err != nil {
				t.Fatalf("the example failed: %v\n%s", err, out)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "account.json"))
			if err != nil {
				t.Fatalf("no account.json: %v\n%s", err, out)
			}
			var account map[string]any
			if err := json.Unmarshal(raw, &account); err != nil || account["name"] != "张三" || account["customer_code"] == nil || account["customer_code"] == "" {
				t.Errorf("account.json = %s (%v), want the outputs of a standard account for 张三", raw, err)
			}
			if !strings.Contains(out, fmt.Sprintf("built customer %v in run r", account["customer_code"])) {
				t.Errorf("the example does not say what it built:\n%s", out)
			}
		})
		t.Run(name+" fails the job when refused", func(t *testing.T) {
			dir, out, err := runScript(t, "zs_revoked")
			if err == nil || !strings.Contains(out, "401") {
				t.Errorf("with an unknown token: %v, want a failing exit that shows the 401\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "account.json")); err == nil {
				t.Error("account.json written although nothing was built")
			}
		})
	}
}
