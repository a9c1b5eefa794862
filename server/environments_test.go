package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store/storetest"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "environments.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnvironmentsFileLoaded(t *testing.T) {
	t.Setenv("UAT1_OPERATOR_PASSWORD", "from-the-env")
	st := storetest.Open(t, storetest.Databases(t)[0])
	path := writeFile(t, `
environments:
  - name: uat1
    title: 一号 UAT
    concurrency: 5
    protected: true
    patience: 45m
    services:
      account: {base_url: "https://uat1.example.test/account", timeout: 10s, health: {path: /health}}
      custody: {base_url: "https://uat1.example.test/custody"}
    secrets:
      operator_password: ${UAT1_OPERATOR_PASSWORD}
`)
	names, err := loadEnvironments(context.Background(), path, st)
	if err != nil || len(names) != 1 {
		t.Fatalf("load = %v, %v", names, err)
	}
	env, err := st.Environment(context.Background(), "uat1")
	if err != nil {
		t.Fatal(err)
	}
	secrets, _ := st.Secrets(env)
	if !env.Protected || env.Concurrency != 5 || env.Patience != 45*time.Minute || env.Services["account"].Health.Path != "/health" || secrets["operator_password"] != "from-the-env" {
		t.Errorf("stored %+v secrets %v", env, secrets)
	}
}

// Every problem in the file is reported, and nothing is saved.
func TestEnvironmentsFileProblemsAllReported(t *testing.T) {
	st := storetest.Open(t, storetest.Databases(t)[0])
	path := writeFile(t, `
environments:
  - name: good
    services: {account: {base_url: "http://127.0.0.1:9090/account"}}
  - name: Bad_Name
    patience: soon
    services: {account: {base_url: "ftp://x"}}
    secrets: {password: hunter2, token: "${NOT_SET_ANYWHERE_42}"}
`)
	_, err := loadEnvironments(context.Background(), path, st)
	if err == nil {
		t.Fatal("a broken file was accepted")
	}
	for _, want := range []string{`name: "Bad_Name"`, `patience "soon"`, `base_url: "ftp://x"`, "write ${ENV_VAR}, never the value", "NOT_SET_ANYWHERE_42 is not set"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("the error repeats a secret value")
	}
	if envs, _ := st.Environments(context.Background()); len(envs) != 0 {
		t.Errorf("%d environments saved from a broken file", len(envs))
	}
	bad := writeFile(t, "environments:\n  - name: x\n    servcies: {}\n")
	if _, err := loadEnvironments(context.Background(), bad, st); err == nil || !strings.Contains(err.Error(), "servcies") {
		t.Errorf("unknown key: %v", err)
	}
}
