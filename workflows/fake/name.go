package fake

import "strings"

// Common surnames, most frequent first.
var surnames = []string{
	"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
	"林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
	"潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
	"钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
	"邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵",
	"万", "钱", "严", "覃", "武", "戴", "莫", "孔", "向", "汤",
}

var compoundSurnames = []string{"欧阳", "司马", "上官", "诸葛", "东方", "慕容", "令狐", "皇甫"}

var maleChars = []string{
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华", "飞", "鑫", "波",
	"宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "龙", "林", "洋", "晨", "阳", "峰", "建", "国", "志",
	"文", "博", "毅", "豪", "东", "海", "亮", "成", "坤", "翔", "嘉", "子", "然", "轩",
}

var femaleChars = []string{
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "燕", "婷", "雪", "慧", "晶", "颖", "琳", "倩",
	"欣", "悦", "洁", "梅", "莉", "蕾", "佳", "怡", "萍", "红", "琴", "云", "璐", "瑶", "月", "彤", "丹", "薇",
	"婧", "诗", "涵", "梓",
}

// Genders, as accepted wherever a gender is asked for.
const (
	Male   = "M"
	Female = "F"
)

// normalizeGender maps the accepted spellings of a gender to "", Male or Female.
func normalizeGender(g string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(g)) {
	case "":
		return "", true
	case "m", "male", "男":
		return Male, true
	case "f", "female", "女":
		return Female, true
	}
	return "", false
}

// CNName returns a Chinese full name: a common surname (now and then a compound
// one) and a one- or two-character given name typical of gender ("M" or "F";
// anything else, a random gender).
func (f *Faker) CNName(gender string) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	g, _ := normalizeGender(gender)
	if g == "" {
		g = pick(f, []string{Male, Female})
	}
	return f.cnName(g)
}

// cnName draws a name for gender Male or Female; the caller holds f.mu.
func (f *Faker) cnName(gender string) string {
	var b strings.Builder
	if f.rnd.Intn(100) == 0 {
		b.WriteString(pick(f, compoundSurnames))
	} else {
		// Squaring a uniform draw favours the frequent surnames at the head of the list.
		u := f.rnd.Float64()
		b.WriteString(surnames[int(u*u*float64(len(surnames)))])
	}
	chars := maleChars
	if gender == Female {
		chars = femaleChars
	}
	first := pick(f, chars)
	b.WriteString(first)
	if f.rnd.Intn(10) < 7 {
		second := pick(f, chars)
		for second == first {
			second = pick(f, chars)
		}
		b.WriteString(second)
	}
	return b.String()
}
