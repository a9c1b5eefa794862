package uatsim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"time"
)

// Main is what `zaoshu sim ARGS...` calls: it parses its own flags, prints the
// URL it listens on, and serves until ctx is cancelled.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zaoshu sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:9090", "address to listen on")
	stateFile := fs.String("state-file", "", "load state from this file at start (if it exists) and save it there on exit")
	depDelay := fs.Duration("depository-delay", 0, "time a depository request takes (0 = realistic 1-3 s)")
	depJitter := fs.Duration("depository-jitter", 0, "random extra depository time in [0, jitter) when --depository-delay is set")
	tokenTTL := fs.Duration("token-ttl", 30*time.Minute, "operator token lifetime")
	seed := fs.Uint64("seed", 0, "random seed for account numbers and faults (0 = random)")
	clockAt := fs.String("clock", "", "start the simulated clock at this RFC 3339 time (default: real time)")
	frozen := fs.Bool("clock-frozen", false, "keep the simulated clock still")
	clearing := fs.String("clearing-window", "", "daily clearing window on trading days, HH:MM-HH:MM (writes answer 1814)")
	transfer := fs.String("transfer-hours", "09:00-16:00", "bank transfer hours on trading days, HH:MM-HH:MM")
	maintenance := fs.String("bank-maintenance", "00:00-06:00", "nightly bank maintenance, HH:MM-HH:MM or off")
	quiet := fs.Bool("quiet", false, "do not log every call")
	faults := map[Service]*Faults{}
	for _, svc := range Services() {
		f := &Faults{}
		faults[svc] = f
		p := string(svc) + "-"
		fs.DurationVar(&f.Latency, p+"latency", 0, "fixed latency added to every "+string(svc)+" call")
		fs.DurationVar(&f.Jitter, p+"jitter", 0, "random extra latency in [0, jitter) for "+string(svc))
		fs.Float64Var(&f.ErrorRate, p+"error-rate", 0, "fraction of "+string(svc)+" calls answered 500/9999")
		fs.Float64Var(&f.LostResponseRate, p+"lost-rate", 0, "fraction of "+string(svc)+" calls that take effect but answer 504/9504")
		fs.BoolVar(&f.Clearing, p+"clearing", false, "answer every "+string(svc)+" write with 1814 (clearing)")
		fs.DurationVar(&f.RedeployEvery, p+"redeploy-every", 0, "period of recurring "+string(svc)+" redeploy windows")
		fs.DurationVar(&f.RedeployFor, p+"redeploy-for", 0, "length of each "+string(svc)+" redeploy window")
		fs.StringVar(&f.RedeployMode, p+"redeploy-mode", "503", "redeploy mode for "+string(svc)+": 503, reset or refused")
	}
	slowDep := fs.Duration("depository-slow", 0, "extra time depository requests stay at status 1 (e.g. 45s, past a client's 30 s)")
	depFail := fs.Float64("depository-fail-rate", 0, "fraction of depository requests that end in status 3")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("parse sim flags: %w", err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("parse sim flags: unexpected argument %q", fs.Arg(0))
	}
	faults[ServiceAccount].SlowDepository = *slowDep
	faults[ServiceAccount].DepositoryFailRate = *depFail

	opts := Options{DepositoryDelay: *depDelay, DepositoryJitter: *depJitter, TokenTTL: *tokenTTL, Seed: *seed,
		StateFile: *stateFile, Faults: map[Service]Faults{}}
	for svc, f := range faults {
		if err := f.validate(); err != nil {
			return fmt.Errorf("sim flags for %s: %w", svc, err)
		}
		opts.Faults[svc] = *f
	}
	var err error
	if opts.Clock, err = clockFlags(*clockAt, *frozen, *clearing, *transfer, *maintenance); err != nil {
		return fmt.Errorf("sim flags: %w", err)
	}
	if !*quiet {
		opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	sim := New(opts)
	if err := sim.Err(); err != nil {
		return fmt.Errorf("start simulator: %w", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fmt.Errorf("start simulator: listen on %s: %w", *addr, err)
	}
	fmt.Fprintf(stdout, "uatsim listening on http://%s (operator %s / %s, API document /openapi.json)\n", ln.Addr(), UATOperator, UATPassword)
	serveErr := sim.Serve(ctx, ln)
	return errors.Join(serveErr, sim.Close())
}

func clockFlags(at string, frozen bool, clearing, transfer, maintenance string) (ClockOptions, error) {
	var o ClockOptions
	if at != "" {
		t, err := time.Parse(time.RFC3339, at)
		if err != nil {
			return o, fmt.Errorf("--clock %q: want RFC 3339 such as 2026-11-20T10:00:00+08:00", at)
		}
		o.Start = t
	}
	o.Frozen = frozen
	var err error
	if o.ClearingWindow, err = ParseWindow(clearing); err != nil {
		return o, fmt.Errorf("--clearing-window: %w", err)
	}
	tw, err := ParseWindow(transfer)
	if err != nil {
		return o, fmt.Errorf("--transfer-hours: %w", err)
	}
	mw, err := ParseWindow(maintenance)
	if err != nil {
		return o, fmt.Errorf("--bank-maintenance: %w", err)
	}
	o.TransferHours, o.BankMaintenance = &tw, &mw
	return o, nil
}
