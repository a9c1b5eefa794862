// Command zaoshu is the test-data construction platform: one binary that runs
// everything in one process by default, or its parts (serve, worker) apart.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/alecthomas/kong"

	"github.com/zaoshu/zaoshu/server"
	"github.com/zaoshu/zaoshu/uatsim"
)

// Exit codes, stable for scripts.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitUnreachable = 3
)

type cli struct {
	server.Config `embed:""`

	All      modeCmd     `cmd:"" default:"withargs" help:"Run everything in one process: web, API, workers, and embedded defaults for what is not configured (the default)."`
	Serve    modeCmd     `cmd:"" help:"Run the web UI and API only; workers run as separate processes sharing the database and Redis."`
	Worker   modeCmd     `cmd:"" help:"Run job workers only; start as many as you like, on any machines sharing the database and Redis."`
	Sim      simCmd      `cmd:"" passthrough:"" help:"Run the simulated UAT back office alone (its own flags: zaoshu sim -help)."`
	Validate validateCmd `cmd:"" help:"Check workflow files like a compiler: every problem as file:line:col, exit 1 if any."`
	Run      runCmd      `cmd:"" help:"Run one workflow in this process (no server, no queue), printing steps live and the outputs as JSON."`
	Build    buildCmd    `cmd:"" help:"Ask a zaoshu server for a build (for CI): --wait follows it; exit 0 built, 1 failed, 2 bad input, 3 server unreachable or timed out."`
	Runs     runsCmd     `cmd:"" help:"List, show, cancel or retry runs on a zaoshu server."`
}

type simCmd struct {
	Args []string `arg:"" optional:""`
}

type modeCmd struct{}

const description = `zaoshu (造数) builds ready-made test accounts in UAT environments by calling the
product's real business APIs through declarative workflows.

Every flag can also be set by the environment variable shown beside it.
Exit codes: 0 ok (built), 1 failure (build failed, workflow invalid), 2 bad
usage or input, 3 a required service or the environment is unreachable.`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	var c cli
	exit := -1
	parser, err := kong.New(&c,
		kong.Name("zaoshu"),
		kong.Description(description),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exit = code }),
	)
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu: %v\n", err)
		return exitFailure
	}
	kctx, err := parser.Parse(args)
	if exit >= 0 { // --help
		return exit
	}
	if err != nil {
		fmt.Fprintf(stderr, "zaoshu: %v (see zaoshu --help)\n", err)
		return exitUsage
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The command's first word names it; the rest are its arguments.
	command, _, _ := strings.Cut(kctx.Command(), " ")
	mode := server.ModeAll
	switch command {
	case "sim":
		if err := uatsim.Main(ctx, c.Sim.Args, stdout, stderr); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK
			}
			fmt.Fprintf(stderr, "zaoshu sim: %v\n", err)
			return exitFailure
		}
		return exitOK
	case "build":
		return c.Build.run(ctx, stdout, stderr)
	case "runs":
		return c.Runs.run(ctx, kctx.Command(), stdout, stderr)
	case "validate":
		return c.Validate.run(stdout, stderr)
	case "run":
		return c.Run.run(ctx, c.Config, stdout, stderr)
	case "serve":
		mode = server.ModeServe
	case "worker":
		mode = server.ModeWorker
	}
	log := server.NewLogger(stderr, c.LogFormat, c.LogLevel)
	if err := server.Run(ctx, c.Config, mode, stdout, log); err != nil {
		fmt.Fprintf(stderr, "zaoshu: %v\n", err)
		var se *server.StartupError
		if errors.As(err, &se) {
			return exitUnreachable
		}
		return exitFailure
	}
	return exitOK
}
