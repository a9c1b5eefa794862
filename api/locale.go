package api

import (
	"fmt"
	"strings"

	"github.com/gin-gonic/gin"
)

// Languages the API answers in. Chinese is the default.
const (
	LangZH = "zh"
	LangEN = "en"
)

// Lang picks the answer language: ?lang=, then Accept-Language, else Chinese.
func Lang(c *gin.Context) string {
	if l := c.Query("lang"); l != "" {
		return normalizeLang(l)
	}
	for _, part := range strings.Split(c.GetHeader("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag == "" || tag == "*" {
			continue
		}
		return normalizeLang(tag)
	}
	return LangZH
}

func normalizeLang(tag string) string {
	if strings.HasPrefix(strings.ToLower(tag), "en") {
		return LangEN
	}
	return LangZH
}

// text is one message in every language we answer in.
type text struct{ zh, en string }

func (t text) in(lang string) string {
	if lang == LangEN {
		return t.en
	}
	return t.zh
}

// messages are the API's own words; keys are stable and used as problem types.
var messages = map[string]text{
	"internal":         {"服务内部错误，请把请求编号发给平台负责人", "Internal error; send the request id to the platform owner"},
	"not_found":        {"没有这个地址", "No such address"},
	"method":           {"这个地址不支持该方法", "Method not allowed on this address"},
	"unauthorized":     {"需要登录：请在 Authorization 头里带上 API 令牌（Bearer zs_…）", "Authentication required: send an API token as Authorization: Bearer zs_…"},
	"token_invalid":    {"API 令牌无效或已吊销", "The API token is unknown or revoked"},
	"forbidden":        {"这个令牌没有做这件事的权限", "This token may not do that"},
	"rate_limited":     {"请求太频繁", "Too many requests"},
	"not_ready":        {"服务未就绪", "Not ready"},
	"no_worker":        {"没有后台任务进程响应：请确认至少有一个 worker 在运行并连接同一个 Redis", "No worker answered: make sure at least one worker runs against the same Redis"},
	"queue_down":       {"任务队列不可用", "The job queue is unavailable"},
	"bad_request":      {"请求格式不对", "The request is malformed"},
	"invalid_input":    {"输入有误，请按每一项的提示修改", "Some inputs are wrong; fix each as its message says"},
	"workflow_missing": {"没有这个工作流", "No such workflow"},
	"env_missing":      {"没有这个环境", "No such environment"},
	"env_protected":    {"这是受保护的环境，默认不允许构建", "This environment is protected: builds are refused by default"},
	"env_incomplete":   {"环境缺少工作流需要的服务", "The environment lacks services the workflow needs"},
	"run_missing":      {"没有这个构建", "No such run"},
	"batch_missing":    {"没有这个批量构建", "No such batch"},
	"token_missing":    {"没有这个令牌", "No such token"},
	"wrong_state":      {"构建当前状态不允许这个操作", "The run's state does not allow that"},
	"key_reused":       {"这个 Idempotency-Key 已用于另一个请求", "This Idempotency-Key was used for a different request"},
	"queued_not_run":   {"构建已记录，但未能放入任务队列", "The run is recorded but could not be queued"},
	"name_mismatch":    {"文件里的 name 与地址中的工作流名不一致", "The name in the file differs from the workflow name in the address"},
	"workflow_invalid": {"工作流有错误，未保存", "The workflow has problems; nothing was saved"},
	"revision_missing": {"没有这个版本", "No such revision"},
	"hint_name":        {"地址是 %s，文件里写的是 %s：请改成一致", "The address says %s and the file says %s: make them the same"},
	"hint_validate":    {"按每条提示修改对应的行；本地可用 zaoshu validate 先检查", "Fix each line as its message says; zaoshu validate checks a file locally"},
	"hint_run":         {"用 GET /api/v1/runs 查看有哪些构建；编号形如 r06h…", "List runs with GET /api/v1/runs; ids look like r06h…"},
	"hint_batch":       {"批量构建的编号在创建时的应答里（id）", "A batch's id is in the answer that created it (id)"},
	"hint_token":       {"用 GET /api/v1/tokens 查看自己的令牌", "List your tokens with GET /api/v1/tokens"},
	"hint_revision":    {"用 GET /api/v1/workflows/{name}/revisions 查看保留的版本", "List the kept revisions with GET /api/v1/workflows/{name}/revisions"},
	"hint_scope":       {"需要带 %s 权限的令牌：请管理员在“API 令牌”页面创建", "Use a token with the %s scope; an admin can create one on the API tokens page"},
	"hint_rate":        {"每个令牌每秒最多 %d 个请求，请按 Retry-After 等待后重试", "A token may make %d requests a second; wait as Retry-After says, then retry"},
	"hint_input":       {"可先用 POST /api/v1/workflows/{name}/validate 试填，不会调用任何业务接口", "Try inputs first with POST /api/v1/workflows/{name}/validate; it calls no business API"},
	"hint_workflow":    {"用 GET /api/v1/workflows 查看可用的工作流", "List the workflows with GET /api/v1/workflows"},
	"hint_environment": {"用 GET /api/v1/environments 查看可用的环境", "List the environments with GET /api/v1/environments"},
	"hint_protected":   {"确认要在这个环境构建时，在请求里加上 \"allow_protected\": true", "If you mean to build there, add \"allow_protected\": true to the request"},
	"hint_incomplete":  {"请管理员在环境设置里补上这些服务的地址", "Ask an admin to add these services to the environment"},
	"hint_state":       {"先用 GET /api/v1/runs/{id} 查看构建当前状态", "Check the run's state with GET /api/v1/runs/{id}"},
	"hint_key":         {"每个不同的请求请用新的 Idempotency-Key", "Use a new Idempotency-Key for each different request"},
	"hint_queue":       {"请检查 Redis 是否可用，然后用 retry 重试这个构建", "Check that Redis is available, then retry the run"},
}

// hintf is a localized hint with arguments.
func hintf(c *gin.Context, key string, args ...any) string {
	return fmt.Sprintf(messages[key].in(Lang(c)), args...)
}
