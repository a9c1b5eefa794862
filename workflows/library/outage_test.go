package library

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
)

// TestStandardAccountsSurviveOutages runs 50 standard builds, 10 at a time,
// while every service fails 5% of calls and the account service is
// redeployed for 20 seconds mid-build with its port closed. Every build must
// succeed, and retries and replays must not open a single extra customer.
func TestStandardAccountsSurviveOutages(t *testing.T) {
	t.Parallel()
	builds, parallel, window := 50, 10, 20*time.Second
	if testing.Short() {
		builds, window = 20, 5*time.Second
	}
	flaky := uatsim.Faults{ErrorRate: 0.05}
	bo := startBackOffice(t, uatsim.Options{Seed: 7, Faults: map[uatsim.Service]uatsim.Faults{
		uatsim.ServiceAccount: flaky, uatsim.ServiceCustody: flaky, uatsim.ServiceTrade: flaky,
	}})
	def := load(t, "standard-account.yaml")
	engine := workflows.NewEngine()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	seeds := make([]int64, builds)
	for i := range seeds {
		seeds[i] = int64(1000 + i)
	}
	type build struct {
		id, code string
		err      error
		retried  int // attempts that met the outage and were tried again
	}
	results := make([]build, builds)
	slots := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, seed := range seeds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			rec := &workflows.MemoryRecorder{}
			res, inputs, err := bo.build(ctx, engine, def, fmt.Sprintf("outage-%d", i), seed, nil, rec)
			results[i] = build{err: err}
			if err != nil {
				return
			}
			results[i] = build{id: inputs["id_number"].(string), err: res.Err()}
			results[i].code, _ = res.Outputs["customer_code"].(string)
			for _, r := range rec.Records() {
				if r.Failure != nil && r.Failure.Class == workflows.ClassEnvUnavailable {
					results[i].retried++
				}
			}
		}()
	}
	// Redeploy once the first wave is inside the build.
	time.Sleep(700 * time.Millisecond)
	if err := bo.sim.Redeploy(uatsim.ServiceAccount, window, uatsim.RedeployRefused); err != nil {
		t.Fatalf("start redeploy: %v", err)
	}
	wg.Wait()

	codes := map[string]bool{}
	retried, hit := 0, 0
	for i, b := range results {
		retried += b.retried
		if b.retried > 0 {
			hit++
		}
		if b.err != nil {
			t.Errorf("build %d failed: %v", i, b.err)
			continue
		}
		snap := bo.snapshot(t, b.code)
		if snap.IDNumber != b.id || snap.Status != "0" {
			t.Errorf("build %d: customer %s has ID %s status %s, want %s active", i, b.code, snap.IDNumber, snap.Status, b.id)
		}
		codes[b.code] = true
	}
	t.Logf("%d builds, %d of them met the outage; %d attempts were tried again", builds, hit, retried)
	if hit < parallel {
		t.Errorf("only %d builds met an outage: the faults were not injected as meant", hit)
	}
	if len(codes) != builds {
		t.Errorf("%d distinct customer codes from %d builds", len(codes), builds)
	}
	if n := bo.customers(t); n != builds {
		t.Errorf("the back office holds %d customers after %d builds, want exactly %d", n, builds, builds)
	}
}

// customers counts every customer the back office holds, from a saved state.
func (b *backOffice) customers(t *testing.T) int {
	t.Helper()
	path := filepath.Join(t.TempDir(), "state.json")
	if err := b.sim.Save(path); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Customers map[string]json.RawMessage `json:"customers"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		t.Fatalf("read saved state: %v", err)
	}
	return len(state.Customers)
}

// TestLostResponsesOpenNothingTwice builds accounts while one call in ten
// takes effect but loses its answer (HTTP 504): the retry, carrying the same
// Idempotency-Key, is answered with the first result, never a second account.
func TestLostResponsesOpenNothingTwice(t *testing.T) {
	t.Parallel()
	lost := uatsim.Faults{LostResponseRate: 0.1}
	bo := startBackOffice(t, uatsim.Options{Seed: 11, Faults: map[uatsim.Service]uatsim.Faults{
		uatsim.ServiceAccount: lost, uatsim.ServiceCustody: lost, uatsim.ServiceTrade: lost,
	}})
	def := load(t, "complex-account.yaml")
	const builds = 4
	t.Run("builds", func(t *testing.T) {
		for i := range builds {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				out, _, _ := bo.mustBuild(t, def, int64(2000+10*i), map[string]any{
					"available": "1000", "withdrawable": "400", "auxiliary_banks": "5000", "agreements": "margin"})
				snap := bo.snapshot(t, out["customer_code"].(string))
				main := snap.mainAccount(t)
				if main.Balance.Available != "1000.00" || main.Balance.Withdrawable != "400.00" {
					t.Errorf("balance %s / %s, want 1000.00 / 400.00 (a replayed transfer counts twice)", main.Balance.Available, main.Balance.Withdrawable)
				}
				if len(snap.CapitalAccounts) != 2 || len(snap.StockAccounts) != 2 || len(snap.Agreements) != 1 {
					t.Errorf("%d capital, %d shareholder accounts, %d agreements; want 2, 2, 1", len(snap.CapitalAccounts), len(snap.StockAccounts), len(snap.Agreements))
				}
			})
		}
	})
	if n := bo.customers(t); n != builds {
		t.Errorf("%d customers after %d builds", n, builds)
	}
}
