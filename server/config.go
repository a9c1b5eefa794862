// Package server wires zaoshu together: configuration, start-up and
// shutdown, the HTTP engine and its middleware.
package server

import (
	"path/filepath"
	"time"

	"github.com/zaoshu/zaoshu/store"
)

// Mode is which parts of zaoshu a process runs.
type Mode string

// The ways zaoshu runs.
const (
	// ModeAll runs everything in one process: HTTP, workers, and the embedded
	// Redis when no Redis URL is set.
	ModeAll Mode = "all-in-one"
	// ModeServe runs HTTP only; workers run elsewhere.
	ModeServe Mode = "serve"
	// ModeWorker runs asynq workers only.
	ModeWorker Mode = "worker"
)

// Config is every setting. Each is a command-line flag and an environment
// variable (the struct tags are read by the command line parser).
type Config struct {
	Addr              string        `help:"HTTP listen address." env:"ZAOSHU_ADDR" default:"127.0.0.1:8080"`
	DataDir           string        `help:"Directory for local data: the default SQLite database lives here." env:"ZAOSHU_DATA_DIR" default:"./data" type:"path"`
	DatabaseURL       string        `help:"Database: postgres://…, mysql://… or sqlite://PATH. Empty: SQLite file zaoshu.db in the data directory." env:"ZAOSHU_DATABASE_URL"`
	RedisURL          string        `help:"Redis for the job queue: redis://… or rediss://…. Empty: an embedded in-process Redis (all-in-one mode only)." env:"ZAOSHU_REDIS_URL"`
	SecretKey         string        `help:"Base64 AES-256 key that encrypts environment secrets at rest (openssl rand -base64 32). Empty: a key kept in the data directory, created on first start; processes on several machines must share one key." env:"ZAOSHU_SECRET_KEY"`
	QueueNamespace    string        `help:"Prefix for queue names, so installations can share one Redis." env:"ZAOSHU_QUEUE_NAMESPACE"`
	WorkerConcurrency int           `help:"Tasks one worker process runs at once." env:"ZAOSHU_WORKER_CONCURRENCY" default:"10"`
	ShutdownTimeout   time.Duration `help:"On SIGTERM, how long running requests and tasks may take to finish; unfinished tasks go back to the queue." env:"ZAOSHU_SHUTDOWN_TIMEOUT" default:"20s"`
	WorkflowsDir      string        `help:"Directory of your own workflows, loaded at start beside the bundled library (a workflow of the same name replaces the bundled one)." env:"ZAOSHU_WORKFLOWS_DIR" type:"path"`
	RunTimeout        time.Duration `help:"Longest one build may run on a worker before it is stopped." env:"ZAOSHU_RUN_TIMEOUT" default:"30m"`
	Retention         time.Duration `help:"How long finished runs are kept (0 keeps them forever)." env:"ZAOSHU_RETENTION" default:"2160h"`
	APIRate           int           `help:"Requests per second one API token may make (bursts of twice that)." env:"ZAOSHU_API_RATE" default:"50"`
	SecureCookies     bool          `help:"Mark browser session cookies Secure: set it when users reach zaoshu over HTTPS (behind a TLS proxy)." env:"ZAOSHU_SECURE_COOKIES"`
	EnvironmentsFile  string        `help:"YAML file of environments to create or update at start (GitOps); secrets in it name environment variables instead of values." env:"ZAOSHU_ENVIRONMENTS_FILE" type:"path"`
	SimAddr           string        `help:"Address of the built-in UAT simulator, started in all-in-one mode and registered as environment uat-sim; off to not start it." env:"ZAOSHU_SIM_ADDR" default:"127.0.0.1:9090"`
	DebugAddr         string        `help:"Address for Go's profiler (net/http/pprof), e.g. 127.0.0.1:6060; off when empty. Never expose it publicly." env:"ZAOSHU_DEBUG_ADDR"`
	LogFormat         string        `help:"Log format: text or json." env:"ZAOSHU_LOG_FORMAT" enum:"text,json" default:"text"`
	LogLevel          string        `help:"Log level: debug, info, warn or error." env:"ZAOSHU_LOG_LEVEL" enum:"debug,info,warn,error" default:"info"`
}

// secretKey is the configured key, or the one kept in the data directory.
func (c Config) secretKey() ([]byte, error) {
	if c.SecretKey != "" {
		return store.ParseSecretKey(c.SecretKey)
	}
	return store.LoadOrCreateSecretKey(filepath.Join(c.DataDir, "secret.key"))
}

// databaseURL is the configured database, or the SQLite file in the data directory.
func (c Config) databaseURL() string {
	if c.DatabaseURL != "" {
		return c.DatabaseURL
	}
	return "sqlite://" + filepath.Join(c.DataDir, "zaoshu.db")
}
