package api

import (
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
	"internal":      {"服务内部错误，请把请求编号发给平台负责人", "Internal error; send the request id to the platform owner"},
	"not_found":     {"没有这个地址", "No such address"},
	"method":        {"这个地址不支持该方法", "Method not allowed on this address"},
	"unauthorized":  {"需要登录：请在 Authorization 头里带上 API 令牌（Bearer zs_…）", "Authentication required: send an API token as Authorization: Bearer zs_…"},
	"token_invalid": {"API 令牌无效或已吊销", "The API token is unknown or revoked"},
	"not_ready":     {"服务未就绪", "Not ready"},
	"no_worker":     {"没有后台任务进程响应：请确认至少有一个 worker 在运行并连接同一个 Redis", "No worker answered: make sure at least one worker runs against the same Redis"},
	"queue_down":    {"任务队列不可用", "The job queue is unavailable"},
}
