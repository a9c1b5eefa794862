package uatsim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// The UAT operator the simulator accepts at POST /account/operator/login.
const (
	UATOperator = "uat001"
	UATPassword = "Uat@2026"
)

// uatOperators are all operators accepted, with their passwords.
var uatOperators = map[string]string{UATOperator: UATPassword, "uat002": UATPassword, "uat003": UATPassword}

// Options configures a simulator; the zero value is a working simulator with a
// real-time clock and realistic depository delay.
type Options struct {
	// DepositoryDelay is how long a depository request takes. Zero or less means
	// the realistic default: 1 s plus up to 2 s of jitter.
	DepositoryDelay time.Duration
	// DepositoryJitter is a uniform random extra in [0, DepositoryJitter), used
	// only when DepositoryDelay is set.
	DepositoryJitter time.Duration
	// TokenTTL is how long an operator token lives; zero means 30 minutes.
	TokenTTL time.Duration
	// Seed makes account numbers and injected faults reproducible; zero means random.
	Seed uint64
	// Logger receives one record per call (with its X-Request-Id); nil discards.
	Logger *slog.Logger
	// Faults are the faults injected at start, per service.
	Faults map[Service]Faults
	// Clock sets the simulated clock, transfer hours and clearing window.
	Clock ClockOptions
	// StateFile, when set, is loaded by New if it exists and written by Close.
	StateFile string
	// LogCapacity is how many calls /uat/logs keeps; zero means 20,000.
	LogCapacity int
	// Now is the real-time source (tests); nil means time.Now.
	Now func() time.Time
}

// Sim is a simulated securities back office. It is safe for concurrent use.
type Sim struct {
	opts  Options
	log   *slog.Logger
	now   func() time.Time
	clock *clock
	mux   *http.ServeMux

	mu sync.Mutex // guards st
	st *state

	sessMu   sync.Mutex
	sessions map[string]*session // by token
	byOper   map[string]string   // operator → token

	rngMu sync.Mutex
	rng   *mrand.Rand

	faultsMu sync.RWMutex
	faults   map[Service]*faultState

	idem *idempotency
	logs *callLog

	timersMu sync.Mutex
	timers   map[string]*time.Timer
	closed   bool

	loadErr  error
	patterns []string // every "METHOD /path" served, for the API document's test
	reqSeq   atomic.Int64
}

type session struct {
	Operator string
	Token    string
	Expires  time.Time
}

// New builds a simulator from opts.
func New(opts Options) *Sim {
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = 30 * time.Minute
	}
	if opts.LogCapacity <= 0 {
		opts.LogCapacity = 20000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	lg := opts.Logger
	if lg == nil {
		lg = slog.New(slog.DiscardHandler)
	}
	seed := opts.Seed
	if seed == 0 {
		seed = mrand.Uint64()
	}
	s := &Sim{
		opts:     opts,
		log:      lg,
		now:      opts.Now,
		clock:    newClock(opts.Now, opts.Clock),
		st:       newState(),
		sessions: map[string]*session{},
		byOper:   map[string]string{},
		rng:      mrand.New(mrand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		faults:   map[Service]*faultState{},
		idem:     newIdempotency(),
		logs:     newCallLog(opts.LogCapacity),
		timers:   map[string]*time.Timer{},
	}
	for _, svc := range Services() {
		s.faults[svc] = &faultState{cfg: opts.Faults[svc], epoch: opts.Now()}
	}
	if opts.StateFile != "" {
		if err := s.Load(opts.StateFile); err != nil && !errors.Is(err, os.ErrNotExist) {
			s.loadErr = err
			lg.Error("uatsim: load state", "file", opts.StateFile, "err", err)
		}
	}
	s.mux = s.routes()
	return s
}

// Err reports a problem New met loading Options.StateFile (nil if none).
func (s *Sim) Err() error { return s.loadErr }

// Handler serves everything: /account/..., /custody/..., /trade/..., /uat/...
// and /openapi.json.
func (s *Sim) Handler() http.Handler { return s.mux }

// Close stops pending depository timers and, with Options.StateFile, saves the state.
func (s *Sim) Close() error {
	s.timersMu.Lock()
	s.closed = true
	s.timersMu.Unlock()
	s.stopTimers()
	if s.opts.StateFile != "" {
		if err := s.Save(s.opts.StateFile); err != nil {
			return fmt.Errorf("close simulator: %w", err)
		}
	}
	return nil
}

// stopTimers cancels every pending depository answer and bank confirmation.
func (s *Sim) stopTimers() {
	s.timersMu.Lock()
	defer s.timersMu.Unlock()
	for k, t := range s.timers {
		t.Stop()
		delete(s.timers, k)
	}
}

// Serve serves the simulator on ln until ctx is done. When a service enters a
// redeploy window in "refused" mode, Serve closes the port and reopens it on the
// same address when the window ends, so clients really see connection refused.
func (s *Sim) Serve(ctx context.Context, ln net.Listener) error {
	addr := ln.Addr().String()
	for {
		srv := &http.Server{Handler: s.mux, ReadHeaderTimeout: 10 * time.Second}
		errc := make(chan error, 1)
		go func() { errc <- srv.Serve(ln) }()
		refused, err := s.waitForRefusal(ctx, errc)
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		shutdownErr := srv.Shutdown(shutdownCtx)
		cancel()
		if shutdownErr != nil {
			srv.Close()
		}
		if err != nil {
			return fmt.Errorf("serve simulator on %s: %w", addr, err)
		}
		if !refused {
			return nil
		}
		s.log.Info("uatsim: port closed for redeploy", "addr", addr)
		for s.refusing() {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(50 * time.Millisecond):
			}
		}
		ln, err = reopen(ctx, addr)
		if err != nil {
			return fmt.Errorf("reopen %s after redeploy: %w", addr, err)
		}
		s.log.Info("uatsim: port reopened after redeploy", "addr", addr)
	}
}

