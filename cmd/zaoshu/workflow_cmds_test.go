package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const loginWorkflow = `name: login-check
title: {zh: 登录检查, en: Login check}
services:
  account:
    success: body.code == '0'
    message: body.message
inputs:
  who:
    type: string
    default: "${{ fake.cnName() }}"
steps:
  - id: login
    request:
      service: account
      method: POST
      path: /operator/login
      json: {operator: "${{ secrets.operator }}", password: "${{ secrets.operator_password }}"}
    capture:
      token: body.data.token
  - id: questionnaire
    request:
      service: account
      path: /risk-questionnaire
      headers: {Authorization: "Bearer ${{ steps.login.token }}"}
    capture:
      questions: len(body.data.questions)
outputs:
  who: "${{ inputs.who }}"
  questions: "${{ steps.questionnaire.questions }}"
`

func writeWorkflow(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "wf.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunBuildsAgainstTheBuiltInSimulator(t *testing.T) {
	path := writeWorkflow(t, loginWorkflow)
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", path, "--env", "uat-sim", "--set", "who=李雷", "--lang", "en", "--data-dir", t.TempDir()}, &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, &stdout, &stderr)
	}
	var out struct {
		Status  string         `json:"status"`
		Outputs map[string]any `json:"outputs"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, &stdout)
	}
	if out.Status != "succeeded" || out.Outputs["who"] != "李雷" || out.Outputs["questions"] == float64(0) {
		t.Errorf("result = %+v", out)
	}
	if !strings.Contains(stderr.String(), "login") || !strings.Contains(stderr.String(), "questionnaire") {
		t.Errorf("steps were not printed live:\n%s", &stderr)
	}
}

func TestRunRefusesBadInputBeforeAnyCall(t *testing.T) {
	path := writeWorkflow(t, loginWorkflow)
	var stdout, stderr bytes.Buffer
	code := run([]string{"run", path, "--set", "wh0=x", "--data-dir", t.TempDir()}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), `"who"`) || strings.Contains(stderr.String(), "login") {
		t.Errorf("exit %d, stderr:\n%s", code, &stderr)
	}
}

func TestValidateReportsLikeACompiler(t *testing.T) {
	path := writeWorkflow(t, strings.Replace(loginWorkflow, "steps.login.token", "steps.logn.token", 1))
	var stdout, stderr bytes.Buffer
	if code := run([]string{"validate", "--lang", "en", path}, &stdout, &stderr); code != exitFailure {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(stderr.String(), path+":24:") || !strings.Contains(stderr.String(), `did you mean "login"`) {
		t.Errorf("stderr:\n%s", &stderr)
	}
	good := writeWorkflow(t, loginWorkflow)
	stdout.Reset()
	if code := run([]string{"validate", good}, &stdout, &stderr); code != exitOK || !strings.Contains(stdout.String(), "login-check") {
		t.Errorf("valid file: exit %d, %s", code, &stdout)
	}
}
