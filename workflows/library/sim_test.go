package library

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
	"github.com/zaoshu/zaoshu/workflows/fake"
)

// backOffice is a simulator served over real HTTP on loopback, with the
// environment the platform registers for it (services account, custody,
// trade and uat; secrets operator and operator_password).
type backOffice struct {
	sim  *uatsim.Sim
	base string
	env  *workflows.Environment
}

// startBackOffice serves a simulator whose clock stands in transfer hours on
// a trading day, so bank transfers are open whatever the real time is.
func startBackOffice(t *testing.T, opts uatsim.Options) *backOffice {
	t.Helper()
	if opts.DepositoryDelay == 0 {
		opts.DepositoryDelay = 20 * time.Millisecond
	}
	if opts.Clock.Start.IsZero() {
		opts.Clock.Start = tradingMorning(time.Now())
	}
	sim := uatsim.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- sim.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("simulator: %v", err)
		}
		if err := sim.Close(); err != nil {
			t.Errorf("close simulator: %v", err)
		}
	})
	base := "http://" + ln.Addr().String()
	return &backOffice{sim: sim, base: base, env: &workflows.Environment{
		Name: "uat-sim",
		Services: map[string]workflows.Service{
			"account": {BaseURL: base + "/account"},
			"custody": {BaseURL: base + "/custody"},
			"trade":   {BaseURL: base + "/trade"},
			"uat":     {BaseURL: base + "/uat"},
		},
		Secrets: map[string]string{"operator": uatsim.UATOperator, "operator_password": uatsim.UATPassword},
	}}
}

// tradingMorning is 10:00 Beijing time on the latest Wednesday before now: a
// trading day inside transfer hours and outside bank maintenance.
func tradingMorning(now time.Time) time.Time {
	bj := time.FixedZone("CST", 8*3600)
	d := now.In(bj)
	for d.Weekday() != time.Wednesday {
		d = d.AddDate(0, 0, -1)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, bj)
}

// load loads one workflow of the library.
func load(t testing.TB, file string) *workflows.Definition {
	t.Helper()
	def, diags := workflows.NewLoader(".").LoadFile(file)
	if len(diags) > 0 {
		t.Fatalf("load %s:\n%s", file, diags.Format("en"))
	}
	return def
}

// build resolves inputs with a faker seeded by seed and runs the workflow.
func (b *backOffice) build(ctx context.Context, engine *workflows.Engine, def *workflows.Definition, runID string, seed int64, set map[string]any, rec workflows.Recorder) (workflows.Result, map[string]any, error) {
	inputs, problems := workflows.ValidateInputs(def, set, fake.New(seed))
	if len(problems) > 0 {
		return workflows.Result{}, nil, problems
	}
	res := engine.Run(ctx, workflows.RunSpec{
		RunID: runID, Definition: def, Inputs: inputs, Environment: b.env, Seed: seed,
		Recorder: rec,
	})
	return res, inputs, nil
}

// mustBuild runs a workflow and fails the test unless it succeeds; it
// returns the outputs, the resolved inputs and how many HTTP calls were made.
func (b *backOffice) mustBuild(t *testing.T, def *workflows.Definition, seed int64, set map[string]any) (map[string]any, map[string]any, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	rec := &workflows.MemoryRecorder{}
	res, inputs, err := b.build(ctx, workflows.NewEngine(), def, fmt.Sprintf("%s-%d", t.Name(), seed), seed, set, rec)
	if err != nil {
		t.Fatalf("inputs of %s: %v", def.Name, err)
	}
	if res.Status != workflows.RunSucceeded {
		t.Fatalf("%s did not succeed: %v", def.Name, res.Err())
	}
	calls := 0
	for _, r := range rec.Records() {
		calls += max(r.Polls, min(r.HTTPStatus, 1))
	}
	return res.Outputs, inputs, calls
}