// waitForRefusal returns when ctx is done (false, nil), the server fails
// (false, err) or a "refused" redeploy window opens (true, nil).
func (s *Sim) waitForRefusal(ctx context.Context, errc <-chan error) (bool, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return false, nil
		case err := <-errc:
			if errors.Is(err, http.ErrServerClosed) {
				return false, nil
			}
			return false, err
		case <-tick.C:
			if s.refusing() {
				return true, nil
			}
		}
	}
}

func reopen(ctx context.Context, addr string) (net.Listener, error) {
	var lc net.ListenConfig
	var err error
	for range 100 {
		var ln net.Listener
		ln, err = lc.Listen(ctx, "tcp", addr)
		if err == nil {
			return ln, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
	return nil, err
}

// refusing reports whether any service is in a redeploy window in refused mode.
func (s *Sim) refusing() bool {
	now := s.now()
	s.faultsMu.RLock()
	defer s.faultsMu.RUnlock()
	for _, f := range s.faults {
		if on, mode, _ := f.redeploying(now); on && mode == RedeployRefused {
			return true
		}
	}
	return false
}

// faultsOf gives the faults configured for svc.
func (s *Sim) faultsOf(svc Service) Faults {
	s.faultsMu.RLock()
	defer s.faultsMu.RUnlock()
	return s.faults[svc].cfg
}

// random gives a uniform float in [0, 1).
func (s *Sim) random() float64 {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return s.rng.Float64()
}

// randomDigits gives n random decimal digits.
func (s *Sim) randomDigits(n int) string {
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + s.rng.IntN(10))
	}
	return string(b)
}

func (s *Sim) randomDuration(max time.Duration) time.Duration {
	if max <= 0 {
		return 0
	}
	s.rngMu.Lock()
	defer s.rngMu.Unlock()
	return time.Duration(s.rng.Int64N(int64(max)))
}

// newToken gives an unguessable operator token.
func newToken() string {
	b := make([]byte, 16)
	if _, err := io.ReadFull(rand.Reader, b); err != nil {
		panic(fmt.Sprintf("read random token: %v", err))
	}
	return hex.EncodeToString(b)
}

// depositoryDelay is how long the next depository request takes.
func (s *Sim) depositoryDelay() time.Duration {
	if s.opts.DepositoryDelay <= 0 {
		return time.Second + s.randomDuration(2*time.Second)
	}
	return s.opts.DepositoryDelay + s.randomDuration(s.opts.DepositoryJitter)
}

// after runs f after d unless the simulator is closed first.
func (s *Sim) after(key string, d time.Duration, f func()) {
	s.timersMu.Lock()
	defer s.timersMu.Unlock()
	if s.closed {
		return
	}
	s.timers[key] = time.AfterFunc(d, func() {
		s.timersMu.Lock()
		delete(s.timers, key)
		closed := s.closed
		s.timersMu.Unlock()
		if !closed {
			f()
		}
	})
}
