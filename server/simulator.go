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
	env, secrets := SimulatorEnvironment(base)
	if err := st.SaveEnvironment(ctx, env, secrets); err != nil {
		return "", fmt.Errorf("register environment %s: %w", SimEnvironment, err)
	}
	return base, nil
}

// SimulatorEnvironment describes a simulator listening at base as environment
// uat-sim: its three business services, its tester hooks as service "uat",
// and the operator's credentials as secrets.
func SimulatorEnvironment(base string) (*store.Environment, map[string]string) {
	services := map[string]store.ServiceConfig{}
	for _, svc := range uatsim.Services() {
		name := string(svc)
		services[name] = store.ServiceConfig{BaseURL: base + "/" + name, Health: &store.HealthProbe{Path: "/health"}}
	}
	services["uat"] = store.ServiceConfig{BaseURL: base + "/uat"}
	env := &store.Environment{Name: SimEnvironment, Title: "内置 UAT 模拟环境 / built-in UAT simulator", Services: services}
	return env, map[string]string{"operator": uatsim.UATOperator, "operator_password": uatsim.UATPassword}
}
