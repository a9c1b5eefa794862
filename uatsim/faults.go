package uatsim

import (
	"fmt"
	"time"
)

// Service names one of the three simulated back-office systems.
type Service string

// The simulated services; each has its own base path and its own faults.
const (
	ServiceAccount Service = "account"
	ServiceCustody Service = "custody"
	ServiceTrade   Service = "trade"
)

// Services lists the simulated services in a stable order.
func Services() []Service { return []Service{ServiceAccount, ServiceCustody, ServiceTrade} }

// Redeploy modes: what a client sees while a service is being redeployed.
const (
	Redeploy503     = "503"     // HTTP 503 with Retry-After and code 9503
	RedeployReset   = "reset"   // the connection is closed without an answer
	RedeployRefused = "refused" // the port is closed (under Serve; Handler alone falls back to reset)
)

// Faults are the failures injected into one service. The zero value injects nothing.
type Faults struct {
	Latency          time.Duration // added to every call
	Jitter           time.Duration // plus a uniform random extra in [0, Jitter)
	ErrorRate        float64       // fraction of calls answered 500/9999 before doing anything
	LostResponseRate float64       // fraction of calls that take effect but answer 504/9504
	Clearing         bool          // writes answer 503/1814 whatever the clock says
	RedeployEvery    time.Duration // a redeploy window recurs with this period …
	RedeployFor      time.Duration // … and lasts this long, at the end of each period
	RedeployMode     string        // Redeploy503 (default), RedeployReset or RedeployRefused
	// Depository faults, honoured by the account service (and ChiNext filing in trade).
	SlowDepository     time.Duration // extra time depository requests stay at status 1
	DepositoryFailRate float64       // fraction of depository requests ending in status 3
}

// faultsJSON is the wire form of Faults in /uat/faults (durations in milliseconds).
type faultsJSON struct {
	LatencyMS          int64   `json:"latency_ms"`
	JitterMS           int64   `json:"jitter_ms"`
	ErrorRate          float64 `json:"error_rate"`
	LostResponseRate   float64 `json:"lost_response_rate"`
	Clearing           bool    `json:"clearing"`
	RedeployEveryS     float64 `json:"redeploy_every_s"`
	RedeployForS       float64 `json:"redeploy_for_s"`
	RedeployMode       string  `json:"redeploy_mode"`
	SlowDepositoryMS   int64   `json:"slow_depository_ms"`
	DepositoryFailRate float64 `json:"depository_fail_rate"`
}

func (f Faults) wire() faultsJSON {
	return faultsJSON{
		LatencyMS: f.Latency.Milliseconds(), JitterMS: f.Jitter.Milliseconds(),
		ErrorRate: f.ErrorRate, LostResponseRate: f.LostResponseRate, Clearing: f.Clearing,
		RedeployEveryS: f.RedeployEvery.Seconds(), RedeployForS: f.RedeployFor.Seconds(), RedeployMode: f.RedeployMode,
		SlowDepositoryMS: f.SlowDepository.Milliseconds(), DepositoryFailRate: f.DepositoryFailRate,
	}
}

func (w faultsJSON) faults() Faults {
	return Faults{
		Latency: time.Duration(w.LatencyMS) * time.Millisecond, Jitter: time.Duration(w.JitterMS) * time.Millisecond,
		ErrorRate: w.ErrorRate, LostResponseRate: w.LostResponseRate, Clearing: w.Clearing,
		RedeployEvery: time.Duration(w.RedeployEveryS * float64(time.Second)), RedeployFor: time.Duration(w.RedeployForS * float64(time.Second)),
		RedeployMode:   w.RedeployMode,
		SlowDepository: time.Duration(w.SlowDepositoryMS) * time.Millisecond, DepositoryFailRate: w.DepositoryFailRate,
	}
}

// validate checks rates and modes.
func (f Faults) validate() error {
	for name, r := range map[string]float64{"error rate": f.ErrorRate, "lost response rate": f.LostResponseRate, "depository fail rate": f.DepositoryFailRate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("%s %v: must be between 0 and 1", name, r)
		}
	}
	if f.Latency < 0 || f.Jitter < 0 || f.RedeployEvery < 0 || f.RedeployFor < 0 || f.SlowDepository < 0 {
		return fmt.Errorf("durations must not be negative")
	}
	if f.RedeployFor > 0 && f.RedeployEvery > 0 && f.RedeployFor >= f.RedeployEvery {
		return fmt.Errorf("redeploy window %v must be shorter than its period %v", f.RedeployFor, f.RedeployEvery)
	}
	switch f.RedeployMode {
	case "", Redeploy503, RedeployReset, RedeployRefused:
	default:
		return fmt.Errorf("redeploy mode %q: want 503, reset or refused", f.RedeployMode)
	}
	return nil
}

// faultState is the live fault configuration of one service.
type faultState struct {
	cfg       Faults
	epoch     time.Time // start of the periodic redeploy schedule
	until     time.Time // end of a one-shot redeploy window
	untilMode string
}

// redeploying reports whether a redeploy window is open at now, its mode and when it closes.
func (f *faultState) redeploying(now time.Time) (bool, string, time.Time) {
	if now.Before(f.until) {
		return true, f.untilMode, f.until
	}
	if f.cfg.RedeployEvery > 0 && f.cfg.RedeployFor > 0 {
		phase := now.Sub(f.epoch) % f.cfg.RedeployEvery
		if start := f.cfg.RedeployEvery - f.cfg.RedeployFor; phase >= start {
			return true, modeOr503(f.cfg.RedeployMode), now.Add(f.cfg.RedeployEvery - phase)
		}
	}
	return false, "", time.Time{}
}

func modeOr503(m string) string {
	if m == "" {
		return Redeploy503
	}
	return m
}
