package ui_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/store"
)

// client is a cookie-keeping HTTP client that does not follow redirects.
func client(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t *testing.T, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func csrfOf(t *testing.T, page string) string {
	t.Helper()
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no CSRF field in page:\n%.2000s", page)
	}
	return m[1]
}

func TestLoginSessionsAndCSRF(t *testing.T) {
	s := newSite(t)
	c := client(t)

	resp, _ := get(t, c, s.URL+"/runs")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous /runs = %d to %q, want a redirect to /login", resp.StatusCode, resp.Header.Get("Location"))
	}

	_, page := get(t, c, s.URL+"/login")
	token := csrfOf(t, page)
	resp, page = post(t, c, s.URL+"/login", url.Values{"csrf": {token}, "username": {"admin"}, "password": {"wrong"}})
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(page, "用户名或密码不正确") {
		t.Fatalf("wrong password = %d, want 401 saying so in Chinese", resp.StatusCode)
	}
	// Without the login page's token the form is refused.
	other := client(t)
	if resp, _ := post(t, other, s.URL+"/login", url.Values{"username": {"admin"}, "password": {s.Admin.Token}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("login without CSRF = %d, want 403", resp.StatusCode)
	}

	// First start: the bootstrap token, once, then a password must be set.
	token = csrfOf(t, page)
	resp, _ = post(t, c, s.URL+"/login", url.Values{"csrf": {token}, "username": {"admin"}, "password": {s.Admin.Token}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/password" {
		t.Fatalf("first login with the token = %d to %q, want /password", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "zaoshu_session" && (!ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode) {
			t.Errorf("session cookie %+v, want HttpOnly and SameSite=Lax", ck)
		}
	}
	if resp, _ := get(t, c, s.URL+"/runs"); resp.Header.Get("Location") != "/password" {
		t.Fatalf("before a password is set /runs goes to %q, want /password", resp.Header.Get("Location"))
	}
	_, page = get(t, c, s.URL+"/password")
	sessionCSRF := csrfOf(t, page)
	if resp, _ := post(t, c, s.URL+"/password", url.Values{"password": {"zaoshu-test-pw"}, "confirm": {"zaoshu-test-pw"}}); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("set password without CSRF = %d, want 403", resp.StatusCode)
	}
	if resp, _ := post(t, c, s.URL+"/password", url.Values{"csrf": {sessionCSRF}, "password": {"zaoshu-test-pw"}, "confirm": {"zaoshu-test-pw"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password = %d, want a redirect home", resp.StatusCode)
	}
	if resp, page := get(t, c, s.URL+"/runs"); resp.StatusCode != http.StatusOK || !strings.Contains(page, "构建记录") {
		t.Fatalf("/runs after setting the password = %d", resp.StatusCode)
	}
	if _, err := s.Store.FirstPasswordLogin(t.Context(), "admin", s.Admin.Token); err == nil {
		t.Error("the bootstrap token still logs in after a password was set")
	}

	// Logout ends the session on the server, not just in the browser.
	var sessionCookie *http.Cookie
	u, _ := url.Parse(s.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "zaoshu_session" {
			sessionCookie = ck
		}
	}
	if resp, _ := post(t, c, s.URL+"/logout", url.Values{"csrf": {sessionCSRF}}); resp.Header.Get("Location") != "/login" {
		t.Fatalf("logout went to %q", resp.Header.Get("Location"))
	}
	replay := client(t)
	replay.Jar.SetCookies(u, []*http.Cookie{sessionCookie})
	if resp, _ := get(t, replay, s.URL+"/runs"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("old session cookie after logout = %d, want a redirect to login", resp.StatusCode)
	}
}

// loginAs opens a session for a user with a password, over HTTP.
func loginAs(t *testing.T, s *site, username, password string) (*http.Client, string) {
	t.Helper()
	c := client(t)
	_, page := get(t, c, s.URL+"/login")
	resp, _ := post(t, c, s.URL+"/login", url.Values{"csrf": {csrfOf(t, page)}, "username": {username}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login as %s = %d", username, resp.StatusCode)
	}
	_, page = get(t, c, s.URL+"/tokens")
	return c, csrfOf(t, page)
}

func TestEnvironmentEditIsForAdmins(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.Store.SetPassword(ctx, s.Admin.User.ID, "admin-password"); err != nil {
		t.Fatal(err)
	}
	member := &store.User{Username: "tester", DisplayName: "测试员", Role: store.RoleMember}
	if err := s.Store.CreateUser(ctx, member); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetPassword(ctx, member.ID, "member-password"); err != nil {
		t.Fatal(err)
	}

	mc, mcsrf := loginAs(t, s, "tester", "member-password")
	if resp, _ := get(t, mc, s.URL+"/environments/uat-sim/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("member opens the environment editor: %d, want 403", resp.StatusCode)
	}
	if resp, _ := post(t, mc, s.URL+"/environments/uat-sim/edit", url.Values{"csrf": {mcsrf}, "services": {"account: {base_url: http://evil}"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("member saves an environment: %d, want 403", resp.StatusCode)
	}
	if resp, _ := get(t, mc, s.URL+"/workflows/standard-account/edit"); resp.StatusCode != http.StatusForbidden {
		t.Errorf("member opens the workflow editor: %d, want 403", resp.StatusCode)
	}

	ac, acsrf := loginAs(t, s, "admin", "admin-password")
	resp, page := get(t, ac, s.URL+"/environments/uat-sim/edit")
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "base_url") {
		t.Fatalf("admin opens the editor: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ac, s.URL+"/environments/new?name=uat-2"); resp.Header.Get("Location") != "/environments/uat-2/edit" {
		t.Errorf("new environment uat-2 goes to %q", resp.Header.Get("Location"))
	}
	if resp, _ := post(t, ac, s.URL+"/environments/Bad%20Name/edit", url.Values{"csrf": {acsrf}, "services": {"account: {base_url: http://x}"}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("environment named %q saved: %d, want 422", "Bad Name", resp.StatusCode)
	}
	resp, page = post(t, ac, s.URL+"/environments/uat-sim/edit", url.Values{"csrf": {acsrf}, "services": {"account:\n  base_ur: http://x\n"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "base_ur") {
		t.Errorf("misspelt key = %d, want 422 naming it", resp.StatusCode)
	}
	before, err := s.Store.Environment(ctx, "uat-sim")
	if err != nil {
		t.Fatal(err)
	}
	resp, _ = post(t, ac, s.URL+"/environments/uat-sim/edit", url.Values{"csrf": {acsrf}, "title": {"模拟环境"}, "concurrency": {"3"}, "patience": {"10"},
		"services": {"account:\n  base_url: " + before.Services["account"].BaseURL + "\n"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save = %d, want a redirect", resp.StatusCode)
	}
	after, err := s.Store.Environment(ctx, "uat-sim")
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := s.Store.Secrets(after)
	if err != nil {
		t.Fatal(err)
	}
	if after.Title != "模拟环境" || after.Concurrency != 3 || after.Patience.Minutes() != 10 || len(after.Services) != 1 || secrets["operator"] == "" {
		t.Errorf("saved environment = %+v (secrets %d), want the edit with the secrets kept", after, len(secrets))
	}

	// Secrets: name=value sets one, name= removes one, the rest are kept;
	// no page shows a value again.
	resp, _ = post(t, ac, s.URL+"/environments/uat-sim/edit", url.Values{"csrf": {acsrf}, "patience": {"10"},
		"services": {"account:\n  base_url: " + before.Services["account"].BaseURL + "\n"},
		"secrets":  {"api_key=k-123\noperator_password=\n"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save secrets = %d", resp.StatusCode)
	}
	after, _ = s.Store.Environment(ctx, "uat-sim")
	secrets, _ = s.Store.Secrets(after)
	if secrets["api_key"] != "k-123" || secrets["operator"] == "" || secrets["operator_password"] != "" {
		t.Errorf("secrets after the edit = %v", secrets)
	}
	if _, page := get(t, ac, s.URL+"/environments/uat-sim/edit"); strings.Contains(page, "k-123") || !strings.Contains(page, "api_key") {
		t.Error("the edit page must name the secrets and never show their values")
	}
	resp, page = post(t, ac, s.URL+"/environments/uat-sim/edit", url.Values{"csrf": {acsrf}, "patience": {"10"},
		"services": {"account:\n  base_url: " + before.Services["account"].BaseURL + "\n"}, "secrets": {"just-a-value"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "名称=值") {
		t.Errorf("a secret line without = : %d", resp.StatusCode)
	}
}

func TestPresetBuildsAndStaysPrivate(t *testing.T) {
	s := newSite(t)
	ctx := t.Context()
	if err := s.Store.SetPassword(ctx, s.Admin.User.ID, "admin-password"); err != nil {
		t.Fatal(err)
	}
	ac, acsrf := loginAs(t, s, "admin", "admin-password")
	resp, _ := post(t, ac, s.URL+"/workflows/complex-account/build", url.Values{"csrf": {acsrf}, "environment": {"uat-sim"},
		"risk_level": {"C5"}, "agreements": {"chinext", "star"}, "agreements_present": {"1"}, "name": {"张三丰"},
		"preset_name": {"C5 双创"}, "ticket": {"INC-7"}, "labels": {"回归, P1"}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/runs/r") {
		t.Fatalf("build = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	run, err := s.Store.Run(ctx, strings.TrimPrefix(resp.Header.Get("Location"), "/runs/"))
	if err != nil {
		t.Fatal(err)
	}
	if run.Inputs["risk_level"] != "C5" || run.Ticket != "INC-7" || len(run.Labels) != 2 || run.Labels[1] != "P1" || run.Source != "ui" {
		t.Errorf("run = %+v, want the form's inputs, ticket and labels", run)
	}
	presets, err := s.Store.Presets(ctx, s.Admin.User.ID, "")
	if err != nil || len(presets) != 1 {
		t.Fatalf("presets = %v, %v", presets, err)
	}
	p := presets[0]
	if p.Inputs["risk_level"] != "C5" || p.Shared || p.Ticket != "INC-7" {
		t.Errorf("preset = %+v, want C5, private, with the ticket", p)
	}
	if _, kept := p.Inputs["name"]; kept {
		t.Errorf("preset kept the name %v; generated fields must be fresh on each build", p.Inputs["name"])
	}

	member := &store.User{Username: "tester", DisplayName: "测试员", Role: store.RoleMember}
	if err := s.Store.CreateUser(ctx, member); err != nil {
		t.Fatal(err)
	}
	if err := s.Store.SetPassword(ctx, member.ID, "member-password"); err != nil {
		t.Fatal(err)
	}
	mc, mcsrf := loginAs(t, s, "tester", "member-password")
	if resp, _ := post(t, mc, fmt.Sprintf("%s/presets/%d/build", s.URL, p.ID), url.Values{"csrf": {mcsrf}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("another user builds a private preset: %d, want 404", resp.StatusCode)
	}
	resp, _ = post(t, ac, fmt.Sprintf("%s/presets/%d/build", s.URL, p.ID), url.Values{"csrf": {acsrf}})
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/runs/r") {
		t.Errorf("one-click build = %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// The runs list pages back through older runs, 50 at a time.
func TestRunsListPages(t *testing.T) {
	s := newSite(t)
	if err := s.Store.SetPassword(context.Background(), s.Admin.User.ID, "zaoshu-test-pw"); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 55 {
		r := &store.Run{Workflow: "standard-account", Revision: "x", Environment: "uat-sim", Source: "api", Queue: "default",
			RequestedBy: s.Admin.User.ID, Status: store.RunSucceeded, Inputs: map[string]any{"n": i}}
		if err := s.Store.CreateRun(context.Background(), r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
		time.Sleep(2 * time.Millisecond) // ids sort by the millisecond
	}
	c, _ := loginAs(t, s, "admin", "zaoshu-test-pw")
	_, first := get(t, c, s.URL+"/runs?scope=all")
	if !strings.Contains(first, ids[54]) || strings.Contains(first, ids[4]) || !strings.Contains(first, "更早的构建") {
		t.Fatal("the first page should show the newest 50 and a link to older runs")
	}
	older := regexp.MustCompile(`href="(/runs\?[^"]*before=[^"]+)" id="runs-older"`).FindStringSubmatch(first)
	if older == nil {
		i := strings.Index(first, "runs-pages")
		t.Fatalf("no link to older runs: %.400s", first[max(i, 0):])
	}
	_, second := get(t, c, s.URL+strings.ReplaceAll(older[1], "&amp;", "&"))
	for _, id := range ids[:5] {
		if !strings.Contains(second, id) {
			t.Errorf("older page lacks run %s", id)
		}
	}
	if strings.Contains(second, ids[54]) || strings.Contains(second, `id="runs-older"`) || !strings.Contains(second, "最新的构建") {
		t.Error("the older page should show only the 5 oldest runs and a way back to the newest")
	}
}
