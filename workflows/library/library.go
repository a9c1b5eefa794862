// Package library holds the workflows zaoshu ships with: building standard
// and complex securities accounts through the business APIs, and add-ons on
// an existing customer (agreements, funds, an auxiliary bank, a new risk
// level), and closing a customer so its ID number can be used again. The YAML files are the product; this package embeds them so the
// platform can load them without a checkout, and its tests run each of them
// against the simulated back office (uatsim).
package library

import "embed"

// FS holds every bundled workflow and fragment, at the same paths as in the
// repository (standard-account.yaml, account/login.yaml, …), plus README.md.
//
//go:embed *.yaml account/*.yaml custody/*.yaml trade/*.yaml README.md
var FS embed.FS
