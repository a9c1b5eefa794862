package workflows

import (
	"errors"
	"fmt"
	"time"
)

// Class is why a run failed; the cure differs per class.
type Class string

// Failure classes (DESIGN.md).
const (
	// ClassEnvUnavailable: the environment is down, redeploying or clearing;
	// the run waits and resumes.
	ClassEnvUnavailable Class = "env_unavailable"
	// ClassBusinessRejected: the product refused, with its own message.
	ClassBusinessRejected Class = "business_rejected"
	// ClassAssertionFailed: an expectation was false or a capture missing.
	ClassAssertionFailed Class = "assertion_failed"
	// ClassWorkflowError: the workflow itself is wrong at run time.
	ClassWorkflowError Class = "workflow_error"
	// ClassPlatformError: a fault of zaoshu itself.
	ClassPlatformError Class = "platform_error"
	// ClassSuccess is only for error rules: the answer is a success after all
	// (e.g. "用户已登陆，不用重复登陆").
	ClassSuccess Class = "success"
)

func classNames() []string {
	return []string{string(ClassEnvUnavailable), string(ClassBusinessRejected), string(ClassAssertionFailed), string(ClassWorkflowError), string(ClassPlatformError)}
}

// Sentinels to test a failure's class with errors.Is.
var (
	ErrEnvUnavailable   = errors.New(string(ClassEnvUnavailable))
	ErrBusinessRejected = errors.New(string(ClassBusinessRejected))
	ErrAssertionFailed  = errors.New(string(ClassAssertionFailed))
	ErrWorkflowError    = errors.New(string(ClassWorkflowError))
	ErrPlatformError    = errors.New(string(ClassPlatformError))
	// ErrCancelled is the failure of a run stopped by its context or by
	// RunSpec.Stop.
	ErrCancelled = errors.New("cancelled")
)

const (
	defaultBackoff     = 500 * time.Millisecond
	defaultMaxBackoff  = 10 * time.Second
	defaultPollEvery   = 3 * time.Second
	defaultPollTimeout = 30 * time.Second
)

// Failure is a classified failure: what happened, what to do next, and the
// request id to quote to the product team.
type Failure struct {
	Class     Class  `json:"class"`
	Step      string `json:"step,omitempty"`
	Iteration string `json:"iteration,omitempty"`
	Message   Text   `json:"message"`
	Hint      Text   `json:"hint"`
	RequestID string `json:"request_id,omitempty"`
	// HTTPStatus is the status of the response that failed, if any.
	HTTPStatus int `json:"http_status,omitempty"`
	// Pos points at the workflow line for workflow errors.
	Pos *Pos `json:"pos,omitempty"`
	// Retryable says whether trying again later may succeed.
	Retryable bool `json:"retryable"`
	// stopped marks the failure of work a RunSpec.Stop kept from starting.
	stopped bool
}

// Error renders the failure in English for logs.
func (f *Failure) Error() string {
	s := fmt.Sprintf("%s: %s", f.Class, f.Message.In("en"))
	if f.Step != "" {
		s = fmt.Sprintf("step %s: %s", f.Step, s)
	}
	if f.RequestID != "" {
		s += " (request " + f.RequestID + ")"
	}
	return s
}

// Is makes errors.Is(err, ErrEnvUnavailable) and friends work.
func (f *Failure) Is(target error) bool {
	switch target {
	case ErrEnvUnavailable:
		return f.Class == ClassEnvUnavailable
	case ErrBusinessRejected:
		return f.Class == ClassBusinessRejected
	case ErrAssertionFailed:
		return f.Class == ClassAssertionFailed
	case ErrWorkflowError:
		return f.Class == ClassWorkflowError
	case ErrPlatformError:
		return f.Class == ClassPlatformError
	}
	return false
}

// defaultHint is the next step a person takes for each class.
func defaultHint(c Class) Text {
	switch c {
	case ClassEnvUnavailable:
		return Text{Zh: "环境暂时不可用（重新部署、清算或维护中），稍后会自动重试；持续失败请联系环境负责人。", En: "The environment is unavailable for now (redeploy, clearing or maintenance); the run will retry by itself. If it persists, contact the environment owner."}
	case ClassBusinessRejected:
		return Text{Zh: "业务系统拒绝了这次请求，请按系统返回的提示调整输入后重试。", En: "The business system refused the request; adjust the inputs as its message says and try again."}
	case ClassAssertionFailed:
		return Text{Zh: "接口返回与工作流的预期不符，可能是业务规则变了，请让工作流维护者检查这一步。", En: "The response did not match what the workflow expects; a business rule may have changed. Ask the workflow maintainer to check this step."}
	case ClassWorkflowError:
		return Text{Zh: "工作流本身有误，请修改指出的那一行。", En: "The workflow itself is wrong; fix the line it points at."}
	default:
		return Text{Zh: "这是造数平台自身的问题，请把请求编号发给平台管理员。", En: "This is a fault of zaoshu itself; send the request id to the platform administrator."}
	}
}

func retryableClass(c Class) bool { return c == ClassEnvUnavailable }
