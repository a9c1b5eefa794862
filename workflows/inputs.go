package workflows

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/zaoshu/zaoshu/workflows/fake"
	"github.com/zaoshu/zaoshu/workflows/format"
)

// InputError is one problem with one submitted input.
type InputError struct {
	Input   string `json:"input"`
	Message Text   `json:"message"`
}

// InputErrors are every problem with a submission, in input order.
type InputErrors []InputError

// Error lists every problem in English.
func (e InputErrors) Error() string { return e.Format("en") }

// Format renders one problem a line in lang.
func (e InputErrors) Format(lang string) string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.Input + ": " + p.Message.In(lang)
	}
	return strings.Join(lines, "\n")
}

// ValidateInputs checks a submission against the inputs of def all at once:
// it coerces strings (from --set or a form post) to the declared types, fills
// defaults in order (fake data from f, or a randomly seeded faker when f is
// nil) and reports every problem, in Chinese
// and English.
func ValidateInputs(def *Definition, submitted map[string]any, f *fake.Faker) (map[string]any, InputErrors) {
	var problems InputErrors
	names := make([]string, len(def.Inputs))
	for i, in := range def.Inputs {
		names[i] = in.Name
	}
	for name := range submitted {
		if def.Input(name) == nil {
			msg := textf("工作流没有输入 %q", "the workflow has no input %q", name, name)
			if s := suggest(name, names); s != "" {
				msg = textf("工作流没有输入 %q，是不是 %q？", "the workflow has no input %q; did you mean %q?", name, s, name, s)
			}
			problems = append(problems, InputError{Input: name, Message: msg})
		}
	}
	resolved := make(map[string]any, len(def.Inputs))
	var fakeFns map[string]any
	for _, in := range def.Inputs {
		raw, given := submitted[in.Name]
		if s, ok := raw.(string); ok && strings.TrimSpace(s) == "" {
			// an empty form field means "not filled in": the default applies
			given = false
		}
		if given && raw != nil {
			v, errs := checkInput(in, raw)
			for _, e := range errs {
				problems = append(problems, InputError{Input: in.Name, Message: e})
			}
			if len(errs) == 0 {
				resolved[in.Name] = v
			}
			continue
		}
		if in.Default == nil {
			if in.Required {
				problems = append(problems, InputError{Input: in.Name, Message: textf("请填写%s", "%s is required", label(in, "zh"), label(in, "en"))})
			}
			continue
		}
		if !allResolved(in.defaultUses, resolved) {
			// an input the default reads has its own problem, reported above
			continue
		}
		if fakeFns == nil {
			if f == nil {
				f = fake.New(0)
			}
			fakeFns = f.Functions()
		}
		v, err := in.Default.eval(&scope{Inputs: resolved, Fake: fakeFns})
		if err != nil {
			problems = append(problems, InputError{Input: in.Name, Message: textf("无法生成默认值：%v", "cannot compute the default: %v", err, err)})
			continue
		}
		v, errs := checkInput(in, v)
		for _, e := range errs {
			problems = append(problems, InputError{Input: in.Name, Message: textf("生成的默认值不符合要求：%s", "the generated default does not fit: %s", e.Zh, e.En)})
		}
		if len(errs) == 0 {
			resolved[in.Name] = v
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return resolved, nil
}

func allResolved(names []string, resolved map[string]any) bool {
	for _, n := range names {
		if _, ok := resolved[n]; !ok {
			return false
		}
	}
	return true
}

func label(in *Input, lang string) string {
	if lang == "en" && in.Title.En != "" {
		return in.Title.En
	}
	if lang != "en" && in.Title.Zh != "" {
		return in.Title.Zh
	}
	return in.Name
}

// checkInput coerces v to the input's type and checks every constraint.
func checkInput(in *Input, v any) (any, []Text) {
	v, problem := coerce(in, v)
	if problem != nil {
		return nil, []Text{*problem}
	}
	var out []Text
	add := func(t Text) { out = append(out, t) }
	if len(in.Enum) > 0 && in.Type != TypeArray {
		opt, ok := enumValue(in.Enum, v)
		if !ok {
			add(textf("必须是 %s 之一", "must be one of %s", enumList(in.Enum), enumList(in.Enum)))
		} else {
			v = opt
		}
	}
	switch x := v.(type) {
	case string:
		n := utf8.RuneCountInString(x)
		if in.MinLength != nil && n < *in.MinLength {
			add(textf("至少 %d 个字符", "must have at least %d characters", *in.MinLength, *in.MinLength))
		}
		if in.MaxLength != nil && n > *in.MaxLength {
			add(textf("最多 %d 个字符", "must have at most %d characters", *in.MaxLength, *in.MaxLength))
		}
		if in.Pattern != "" {
			if re, err := regexp.Compile(in.Pattern); err == nil && !re.MatchString(x) {
				add(textf("格式不对（应匹配 %s）", "does not match %s", in.Pattern, in.Pattern))
			}
		}
		if in.Format != "" {
			if err := format.Check(in.Format, x); err != nil {
				add(formatMessage(err))
			}
		}
	case int, float64:
		f := toFloat(x)
		if in.Min != nil && f < *in.Min {
			add(textf("不能小于 %s", "must be at least %s", stringify(*in.Min), stringify(*in.Min)))
		}
		if in.Max != nil && f > *in.Max {
			add(textf("不能大于 %s", "must be at most %s", stringify(*in.Max), stringify(*in.Max)))
		}
	case []any:
		if in.MinItems != nil && len(x) < *in.MinItems {
			add(textf("至少选 %d 项", "needs at least %d items", *in.MinItems, *in.MinItems))
		}
		if in.MaxItems != nil && len(x) > *in.MaxItems {
			add(textf("最多选 %d 项", "takes at most %d items", *in.MaxItems, *in.MaxItems))
		}
		item := in.Items
		if item == nil && len(in.Enum) > 0 {
			item = &Input{Type: TypeEnum, Enum: in.Enum}
		}
		if item != nil {
			for i, e := range x {
				cv, errs := checkInput(item, e)
				for _, p := range errs {
					add(textf("第 %d 项%s", "item %d %s", i+1, p.Zh, i+1, p.En))
				}
				x[i] = cv
			}
		}
	}
	return v, out
}

func formatMessage(err error) Text {
	var fe *format.Error
	if errors.As(err, &fe) {
		return Text{Zh: fe.Message("zh"), En: fe.Message("en")}
	}
	return Text{Zh: err.Error(), En: err.Error()}
}

func enumValue(opts []EnumOption, v any) (any, bool) {
	s := stringify(v)
	for _, o := range opts {
		if stringify(o.Value) == s {
			return o.Value, true
		}
	}
	return nil, false
}

func enumList(opts []EnumOption) string {
	parts := make([]string, len(opts))
	for i, o := range opts {
		parts[i] = stringify(o.Value)
	}
	return strings.Join(parts, ", ")
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return math.NaN()
}

func typeMismatch(in *Input, v any) *Text {
	t := textf("应当是%s，而不是 %s", "must be %s, not %s", typeName(in.Type, "zh"), describe(v), typeName(in.Type, "en"), describe(v))
	return &t
}

func typeName(t InputType, lang string) string {
	zh := map[InputType]string{TypeString: "文本", TypeInteger: "整数", TypeNumber: "数字", TypeBoolean: "是/否", TypeEnum: "选项之一", TypeArray: "列表", TypeObject: "对象"}
	en := map[InputType]string{TypeString: "text", TypeInteger: "an integer", TypeNumber: "a number", TypeBoolean: "true or false", TypeEnum: "one of the options", TypeArray: "a list", TypeObject: "an object"}
	if lang == "en" {
		return en[t]
	}
	return zh[t]
}

// coerce converts a submitted value to the input's type, accepting the string
// forms a command line or a form post sends.
func coerce(in *Input, v any) (any, *Text) {
	switch in.Type {
	case TypeString:
		switch x := v.(type) {
		case string:
			return x, nil
		case int, int64, float64, json.Number:
			return stringify(x), nil
		}
	case TypeEnum:
		switch v.(type) {
		case string, int, int64, float64, bool, json.Number:
			return v, nil
		}
	case TypeInteger:
		switch x := v.(type) {
		case int:
			return x, nil
		case int64:
			return int(x), nil
		case float64:
			if x == math.Trunc(x) {
				return int(x), nil
			}
		case json.Number:
			if n, err := x.Int64(); err == nil {
				return int(n), nil
			}
		case string:
			if n, err := strconv.Atoi(strings.TrimSpace(x)); err == nil {
				return n, nil
			}
		}
	case TypeNumber:
		switch x := v.(type) {
		case int:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case float64:
			return x, nil
		case json.Number:
			if n, err := x.Float64(); err == nil {
				return n, nil
			}
		case string:
			if n, err := strconv.ParseFloat(strings.TrimSpace(x), 64); err == nil {
				return n, nil
			}
		}
	case TypeBoolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true", "1", "yes", "on", "是":
				return true, nil
			case "false", "0", "no", "off", "否":
				return false, nil
			}
		}
	case TypeArray:
		switch x := v.(type) {
		case []any:
			return append([]any{}, x...), nil
		case []string:
			out := make([]any, len(x))
			for i, s := range x {
				out[i] = s
			}
			return out, nil
		case string:
			s := strings.TrimSpace(x)
			if strings.HasPrefix(s, "[") {
				var out []any
				if err := json.Unmarshal([]byte(s), &out); err == nil {
					return out, nil
				}
				break
			}
			out := []any{}
			for _, part := range strings.Split(s, ",") {
				if p := strings.TrimSpace(part); p != "" {
					out = append(out, p)
				}
			}
			return out, nil
		}
	case TypeObject:
		switch x := v.(type) {
		case map[string]any:
			return x, nil
		case string:
			var out map[string]any
			if err := json.Unmarshal([]byte(x), &out); err == nil {
				return out, nil
			}
		}
	default:
		return nil, &Text{Zh: fmt.Sprintf("未知类型 %s", in.Type), En: fmt.Sprintf("unknown type %s", in.Type)}
	}
	return nil, typeMismatch(in, v)
}

// ParseAssignments reads key=value pairs as given to `zaoshu run --set`;
// values stay strings and ValidateInputs converts them to the input types.
func ParseAssignments(pairs []string) (map[string]any, error) {
	out := make(map[string]any, len(pairs))
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			return nil, fmt.Errorf("parse %q: want key=value", p)
		}
		out[k] = v
	}
	return out, nil
}
