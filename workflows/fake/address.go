package fake

import (
	"fmt"

	"github.com/zaoshu/zaoshu/workflows/format"
)

var streets = []string{
	"人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "胜利路", "文化路", "朝阳路", "长江路",
	"黄河路", "青年路", "光明路", "学府路", "东风路", "幸福路", "团结路", "民主路", "建国路", "复兴路",
	"工业大道", "科技大道", "世纪大道", "滨江大道", "迎宾大道", "南大街", "北大街", "东大街", "西大街",
}

var estates = []string{"阳光", "锦绣", "翠苑", "金色", "碧桂", "华府", "东方", "世纪", "绿城", "和谐"}

var estateSuffixes = []string{"花园", "小区", "家园", "公寓", "新村", "名苑"}

// CNAddress returns a street address in a real district, such as
// 上海市浦东新区世纪大道188号阳光花园5栋2单元1203室.
func (f *Faker) CNAddress() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	addr := format.AreaName(pick(f, f.counties).Code) + pick(f, streets) + fmt.Sprintf("%d号", 1+f.rnd.Intn(999))
	if f.rnd.Intn(4) == 0 {
		return addr // an office or shop at the street number itself
	}
	return addr + pick(f, estates) + pick(f, estateSuffixes) +
		fmt.Sprintf("%d栋%d单元%d%02d室", 1+f.rnd.Intn(30), 1+f.rnd.Intn(4), 1+f.rnd.Intn(33), 1+f.rnd.Intn(6))
}