// mainAccount is the customer's main capital account.
func (s snapshot) mainAccount(t *testing.T) capitalAccount {
	t.Helper()
	for _, a := range s.CapitalAccounts {
		if a.Main {
			return a
		}
	}
	t.Fatalf("customer %s has no main capital account", s.Code)
	return capitalAccount{}
}

// stockAccount is the customer's shareholder account in market, if any.
func (s snapshot) stockAccount(market string) *stockAccount {
	for i := range s.StockAccounts {
		if s.StockAccounts[i].Market == market {
			return &s.StockAccounts[i]
		}
	}
	return nil
}

// snapshot is what the tests check of everything the back office holds
// about a customer.
type snapshot struct {
	Code     string `json:"customer_code"`
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
	Mobile   string `json:"mobile"`
	Status   string `json:"status"`
	OneStop  string `json:"one_stop_account"`
	Risk     *struct {
		Level string `json:"risk_level"`
	} `json:"risk"`
	Suitability *struct {
		InvestorType string `json:"investor_type"`
	} `json:"suitability"`
	Passwords struct {
		Trading struct{ Set bool } `json:"trading"`
		Funds   struct{ Set bool } `json:"funds"`
	} `json:"passwords"`
	CapitalAccounts []capitalAccount `json:"capital_accounts"`
	StockAccounts   []stockAccount   `json:"stock_accounts"`
	Agreements      []struct {
		Type          string `json:"type"`
		Status        string `json:"status"`
		CreditAccount string `json:"credit_account"`
	} `json:"agreements"`
}

type capitalAccount struct {
	Account string `json:"capital_account"`
	Main    bool   `json:"main"`
	Balance struct {
		Available    string `json:"available"`
		Withdrawable string `json:"withdrawable"`
	} `json:"balance"`
	Custody *struct {
		BankCode string `json:"bank_code"`
		Status   string `json:"status"`
	} `json:"custody"`
}

type stockAccount struct {
	Account    string `json:"account"`
	Market     string `json:"market"`
	Type       string `json:"type"`
	Designated bool   `json:"designated"`
}

// snapshot reads a customer through the simulator's test hook.
func (b *backOffice) snapshot(t *testing.T, code string) snapshot {
	t.Helper()
	var answer struct {
		Code string   `json:"code"`
		Data snapshot `json:"data"`
	}
	b.get(t, "/uat/customers/"+code+"/snapshot", &answer)
	if answer.Code != "0" {
		t.Fatalf("snapshot of %s: code %s", code, answer.Code)
	}
	return answer.Data
}

func (b *backOffice) get(t *testing.T, path string, out any) {
	t.Helper()
	resp, err := http.Get(b.base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: decode: %v", path, err)
	}
}

// failureOf returns the classified failure of a run that did not succeed.
func failureOf(t *testing.T, res workflows.Result) *workflows.Failure {
	t.Helper()
	var f *workflows.Failure
	if !errors.As(res.Err(), &f) {
		t.Fatalf("run %s ended %s without a failure", res.RunID, res.Status)
	}
	return f
}

// callCount is how many business calls (account, custody, trade) the
// simulator has logged.
func (b *backOffice) callCount(t *testing.T) int {
	t.Helper()
	var answer struct {
		Data struct {
			Calls []struct {
				Path string `json:"path"`
			} `json:"calls"`
		} `json:"data"`
	}
	b.get(t, "/uat/logs?limit=10000", &answer)
	n := 0
	for _, c := range answer.Data.Calls {
		for _, svc := range uatsim.Services() {
			if strings.HasPrefix(c.Path, "/"+string(svc)+"/") {
				n++
			}
		}
	}
	return n
}

// hasCustomer reports whether the back office has a customer for an ID number.
func (b *backOffice) hasCustomer(t *testing.T, id string) bool {
	t.Helper()
	var answer struct {
		Code string `json:"code"`
	}
	b.get(t, "/uat/snapshot?id_number="+id, &answer)
	return answer.Code == "0"
}
