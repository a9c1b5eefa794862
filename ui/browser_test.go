package ui_test

import (
	"context"
	"fmt"
	"maps"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows/library"
)

// chromiumPath finds Debian's chromium; .ci/run installs it.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("no chromium binary at /usr/bin/chromium: install it (apt-get install -y chromium) to run the browser tests")
	return ""
}

// browser is a headless Chromium driven by chromedp, saving screenshots.
type browser struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
}

func newBrowser(t *testing.T, base string, width, height int) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	shots := os.Getenv("ZAOSHU_ARTIFACTS")
	if shots == "" {
		shots = t.TempDir()
	} else {
		shots = filepath.Join(shots, "ui")
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("screenshots in %s", shots)
	// The first run starts the browser; it lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{t: t, ctx: ctx, base: base, shots: shots}
}

// run runs actions, failing the test with what was being done.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// waitFor waits up to d for a selector to be visible.
func (b *browser) waitFor(what, sel string, d time.Duration) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
		b.shot("timeout-" + strings.ReplaceAll(what, " ", "-"))
		html, _ := chromedp.Run(b.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
		b.t.Fatalf("%s: %s not visible within %s: %v\n%.3000s", what, sel, d, err, html)
	}
}

// get runs one action that returns a value.
func result[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		b.shot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// text and value read in one script, so a node htmx swaps meanwhile
// cannot vanish between finding and reading it.
func (b *browser) text(sel string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(function(e){return e ? e.innerText : "<missing>"})(document.querySelector(%s))`, strconv.Quote(sel))
	return strings.TrimSpace(result(b, "read "+sel, chromedp.Evaluate[string](js)))
}

func (b *browser) value(sel string) string {
	b.t.Helper()
	js := fmt.Sprintf(`(function(e){return e ? e.value : "<missing>"})(document.querySelector(%s))`, strconv.Quote(sel))
	return result(b, "read value of "+sel, chromedp.Evaluate[string](js))
}

// set sets a form control's value as a person would leave it.
func (b *browser) set(sel, v string) {
	b.t.Helper()
	js := fmt.Sprintf(`(function(e){ if (!e) { return 0 }; e.value = %s; return 1 })(document.querySelector(%s))`, strconv.Quote(v), strconv.Quote(sel))
	if result(b, "set "+sel, chromedp.Evaluate[int](js)) != 1 {
		b.t.Fatalf("set %s: no such element", sel)
	}
}

func (b *browser) location() string { return result(b, "read location", chromedp.Location()) }

func (b *browser) eval(js string) int { return result(b, "evaluate "+js, chromedp.Evaluate[int](js)) }

// shot saves a full-page screenshot as name.png.
func (b *browser) shot(name string) {
	buf, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), buf, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
	}
}

func (b *browser) login(user, password string) {
	b.t.Helper()
	b.run("log in",
		chromedp.Navigate(b.base+"/login"),
		chromedp.WaitVisible(chromedp.ID("#username")),
		chromedp.SetValue(chromedp.ID("#username"), user),
		chromedp.SetValue(chromedp.ID("#password"), password),
		chromedp.Submit(chromedp.ID("#password")),
	)
}

// TestBrowserJourney walks what a tester does: first login, a standard
// account from the form watched live to the end, its trace, a complex
// account whose agreement is refused with a hint, and the dashboard.
func TestBrowserJourney(t *testing.T) {
	s := newSite(t)
	b := newBrowser(t, s.URL, 1280, 900)
	const password = "zaoshu-test-pw"

	// First start: the bootstrap token as the password, then a real password.
	b.run("open login", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.ID("#username")))
	b.shot("01-login")
	b.login("admin", s.Admin.Token)
	b.waitFor("password page", "#new-password", 10*time.Second)
	b.shot("02-first-start-password")
	b.run("set password",
		chromedp.SetValue(chromedp.ID("#new-password"), password),
		chromedp.SetValue(chromedp.ID("#confirm-password"), password),
		chromedp.Submit(chromedp.ID("#confirm-password")))
	b.waitFor("home", ".quick-card", 10*time.Second)
	b.run("log out", chromedp.Click(chromedp.ID("#logout")))
	b.waitFor("login after logout", "#username", 10*time.Second)
	b.login("admin", password)
	b.waitFor("home after password login", ".quick-card", 10*time.Second)
	b.shot("03-home")

	// A standard account: two clicks from home.
	b.run("open standard form", chromedp.Click(chromedp.CSS(`a[data-workflow="standard-account"]`)))
	b.waitFor("standard form", "#in-id_number", 10*time.Second)
	name, id := b.value("#in-name"), b.value("#in-id_number")
	if name == "" || len(id) != 18 {
		t.Fatalf("form defaults: name %q, ID %q; want a generated name and an 18-character ID", name, id)
	}
	b.shot("04-build-standard")
	b.run("regenerate the ID", chromedp.Click(chromedp.CSS(`#field-id_number button[hx-post]`)))
	waitUntil(t, "a new ID number", func() bool { return b.value("#in-id_number") != id })
	if got := b.value("#in-id_number"); len(got) != 18 {
		t.Fatalf("regenerated ID %q, want 18 characters", got)
	}
	// Keep this shape as a team preset while building it.
	b.run("save as preset", chromedp.Click(chromedp.CSS("details summary")))
	b.set("#preset_name", "团队普通户")
	b.run("share preset", chromedp.Click(chromedp.ID("#preset_shared")))
	b.run("submit standard", chromedp.Click(chromedp.ID("#submit-build")))
	b.waitFor("run page", "#run-status", 10*time.Second)
	standardURL := b.location()
	// Mark the page: if it reloads, the mark is gone.
	b.eval(`window.__zaoshuMark = 1`)
	b.shot("05-run-standard-live")
	b.waitFor("standard succeeded", `#run-status[data-status="succeeded"]`, 90*time.Second)
	if mark := b.eval(`window.__zaoshuMark || 0`); mark != 1 {
		t.Error("the run page reloaded; want live updates in place")
	}
	b.waitFor("outputs", "#run-outputs", 5*time.Second)
	if code := b.text(`#run-outputs code[data-output="customer_code"]`); code == "" {
		t.Errorf("no customer_code output on the finished run")
	}

	// Its trace: steps with request ids, requests and responses, masked.
	if steps := b.eval(`document.querySelectorAll("#run-steps .step").length`); steps < 10 {
		t.Errorf("timeline shows %d steps, want the standard account's many", steps)
	}
	// Open the finished run afresh, as someone following a link would.
	b.run("open first step", chromedp.Navigate(standardURL), chromedp.WaitVisible(chromedp.ID("#run-steps")),
		chromedp.Click(chromedp.CSS(`#run-steps .step[data-step="customer/create"] summary`)))
	b.waitFor("first request", `#run-steps .step details[open] pre.trace`, 5*time.Second)
	rid := b.text(`#run-steps .step details[open] code.request-id`)
	if runID := standardURL[strings.LastIndex(standardURL, "/")+1:]; !strings.HasPrefix(rid, runID+"-customer/create-") {
		t.Errorf("request id %q, want it to start with the run id", rid)
	}
	if html := result(b, "read page", chromedp.OuterHTML(chromedp.CSS("html"))); strings.Contains(html, uatsim.UATPassword) {
		t.Error("the operator's password appears in the trace; want it masked")
	}
	b.shot("06-run-standard-trace")

	// A complex account: bad input is refused inline, in Chinese, as soon
	// as the field is left, and again if the form is sent anyway.
	b.run("open complex form", chromedp.Navigate(s.URL+"/workflows/complex-account/build"), chromedp.WaitVisible(chromedp.ID("#in-risk_level")))
	b.set("#in-id_number", "110105194912310021")
	b.eval(`document.getElementById("in-id_number").dispatchEvent(new Event("change", {bubbles: true})); 1`)
	b.waitFor("live error", "#error-id_number", 10*time.Second)
	if msg := b.text("#error-id_number"); !strings.Contains(msg, "校验位") {
		t.Errorf("live ID number error %q, want it to name the check character (校验位)", msg)
	}
	b.run("submit anyway", chromedp.Click(chromedp.ID("#submit-build")))
	b.waitFor("form error", "#form-error", 10*time.Second)
	b.waitFor("inline error", "#error-id_number", 10*time.Second)
	if msg := b.text("#error-id_number"); !strings.Contains(msg, "校验位") {
		t.Errorf("ID number error %q, want it to name the check character (校验位)", msg)
	}
	b.shot("07-build-complex-invalid")

	// A refused agreement: STAR needs C4, the form asks C3.
	b.set("#in-id_number", "")
	b.set("#in-risk_level", "C3")
	b.run("refused agreement",
		chromedp.Click(chromedp.CSS(`label[for="in-agreements-star"]`)),
		chromedp.Click(chromedp.ID("#submit-build")))
	b.waitFor("complex run page", "#run-status", 10*time.Second)
	b.waitFor("complex failed", `#run-status[data-status="failed"]`, 90*time.Second)
	if class := b.text("#failure-class"); class != "业务拒绝" {
		t.Errorf("failure class %q, want 业务拒绝 (business_rejected)", class)
	}
	if msg := b.text("#failure-message"); !strings.Contains(msg, "科创板") {
		t.Errorf("failure message %q, want the back office's words about STAR", msg)
	}
	if hint := b.text("#failure-hint"); !strings.Contains(hint, "C4") {
		t.Errorf("hint %q, want it to say to choose C4 or above", hint)
	}
	report := b.value("#problem-report")
	for _, want := range []string{"agreements/sign", "complex-account", "uat-sim", "业务拒绝", "请求 ID"} {
		if !strings.Contains(report, want) {
			t.Errorf("problem report lacks %q:\n%s", want, report)
		}
	}
	b.shot("08-run-complex-refused")
	complexURL := b.location()

	// The runs list follows a build started elsewhere, without reloading.
	b.run("open runs", chromedp.Navigate(s.URL+"/runs?scope=all"), chromedp.WaitVisible(chromedp.ID("#runs-table")))
	b.eval(`window.__zaoshuMark = 2`)
	run, err := s.Builds.Submit(t.Context(), jobs.Request{Workflow: "standard-account", Environment: "uat-sim", Source: jobs.SourceAPI, RequestedBy: s.Admin.User.ID})
	if err != nil {
		t.Fatal(err)
	}
	b.waitFor("new run appears live", fmt.Sprintf(`tr[data-run="%s"]`, run.ID), 15*time.Second)
	b.waitFor("new run finishes live", fmt.Sprintf(`tr[data-run="%s"][data-status="succeeded"]`, run.ID), 90*time.Second)
	if mark := b.eval(`window.__zaoshuMark || 0`); mark != 2 {
		t.Error("the runs page reloaded; want live updates in place")
	}
	b.shot("09-runs")

	// The dashboard counts them all.
	b.run("open stats", chromedp.Navigate(s.URL+"/stats"), chromedp.WaitVisible(chromedp.ID("#stats-counts")))
	if got := b.text(`[data-count="succeeded"]`); got != "2" {
		t.Errorf("dashboard succeeded = %s, want 2", got)
	}
	if got := b.text(`[data-count="failed"]`); got != "1" {
		t.Errorf("dashboard failed = %s, want 1", got)
	}
	if steps := b.text("#failing-steps"); !strings.Contains(steps, "agreements/sign") {
		t.Errorf("top failing steps %q, want agreements/sign", steps)
	}
	time.Sleep(300 * time.Millisecond) // let the charts draw for the screenshot
	b.shot("10-stats")

	// The other pages open and say what they should.
	b.run("environments", chromedp.Navigate(s.URL+"/environments"), chromedp.WaitVisible(chromedp.CSS(`[data-env="uat-sim"]`)))
	if state := b.text(`[data-service="account"] span.ms-auto`); state != "正常" {
		t.Errorf("account service light = %q, want 正常", state)
	}
	b.shot("11-environments")
	b.run("create token", chromedp.Navigate(s.URL+"/tokens"), chromedp.WaitVisible(chromedp.ID("#token-name")),
		chromedp.SetValue(chromedp.ID("#token-name"), "jenkins"), chromedp.Submit(chromedp.ID("#token-name")))
	b.waitFor("token secret", "#token-secret", 10*time.Second)
	if secret := b.text("#token-secret code"); !strings.HasPrefix(secret, "zs_") {
		t.Errorf("new token %q, want a zs_ secret shown once", secret)
	}
	b.shot("12-tokens")
	b.run("catalogue", chromedp.Navigate(s.URL+"/workflows"), chromedp.WaitVisible(chromedp.CSS(`a[href="/workflows/complex-account"]`)))
	b.shot("13-workflows")
	b.run("workflow page", chromedp.Navigate(s.URL+"/workflows/complex-account"), chromedp.WaitVisible(chromedp.ID("#tab-runs")))
	b.shot("14-workflow")

	// Rerun the refused build with edited inputs: C4 this time.
	b.run("rerun form", chromedp.Navigate(complexURL+"/rerun"), chromedp.WaitVisible(chromedp.ID("#in-risk_level")))
	if checked := b.eval(`document.getElementById("in-agreements-star").checked ? 1 : 0`); checked != 1 {
		t.Error("rerun form lost the run's agreements")
	}
	// The refusal's hint says to leave the ID number empty for a fresh one.
	b.set("#in-id_number", "")
	b.set("#in-risk_level", "C4")
	b.shot("16-rerun-form")
	b.run("submit rerun", chromedp.Click(chromedp.ID("#submit-build")))
	b.waitFor("rerun page", "#run-status", 10*time.Second)
	if b.location() == complexURL {
		t.Fatal("rerun stayed on the old run; want a new one")
	}
	b.waitFor("rerun succeeded", `#run-status[data-status="succeeded"]`, 90*time.Second)

	// The preset saved with the first build builds in one click from home.
	b.run("home", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(chromedp.ID("#presets")))
	if p := b.text("#presets"); !strings.Contains(p, "团队普通户") {
		t.Fatalf("home presets %q, want 团队普通户", p)
	}
	b.shot("17-home-presets")
	b.run("build preset", chromedp.Click(chromedp.CSS(`#presets form[action$="/build"] button`)))
	b.waitFor("preset run", `#run-status[data-status="succeeded"]`, 90*time.Second)

	// English on request.
	b.run("switch to English", chromedp.Navigate(s.URL+"/lang/en?next=/workflows/complex-account/build"), chromedp.WaitVisible(chromedp.ID("#submit-build")))
	if got := b.text("#submit-build"); got != "Build" {
		t.Errorf("submit button in English = %q, want Build", got)
	}
	b.shot("15-build-complex-en")
}

// TestBrowserPhone checks the build form and a run on a phone-sized screen.
func TestBrowserPhone(t *testing.T) {
	s := newSite(t)
	if err := s.Store.SetPassword(t.Context(), s.Admin.User.ID, "zaoshu-test-pw"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.URL, 1280, 900)
	b.run("emulate a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	b.login("admin", "zaoshu-test-pw")
	b.waitFor("home", ".quick-card", 10*time.Second)
	if overflow := b.eval(`document.documentElement.scrollWidth > window.innerWidth + 1 ? 1 : 0`); overflow == 1 {
		t.Error("the home page is wider than a phone screen")
	}
	b.shot("phone-01-home")
	b.run("open complex form", chromedp.Navigate(s.URL+"/workflows/complex-account/build"), chromedp.WaitVisible(chromedp.ID("#in-risk_level")))
	if overflow := b.eval(`document.documentElement.scrollWidth > window.innerWidth + 1 ? 1 : 0`); overflow == 1 {
		t.Error("the build form is wider than a phone screen")
	}
	b.shot("phone-02-build-complex")
}

// waitUntil polls cond for up to 10 s.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrowserWorkflowEditor edits a workflow as an admin: a typo is shown
// under its line and not saved; a correct edit becomes the current revision.
func TestBrowserWorkflowEditor(t *testing.T) {
	s := newSite(t)
	if err := s.Store.SetPassword(t.Context(), s.Admin.User.ID, "zaoshu-test-pw"); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, s.URL, 1280, 900)
	b.login("admin", "zaoshu-test-pw")
	b.waitFor("home", ".quick-card", 10*time.Second)
	b.run("open editor", chromedp.Navigate(s.URL+"/workflows/standard-account"), chromedp.WaitVisible(chromedp.ID("#edit-workflow")),
		chromedp.Click(chromedp.ID("#edit-workflow")), chromedp.WaitVisible(chromedp.ID("#source")))
	source := b.value("#source")
	if !strings.Contains(source, "timeout: 10m") {
		t.Fatalf("editor text lacks the workflow's timeout line:\n%.500s", source)
	}
	b.set("#source", strings.Replace(source, "timeout: 10m", "timeuot: 10m", 1))
	b.run("check", chromedp.Click(chromedp.ID("#check")))
	b.waitFor("problems", "#check-failed", 10*time.Second)
	if p := b.text(".line-problem"); !strings.Contains(p, "timeout") {
		t.Errorf("problem under the line = %q, want a did-you-mean for timeout", p)
	}
	if bad := b.text(".line-bad"); !strings.Contains(bad, "timeuot") {
		t.Errorf("marked line = %q, want the misspelt one", bad)
	}
	b.shot("editor-01-problem")
	b.run("save with a problem", chromedp.Click(chromedp.ID("#save")))
	b.waitFor("refused save", "#check-failed", 10*time.Second)

	b.set("#source", strings.Replace(source, "zh: 普通证券账户", "zh: 普通证券账户（试验版）", 1))
	b.run("check again", chromedp.Click(chromedp.ID("#check")))
	b.waitFor("no problems", "#check-ok", 10*time.Second)
	b.run("save", chromedp.Click(chromedp.ID("#save")))
	b.waitFor("workflow page", "#edit-workflow", 10*time.Second)
	if title := b.text("h1"); !strings.Contains(title, "试验版") {
		t.Errorf("workflow title after saving = %q, want the edited one", title)
	}
	if n := b.eval(`document.querySelectorAll("#tab-revisions tbody tr").length`); n != 2 {
		t.Errorf("revisions listed = %d, want the bundled one and the edit", n)
	}
	b.shot("editor-02-saved")

	// The edit outlives a restart: a new library offers it again.
	again := jobs.NewLibrary(s.Store)
	if _, err := again.LoadFS(t.Context(), library.FS); err != nil {
		t.Fatal(err)
	}
	if err := again.LoadSaved(t.Context()); err != nil {
		t.Fatal(err)
	}
	if def, err := again.Workflow("standard-account"); err != nil || !strings.Contains(def.Title.Zh, "试验版") {
		t.Errorf("after a restart standard-account is %v (%v), want the edited title", def, err)
	}
}

// TestBrowserWaitingAndCancel builds in an environment whose account
// service is down: the run page says what it waits for, and cancel stops it.
func TestBrowserWaitingAndCancel(t *testing.T) {
	s := newSite(t)
	if err := s.Store.SetPassword(t.Context(), s.Admin.User.ID, "zaoshu-test-pw"); err != nil {
		t.Fatal(err)
	}
	env, err := s.Store.Environment(t.Context(), "uat-sim")
	if err != nil {
		t.Fatal(err)
	}
	secrets, err := s.Store.Secrets(env)
	if err != nil {
		t.Fatal(err)
	}
	down := *env
	down.ID, down.Name, down.Title = 0, "uat-down", "account 服务停机"
	down.Services = maps.Clone(env.Services)
	account := down.Services["account"]
	account.BaseURL = closedURL(t)
	down.Services["account"] = account
	if err := s.Store.SaveEnvironment(t.Context(), &down, secrets); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, s.URL, 1280, 900)
	b.login("admin", "zaoshu-test-pw")
	b.waitFor("home", ".quick-card", 10*time.Second)
	b.run("open form", chromedp.Navigate(s.URL+"/workflows/standard-account/build"), chromedp.WaitVisible(chromedp.ID("#environment")))
	b.set("#environment", "uat-down")
	b.set("#ticket", "INC-42")
	b.run("submit", chromedp.Click(chromedp.ID("#submit-build")))
	// The login step tries 10 times (about 40 s) before the run parks.
	b.waitFor("waiting", "#run-waiting", 120*time.Second)
	if msg := b.text("#run-waiting"); !strings.Contains(msg, "uat-down") || !strings.Contains(msg, "account") {
		t.Errorf("waiting banner %q, want the environment and the service named", msg)
	}
	b.shot("waiting-01-run")
	b.run("environments", chromedp.Navigate(s.URL+"/environments"), chromedp.WaitVisible(chromedp.CSS(`[data-env="uat-down"]`)))
	if state := b.text(`[data-env="uat-down"] [data-service="account"] span.ms-auto`); state != "不可用" {
		t.Errorf("down service light = %q, want 不可用", state)
	}
	b.shot("waiting-02-environments")
	runs, err := s.Store.Runs(t.Context(), store.RunFilter{Environment: "uat-down"})
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs in uat-down = %v, %v", runs, err)
	}
	b.run("back to run", chromedp.Navigate(s.URL+"/runs/"+runs[0].ID), chromedp.WaitVisible(chromedp.ID("#run-actions")))
	// The page asks before cancelling; accept it.
	b.eval(`window.confirm = function () { return true }; 1`)
	b.run("cancel", chromedp.Click(chromedp.CSS(`form[action$="/cancel"] button`)))
	b.waitFor("cancelled", `#run-status[data-status="cancelled"]`, 30*time.Second)
	b.shot("waiting-03-cancelled")
}

// closedURL is an address nothing listens on.
func closedURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr + "/account"
}
