package ui

import (
	"fmt"
	"strings"
)

// messages are the UI's words: [0] Simplified Chinese, [1] English.
// Placeholders are fmt verbs, in the same order in both languages.
var messages = map[string][2]string{
	"app.name":           {"造数", "zaoshu"},
	"common.lang_switch": {"English", "中文"},
	"common.save":        {"保存", "Save"},
	"common.cancel":      {"取消", "Cancel"},

	"error.internal":  {"出错了，这是我们的问题。请重试；如果仍然失败，把请求 ID %s 发给平台管理员。", "Something went wrong on our side. Try again; if it still fails, send request id %s to the platform admins."},
	"error.not_found": {"没有找到这个页面", "Page not found"},
	"error.forbidden": {"只有管理员可以这样做", "Only admins can do this"},
	"error.csrf":      {"页面已过期，请刷新后重试。", "The page has expired; reload it and try again."},

	"nav.home":      {"首页", "Home"},
	"nav.workflows": {"工作流", "Workflows"},
	"nav.runs":      {"构建记录", "Runs"},
	"nav.stats":     {"统计", "Statistics"},
	"nav.envs":      {"环境", "Environments"},
	"nav.tokens":    {"API 令牌", "API tokens"},
	"nav.logout":    {"退出", "Log out"},

	"login.title":            {"登录造数", "Log in to zaoshu"},
	"login.username":         {"用户名", "Username"},
	"login.password":         {"密码", "Password"},
	"login.submit":           {"登录", "Log in"},
	"login.bad":              {"用户名或密码不正确。", "Wrong username or password."},
	"login.locked":           {"这个用户连续输错密码次数过多，请 %d 分钟后再试，或请管理员协助。", "Too many wrong passwords for this user: try again in %d minutes, or ask an admin."},
	"login.expired":          {"登录页已过期，请再试一次。", "The login page expired; try again."},
	"login.first_start_hint": {"首次启动：用户名填 admin，密码填启动时打印的 API 令牌（zs_ 开头），然后设置密码。", "First start: enter admin and, as the password, the API token printed at start (zs_…); then set a password."},

	"password.title":    {"设置密码", "Set password"},
	"password.new":      {"新密码", "New password"},
	"password.confirm":  {"再输入一次", "Repeat it"},
	"password.save":     {"保存密码", "Save password"},
	"password.first":    {"你用 API 令牌登录了。请设置一个密码，以后用密码登录；令牌仍可用于 API。", "You logged in with your API token. Set a password for the browser; the token still works for the API."},
	"password.mismatch": {"两次输入的密码不一致。", "The two passwords differ."},
	"password.weak":     {"密码至少要 %d 个字符。", "The password needs at least %d characters."},
	"password.done":     {"密码已更新。", "Password updated."},

	"home.title":      {"首页", "Home"},
	"home.quick":      {"快速造数", "Quick build"},
	"home.build":      {"造数", "Build"},
	"home.presets":    {"我的预设", "Presets"},
	"home.no_presets": {"还没有预设。在造数表单底部“保存为预设”，以后一键造数。", "No presets yet. Use “save as preset” at the bottom of a build form to build in one click later."},
	"home.recent":     {"我最近的构建", "My recent runs"},

	"preset.build":          {"一键造数", "Build now"},
	"preset.edit":           {"调整后造数", "Adjust"},
	"preset.delete":         {"删除", "Delete"},
	"preset.delete_confirm": {"删除这个预设？", "Delete this preset?"},
	"preset.shared":         {"团队共享", "shared"},

	"workflows.title":       {"工作流目录", "Workflow catalogue"},
	"workflows.counts":      {"%d 个输入 · %d 个步骤", "%d inputs · %d steps"},
	"workflows.recent_runs": {"最近构建", "Recent runs"},
	"workflows.revisions":   {"版本", "Revisions"},
	"workflows.current":     {"当前", "current"},

	"editor.title":         {"编辑工作流 %s", "Edit workflow %s"},
	"editor.help":          {"保存前按平台加载工作流的同样规则检查；有问题时不会保存。已开始的构建继续用它们的版本。", "Checked with the platform's own loader before saving; nothing is saved while it has problems. Runs already started keep their revision."},
	"editor.check":         {"检查", "Check"},
	"editor.ok":            {"没有问题，可以保存。", "No problems; ready to save."},
	"editor.problems":      {"有问题，已标在对应行下：", "Problems, shown under their lines:"},
	"editor.did_you_mean":  {"是不是 %q？", "did you mean %q?"},
	"editor.not_workflow":  {"这是片段（fragment），不是可运行的工作流。", "This is a fragment, not a runnable workflow."},
	"editor.renamed":       {"工作流名称不能在这里修改：原来是 %s，现在是 %s。", "The name cannot change here: it was %s, now %s."},
	"workflows.edit":       {"编辑 YAML", "Edit YAML"},
	"build.details":        {"构建信息", "Build details"},
	"build.environment":    {"环境", "Environment"},
	"build.ticket":         {"工单号", "Ticket"},
	"build.labels":         {"标签", "Labels"},
	"build.labels_help":    {"逗号分隔，如 回归,P1", "comma-separated, e.g. regression,P1"},
	"build.submit":         {"开始造数", "Build"},
	"build.regenerate":     {"重新生成", "Regenerate"},
	"build.regenerate_all": {"全部重新生成", "Regenerate all"},
	"build.save_preset":    {"保存为预设（可选）", "Save as preset (optional)"},
	"build.preset_name":    {"预设名称，如 C5 科创板客户", "Preset name, e.g. C5 STAR customer"},
	"build.preset_shared":  {"与团队共享", "Share with the team"},
	"build.preset_help":    {"预设不保存自动生成的字段（姓名、证件号、卡号等），每次造数都重新生成。", "A preset does not keep generated fields (name, ID number, card…): each build gets fresh ones."},
	"build.presets":        {"预设：", "Presets:"},
	"build.rerun_of":       {"基于 %s 重新构建", "Rerun of %s"},
	"build.sensitive_keep": {"留空则沿用原值", "leave empty to keep"},
	"build.fix_fields":     {"请修改标红的字段。", "Fix the fields marked in red."},
	"build.env_not_found":  {"环境 %s 不存在，请选择其他环境。", "Environment %s does not exist; choose another."},
	"build.env_protected":  {"环境 %s 受保护，不能在这里造数。请选择 UAT 环境。", "Environment %s is protected; choose a UAT environment."},
	"build.env_broken":     {"环境 %s 没有配置这个工作流需要的服务：%s。请联系管理员补全环境配置。", "Environment %s lacks a service this workflow needs: %s. Ask an admin to complete it."},

	"runs.title":        {"构建记录", "Runs"},
	"runs.mine":         {"我的", "Mine"},
	"runs.all":          {"所有人", "Everyone's"},
	"runs.filter":       {"筛选", "Filter"},
	"runs.any_status":   {"全部状态", "Any status"},
	"runs.any_workflow": {"全部工作流", "Any workflow"},
	"runs.any_env":      {"全部环境", "Any environment"},
	"runs.empty":        {"还没有构建。", "No runs yet."},
	"runs.live":         {"实时更新中", "Updating live"},

	"status.queued":      {"排队中", "queued"},
	"status.running":     {"运行中", "running"},
	"status.waiting_env": {"等待环境", "waiting for env"},
	"status.succeeded":   {"成功", "succeeded"},
	"status.failed":      {"失败", "failed"},
	"status.cancelled":   {"已取消", "cancelled"},
	"status.skipped":     {"跳过", "skipped"},

	"class.env_unavailable":   {"环境不可用", "Environment unavailable"},
	"class.business_rejected": {"业务拒绝", "Rejected by the business"},
	"class.assertion_failed":  {"校验不通过", "Assertion failed"},
	"class.workflow_error":    {"工作流错误", "Workflow error"},
	"class.platform_error":    {"平台故障", "Platform error"},
	"class.":                  {"未分类", "Unclassified"},

	"run.title":            {"构建 %s", "Run %s"},
	"run.id":               {"构建号", "Run"},
	"run.workflow":         {"工作流", "Workflow"},
	"run.revision":         {"版本", "Revision"},
	"run.environment":      {"环境", "Environment"},
	"run.status":           {"状态", "Status"},
	"run.requested_by":     {"发起人", "Requested by"},
	"run.created":          {"创建时间", "Created"},
	"run.duration":         {"耗时", "Duration"},
	"run.live":             {"实时更新中", "live"},
	"run.copy":             {"复制", "Copy"},
	"run.copied":           {"已复制", "Copied"},
	"run.cancel":           {"取消构建", "Cancel"},
	"run.cancel_confirm":   {"确定取消这次构建？已完成的步骤不会回滚。", "Cancel this build? Finished steps are not undone."},
	"run.cancel_requested": {"正在取消…", "Cancelling…"},
	"run.retry":            {"从失败步骤重试", "Retry from the failed step"},
	"run.rerun":            {"修改输入重新构建", "Rerun with edited inputs"},
	"run.copy_report":      {"复制问题报告", "Copy problem report"},
	"run.waiting":          {"正在等待环境 %s 恢复（服务 %s 自 %s 起不可用），恢复后自动继续。", "Waiting for environment %s (service %s down since %s); the build continues by itself when it is back."},
	"run.failure_class":    {"失败类型", "Failure class"},
	"run.failed_step":      {"失败步骤", "Failed step"},
	"run.message":          {"原因", "Message"},
	"run.hint":             {"建议", "What to do"},
	"run.request_id":       {"请求 ID", "Request id"},
	"run.outputs":          {"造数结果", "Outputs"},
	"run.steps":            {"步骤", "Steps"},
	"run.no_steps":         {"还没有步骤开始。", "No step has started yet."},
	"run.attempt":          {"尝试", "Attempt"},
	"run.attempts":         {"%d 次尝试", "%d attempts"},
	"run.polls":            {"轮询 %d 次", "%d polls"},
	"run.request":          {"请求", "Request"},
	"run.response":         {"响应", "Response"},
	"run.inputs":           {"输入", "Inputs"},

	"report.heading":     {"【造数问题报告】", "[zaoshu problem report]"},
	"report.link":        {"链接", "Link"},
	"report.request_ids": {"全部请求 ID", "All request ids"},

	"stats.title":         {"统计", "Statistics"},
	"stats.days":          {"%d 天", "%d days"},
	"stats.total":         {"总数", "Total"},
	"stats.in_progress":   {"进行中", "In progress"},
	"stats.success_rate":  {"成功率", "Success rate"},
	"stats.rate":          {"成功率", "Rate"},
	"stats.p50":           {"耗时 P50", "Duration p50"},
	"stats.p95":           {"P95", "p95"},
	"stats.over_time":     {"每日构建", "Builds per day"},
	"stats.classes":       {"失败类型", "Failure classes"},
	"stats.by_workflow":   {"按工作流", "By workflow"},
	"stats.by_env":        {"按环境", "By environment"},
	"stats.by_user":       {"按用户", "By user"},
	"stats.failing_steps": {"失败最多的步骤", "Top failing steps"},
	"stats.failures":      {"失败次数", "Failures"},
	"stats.sample":        {"最近一条信息", "Latest message"},
	"stats.none":          {"暂无数据", "No data"},

	"envs.title":          {"环境", "Environments"},
	"envs.name":           {"环境名（小写字母、数字、-）", "Environment name (lowercase letters, digits, -)"},
	"envs.new":            {"新建环境", "New environment"},
	"envs.edit":           {"编辑环境 %s", "Edit environment %s"},
	"envs.edit_short":     {"编辑", "Edit"},
	"envs.up":             {"正常", "up"},
	"envs.down":           {"不可用", "down"},
	"envs.unknown":        {"未配置探测", "no probe"},
	"envs.protected":      {"受保护", "protected"},
	"envs.waiting":        {"%d 个构建等待中", "%d runs waiting"},
	"envs.concurrency":    {"并发上限", "Concurrency"},
	"envs.patience":       {"等待上限", "Patience"},
	"envs.patience_min":   {"等待上限（分钟）", "Patience (minutes)"},
	"envs.secrets":        {"密钥", "Secrets"},
	"envs.title_field":    {"名称", "Title"},
	"envs.services":       {"服务（YAML）", "Services (YAML)"},
	"envs.services_help":  {"每个服务一项：base_url，可选 headers、timeout、health: {path: /health}。密钥保持不变。", "One entry a service: base_url, optional headers, timeout, health: {path: /health}. Secrets are kept."},
	"envs.protected_help": {"受保护（生产环境防护：拒绝造数）", "Protected (guards production: refuses builds)"},
	"envs.bad_services":   {"服务配置不是有效的 YAML", "The services are not valid YAML"},

	"tokens.title":          {"API 令牌", "API tokens"},
	"tokens.name":           {"用途，如 jenkins-回归", "Purpose, e.g. jenkins-regression"},
	"tokens.prefix":         {"前缀", "Prefix"},
	"tokens.create":         {"创建令牌", "Create token"},
	"tokens.secret_once":    {"新令牌只显示这一次，请立即复制保存：", "The new token is shown this once; copy it now:"},
	"tokens.revoke":         {"吊销", "Revoke"},
	"tokens.revoke_confirm": {"吊销后使用这个令牌的流水线会立即失败。确定吗？", "Pipelines using this token fail at once. Revoke it?"},
	"tokens.revoked":        {"已吊销", "revoked"},
	"tokens.last_used":      {"最近使用", "Last used"},
	"tokens.name_required":  {"请填写令牌用途。", "Name the token's purpose."},
}

// translate returns the message of key in lang ("zh" or "en"), formatted
// with args; an unknown key shows itself, so a missing word is visible.
func translate(lang, key string, args ...any) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	s := m[0]
	if lang == "en" {
		s = m[1]
	}
	if len(args) > 0 {
		s = fmt.Sprintf(s, args...)
	}
	return strings.TrimSpace(s)
}
