package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"strings"

	"github.com/zaoshu/zaoshu/jobs"
	"github.com/zaoshu/zaoshu/server"
	"github.com/zaoshu/zaoshu/store"
	"github.com/zaoshu/zaoshu/uatsim"
	"github.com/zaoshu/zaoshu/workflows"
	"github.com/zaoshu/zaoshu/workflows/fake"
)

type validateCmd struct {
	Paths []string `arg:"" name:"path" help:"Workflow files or directories (fragments included)." type:"path"`
	Lang  string   `help:"Language of the messages: zh or en." env:"ZAOSHU_LANG" enum:"zh,en" default:"zh"`
}

// validate checks workflows like a compiler: every problem as
// file:line:col, exit 1 if there is any.
func (v validateCmd) run(stdout, stderr io.Writer) int {
	defs, diags := workflows.LoadPaths(v.Paths...)
	if len(diags) > 0 {
		fmt.Fprintln(stderr, diags.Format(v.Lang))
		if v.Lang == "en" {
			fmt.Fprintf(stderr, "%d problem(s)\n", len(diags))
		} else {
			fmt.Fprintf(stderr, "共 %d 个问题\n", len(diags))
		}
		return exitFailure
	}
	for _, d := range defs {
		fmt.Fprintf(stdout, "ok  %-28s %s  %s\n", d.Name, d.Kind, d.Revision[:12])
	}
	return exitOK
}

type runCmd struct {
	File string   `arg:"" help:"The workflow file to run." type:"existingfile"`
	Env  string   `help:"Environment to build in: uat-sim (a simulator started in this process) or one stored in the database." default:"uat-sim"`
	Set  []string `short:"s" sep:"none" help:"An input, as key=value (repeatable); JSON values for arrays and objects." placeholder:"KEY=VALUE"`
	Seed int64    `help:"Seed for generated inputs and fake data; 0 picks one (printed, so the run can be repeated)."`
	Lang string   `help:"Language of the progress lines: zh or en." env:"ZAOSHU_LANG" enum:"zh,en" default:"zh"`
}

// run builds once in this process — no server, no queue — printing each
// step as it happens on stderr and the outputs as JSON on stdout.
func (r runCmd) run(ctx context.Context, cfg server.Config, stdout, stderr io.Writer) int {
	def, diags := workflows.NewLoader(filepath.Dir(r.File)).LoadFile(r.File)
	if len(diags) > 0 {
		fmt.Fprintln(stderr, diags.Format(r.Lang))
		return exitUsage
	}
	set, err := workflows.ParseAssignments(r.Set)
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu run: %v\n", err)
		return exitUsage
	}
	seed := r.Seed
	if seed == 0 {
		seed = fake.New(0).Seed()
	}
	inputs, problems := workflows.ValidateInputs(def, set, fake.New(seed))
	if len(problems) > 0 {
		fmt.Fprintln(stderr, problems.Format(r.Lang))
		return exitUsage
	}
	env, stop, err := r.environment(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu run: %v\n", err)
		var se *server.StartupError
		if errors.As(err, &se) {
			return exitUnreachable
		}
		return exitUsage
	}
	defer stop()

	runID := store.NewRunID()
	fmt.Fprintf(stderr, "run %s: %s (%s) in %s, seed %d\n", runID, def.Name, def.Revision[:12], env.Name, seed)
	res := workflows.NewEngine().Run(ctx, workflows.RunSpec{
		RunID: runID, Definition: def, Inputs: inputs, Environment: env, Seed: seed,
		Recorder: &workflows.MemoryRecorder{},
		OnEvent:  func(e workflows.Event) { fmt.Fprintln(stderr, e.Line(r.Lang)) },
	})
	out := map[string]any{"run_id": runID, "workflow": def.Name, "revision": def.Revision, "environment": env.Name,
		"seed": seed, "status": res.Status, "inputs": inputs, "outputs": res.Outputs}
	if res.Failure != nil {
		out["failure"] = map[string]any{"class": res.Failure.Class, "step": res.Failure.Step,
			"message": res.Failure.Message.In(r.Lang), "hint": res.Failure.Hint.In(r.Lang), "request_id": res.Failure.RequestID}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
	switch {
	case res.Status == workflows.RunSucceeded:
		return exitOK
	case res.Failure != nil && res.Failure.Class == workflows.ClassEnvUnavailable:
		fmt.Fprintf(stderr, "%s\n%s\n", res.Failure.Message.In(r.Lang), res.Failure.Hint.In(r.Lang))
		return exitUnreachable
	case res.Failure != nil:
		fmt.Fprintf(stderr, "%s\n%s\n", res.Failure.Message.In(r.Lang), res.Failure.Hint.In(r.Lang))
	}
	return exitFailure
}

// environment is uat-sim, started here, or an environment from the database.
func (r runCmd) environment(ctx context.Context, cfg server.Config) (*workflows.Environment, func(), error) {
	if r.Env == server.SimEnvironment {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, nil, err
		}
		sim := uatsim.New(uatsim.Options{})
		simCtx, cancel := context.WithCancel(ctx)
		go func() { _ = sim.Serve(simCtx, ln) }()
		envRec, secrets := server.SimulatorEnvironment("http://" + ln.Addr().String())
		return jobs.EngineEnvironment(envRec, secrets), func() { cancel(); _ = sim.Close() }, nil
	}
	st, err := server.OpenStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	envRec, err := st.Environment(ctx, r.Env)
	if errors.Is(err, store.ErrNotFound) {
		names := []string{server.SimEnvironment}
		if envs, err := st.Environments(ctx); err == nil {
			for _, e := range envs {
				names = append(names, e.Name)
			}
		}
		return nil, nil, fmt.Errorf("no environment %q; known: %s", r.Env, strings.Join(names, ", "))
	}
	if err != nil {
		return nil, nil, err
	}
	secrets, err := st.Secrets(envRec)
	if err != nil {
		return nil, nil, err
	}
	return jobs.EngineEnvironment(envRec, secrets), func() {}, nil
}
