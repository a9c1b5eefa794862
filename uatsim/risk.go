package uatsim

import (
	"net/http"
	"sort"
	"strings"
)

const questionnaireVersion = "RQ-2026-01"

type riskOption struct {
	Key   string `json:"key"`
	Text  string `json:"text"`
	Score int    `json:"score"`
}

type riskQuestion struct {
	No      string       `json:"no"`
	Text    string       `json:"text"`
	Options []riskOption `json:"options"`
}

// optionScores are the scores of options A-E in every question; all A gives
// 10 (C1), all B 30 (C2), all C 50 (C3), all D 70 (C4), all E 100 (C5).
var optionScores = []int{1, 3, 5, 7, 10}

func question(no, text string, opts ...string) riskQuestion {
	q := riskQuestion{No: no, Text: text}
	for i, o := range opts {
		q.Options = append(q.Options, riskOption{Key: string(rune('A' + i)), Text: o, Score: optionScores[i]})
	}
	return q
}

var riskQuestions = []riskQuestion{
	question("1", "您的年龄段是？", "70岁以上", "60-70岁", "50-59岁", "18-30岁", "31-49岁"),
	question("2", "您家庭的年收入（折合人民币）是？", "5万元以下", "5-20万元", "20-50万元", "50-100万元", "100万元以上"),
	question("3", "可用于投资的资产占家庭总资产的比例？", "10%以下", "10%-25%", "25%-50%", "50%-70%", "70%以上"),
	question("4", "您的投资知识可描述为？", "基本没有", "有限", "一般", "丰富", "非常丰富，具有金融专业背景"),
	question("5", "您的投资经验可描述为？", "除存款外没有投资经验", "购买过债券、货币基金", "购买过股票、混合基金", "参与过股票、期货等交易超过3年", "参与过衍生品等高风险交易超过5年"),
	question("6", "您计划的投资期限是？", "1年以内", "1-3年", "3-5年", "5-10年", "10年以上"),
	question("7", "您的投资目标是？", "保本，不愿承担损失", "资产稳定增长", "较高收益，可承担一定波动", "高收益，可承担较大波动", "最大化收益，可承担全部本金损失"),
	question("8", "您能承受的最大投资损失是？", "不能承受任何损失", "10%以内", "10%-30%", "30%-50%", "50%以上"),
	question("9", "当投资下跌20%时您会？", "全部卖出", "卖出部分", "继续持有", "适当加仓", "大幅加仓"),
	question("10", "您更偏好哪类产品？", "存款、国债", "货币基金、债券基金", "混合基金、银行理财", "股票、股票基金", "期货、期权等衍生品"),
}

type riskLevel struct {
	Level string `json:"risk_level"`
	Label string `json:"label"`
	Min   int    `json:"min_score"`
	Max   int    `json:"max_score"`
}

// riskLevels map a total score to C1-C5.
var riskLevels = []riskLevel{
	{"C1", "保守型", 10, 20},
	{"C2", "相对保守型", 21, 36},
	{"C3", "稳健型", 37, 53},
	{"C4", "相对积极型", 54, 81},
	{"C5", "积极型", 82, 100},
}

func levelFor(score int) riskLevel {
	for _, l := range riskLevels {
		if score <= l.Max {
			return l
		}
	}
	return riskLevels[len(riskLevels)-1]
}

// riskRank gives 1 for C1 … 5 for C5, 0 for anything else.
func riskRank(level string) int {
	if len(level) == 2 && level[0] == 'C' && level[1] >= '1' && level[1] <= '5' {
		return int(level[1] - '0')
	}
	return 0
}

// scoreAnswers checks that every question has one valid answer and sums the scores.
func scoreAnswers(answers map[string]string) (int, *apiError) {
	var missing []string
	total := 0
	for _, q := range riskQuestions {
		a, ok := answers[q.No]
		if !ok {
			missing = append(missing, q.No)
			continue
		}
		found := false
		for _, o := range q.Options {
			if o.Key == a {
				total += o.Score
				found = true
			}
		}
		if !found {
			return 0, fail(http.StatusBadRequest, codeRiskAnswers, "风险测评答案无效：第%s题答案 %q 不存在（应为A-E）", q.No, a)
		}
	}
	if len(missing) > 0 {
		return 0, fail(http.StatusBadRequest, codeRiskAnswers, "风险测评未答完：第%s题未作答", strings.Join(missing, "、"))
	}
	if len(answers) > len(riskQuestions) {
		var extra []string
		for k := range answers {
			if !isQuestion(k) {
				extra = append(extra, k)
			}
		}
		sort.Strings(extra)
		return 0, fail(http.StatusBadRequest, codeRiskAnswers, "风险测评答案无效：题号%s不存在", strings.Join(extra, "、"))
	}
	return total, nil
}

func isQuestion(no string) bool {
	for _, q := range riskQuestions {
		if q.No == no {
			return true
		}
	}
	return false
}
