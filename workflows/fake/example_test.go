package fake_test

import (
	"fmt"
	"strings"

	"github.com/expr-lang/expr"

	"github.com/zaoshu/zaoshu/workflows/fake"
	"github.com/zaoshu/zaoshu/workflows/format"
)

// A workflow input's default is an expression over fake. The same seed gives the
// same values, so a run that records its seed can regenerate its inputs.
func ExampleFaker_Functions() {
	env := map[string]any{"fake": fake.New(20260101).Functions()}
	for _, code := range []string{
		`fake.cnName({gender: "F"})`,
		`fake.cnMobile({carrier: "cmcc"})`,
		`fake.bankCard({bank: "5200"})`,
		`fake.cnUSCC()`,
		`fake.cnIDCard({minage: 25})`,
	} {
		v, err := expr.Eval(code, env)
		if err != nil {
			fmt.Println(strings.SplitN(err.Error(), "\n", 2)[0])
			continue
		}
		fmt.Println(v)
	}

	id, _ := expr.Eval(`fake.cnIDCard({minAge: 25, gender: "F", region: "上海"})`, env)
	card, err := format.ParseCNIDCard(id.(string))
	fmt.Println(card.AreaName[:len("上海市")], card.Male, err)
	// Output:
	// 王玲
	// 18201105742
	// 6222087630818414694
	// 125001059757982863
	// fake.cnIDCard: unknown option "minage", did you mean "minAge"? (options: minAge, maxAge, gender, region) (1:6)
	// 上海市 false <nil>
}
