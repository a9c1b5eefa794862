package server

import (
	"context"
	"fmt"
	"log/slog"
	"net"

	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/uatsim"
)

// SimEnvironment is the name the built-in simulator is registered under.
const SimEnvironment = "uat-sim"

// startSimulator runs the built-in UAT simulator beside the platform and
// registers it as environment uat-sim, so a fresh install has something to
// build against. It stops when ctx is done.
func startSimulator(ctx context.Context, addr string, st *store.Store, log *slog.Logger) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", &StartupError{
			Err:  fmt.Errorf("start the built-in UAT simulator on %s: %w", addr, err),
			Hint: "Choose another address with --sim-addr or ZAOSHU_SIM_ADDR, or set it to off",
		}
	}
	sim := uatsim.New(uatsim.Options{Logger: log.With("component", "uatsim")})
	go func() {
		if err := sim.Serve(ctx, ln); err != nil {
			log.Error("built-in UAT simulator stopped", "error", err)
		}
		_ = sim.Close()
	}()
	base := "http://" + ln.Addr().String()
	services := map[string]store.ServiceConfig{}
	for _, svc := range uatsim.Services() {
		name := string(svc)
		services[name] = store.ServiceConfig{BaseURL: base + "/" + name, Health: &store.HealthProbe{Path: "/health"}}
	}
	env := &store.Environment{Name: SimEnvironment, Title: "内置 UAT 模拟环境 / built-in UAT simulator", Services: services}
	secrets := map[string]string{"operator": uatsim.UATOperator, "operator_password": uatsim.UATPassword}
	if err := st.SaveEnvironment(ctx, env, secrets); err != nil {
		return "", fmt.Errorf("register environment %s: %w", SimEnvironment, err)
	}
	return base, nil
}
