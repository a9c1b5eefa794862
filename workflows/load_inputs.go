package workflows

import (
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/zaoshu/zaoshu/workflows/format"
)

var inputKeys = []string{"type", "title", "description", "group", "required", "default", "enum", "items", "min", "max", "min_length", "max_length", "min_items", "max_items", "pattern", "format", "sensitive"}

var inputTypes = []string{"string", "integer", "number", "boolean", "enum", "array", "object"}

func (c *compiler) inputs(n *yaml.Node, def *Definition) ([]*Input, map[*Input][]*Expr) {
	exprs := map[*Input][]*Expr{}
	var out []*Input
	for _, e := range c.entries(n, Text{"inputs", "inputs"}) {
		if !idPattern.MatchString(e.key.Value) {
			c.errorf(c.pos(e.key), "", "输入名 %q 只能用字母、数字和下划线，且不能以数字开头", "input name %q may only use letters, digits and _, not starting with a digit", e.key.Value, e.key.Value)
		}
		var list []*Expr
		in := c.input(e.key.Value, c.pos(e.key), e.val, def, &list)
		exprs[in] = list
		out = append(out, in)
	}
	return out, exprs
}

func (c *compiler) input(name string, pos Pos, n *yaml.Node, def *Definition, sink *[]*Expr) *Input {
	in := &Input{Name: name, Pos: pos, Type: TypeString}
	what := Text{"输入 " + name, "input " + name}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		in.Type = c.inputType(n)
		return in
	}
	f := c.fields(n, what, inputKeys...)
	if e, ok := f["type"]; ok {
		in.Type = c.inputType(e.val)
	} else if _, ok := f["enum"]; ok {
		in.Type = TypeEnum
	}
	if e, ok := f["title"]; ok {
		in.Title = c.text(e.val, Text{"title", "title"})
	}
	if e, ok := f["description"]; ok {
		in.Description = c.text(e.val, Text{"description", "description"})
	}
	if e, ok := f["group"]; ok {
		in.Group = c.str(e.val, Text{"group", "group"})
		var ids []string
		for _, g := range def.Groups {
			ids = append(ids, g.ID)
		}
		if !contains(ids, in.Group) {
			c.errorf(c.pos(e.val), suggest(in.Group, ids), "分组 %q 没有在 groups 中声明", "group %q is not declared in groups", in.Group, in.Group)
		}
	}
	if e, ok := f["required"]; ok {
		in.Required = c.boolean(e.val, Text{"required", "required"})
	}
	if e, ok := f["sensitive"]; ok {
		in.Sensitive = c.boolean(e.val, Text{"sensitive", "sensitive"})
	}
	if e, ok := f["enum"]; ok {
		in.Enum = c.enum(e.val)
		if in.Type != TypeEnum && in.Type != TypeString && in.Type != TypeInteger && in.Type != TypeArray {
			c.errorf(c.pos(e.key), "", "%s 类型的输入不能有 enum", "an input of type %s cannot have enum", in.Type, in.Type)
		}
	} else if in.Type == TypeEnum {
		c.errorf(pos, "", "enum 类型的输入 %s 缺少 enum 列表", "input %s of type enum has no enum list", name, name)
	}
	if e, ok := f["items"]; ok {
		if in.Type != TypeArray {
			c.errorf(c.pos(e.key), "", "只有 array 类型的输入才能有 items", "only an input of type array can have items")
		}
		in.Items = c.input(name+"[]", c.pos(e.val), e.val, def, sink)
	}
	numeric := in.Type == TypeInteger || in.Type == TypeNumber
	for key, dst := range map[string]**float64{"min": &in.Min, "max": &in.Max} {
		if e, ok := f[key]; ok {
			var v float64
			if err := e.val.Decode(&v); err != nil || !numeric {
				c.errorf(c.pos(e.key), "", "%s 只能用于 integer 或 number 类型，且必须是数字", "%s is only for integer or number inputs and must be a number", key, key)
				continue
			}
			*dst = &v
		}
	}
	for key, spec := range map[string]struct {
		dst *(*int)
		ok  bool
	}{
		"min_length": {&in.MinLength, in.Type == TypeString || in.Type == TypeEnum},
		"max_length": {&in.MaxLength, in.Type == TypeString || in.Type == TypeEnum},
		"min_items":  {&in.MinItems, in.Type == TypeArray},
		"max_items":  {&in.MaxItems, in.Type == TypeArray},
	} {
		if e, ok := f[key]; ok {
			v, isInt := c.integer(e.val, Text{key, key})
			if !spec.ok {
				c.errorf(c.pos(e.key), "", "%s 不能用于 %s 类型的输入", "%s cannot be used on an input of type %s", key, in.Type, key, in.Type)
				continue
			}
			if isInt {
				*spec.dst = &v
			}
		}
	}
	if e, ok := f["pattern"]; ok {
		in.Pattern = c.str(e.val, Text{"pattern", "pattern"})
		if _, err := regexp.Compile(in.Pattern); err != nil {
			c.errorf(c.pos(e.val), "", "pattern 不是有效的正则表达式：%v", "pattern is not a valid regular expression: %v", err, err)
			in.Pattern = ""
		}
	}
	if e, ok := f["format"]; ok {
		in.Format = c.str(e.val, Text{"format", "format"})
		names := format.Names()
		if !contains(names, in.Format) {
			c.errorf(c.pos(e.val), suggest(in.Format, names), "未知的格式 %q（可用：%s）", "unknown format %q (one of %s)", in.Format, strings.Join(names, ", "), in.Format, strings.Join(names, ", "))
			in.Format = ""
		}
	}
	if e, ok := f["default"]; ok {
		in.Default = c.value(e.val, site{vars: varInputs | varFake, sink: sink, where: "default"})
		if in.Default.IsStatic() {
			lit, _ := in.Default.eval(nil)
			if _, problems := checkInput(in, lit); len(problems) > 0 {
				c.errorf(c.pos(e.val), suggestEnum(in, lit), "默认值不符合输入 %s 的要求：%s", "the default does not fit input %s: %s", name, problems[0].Zh, name, problems[0].En)
			}
		}
	}
	return in
}

func suggestEnum(in *Input, v any) string {
	if len(in.Enum) == 0 {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		return ""
	}
	var names []string
	for _, o := range in.Enum {
		names = append(names, stringify(o.Value))
	}
	return suggest(s, names)
}

func (c *compiler) inputType(n *yaml.Node) InputType {
	s := c.str(n, Text{"type", "type"})
	if !contains(inputTypes, s) {
		c.errorf(c.pos(n), suggest(s, inputTypes), "未知的输入类型 %q（可用：%s）", "unknown input type %q (one of %s)", s, strings.Join(inputTypes, ", "), s, strings.Join(inputTypes, ", "))
		return TypeString
	}
	return InputType(s)
}

func (c *compiler) enum(n *yaml.Node) []EnumOption {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode || len(n.Content) == 0 {
		c.errorf(c.pos(n), "", "enum 应当是一个非空列表", "enum must be a non-empty list")
		return nil
	}
	var out []EnumOption
	for _, item := range n.Content {
		item = resolve(item)
		var o EnumOption
		if item.Kind == yaml.MappingNode {
			f := c.fields(item, Text{"enum 选项", "enum option"}, "value", "title")
			if e, ok := f["value"]; ok {
				_ = e.val.Decode(&o.Value)
			} else {
				c.errorf(c.pos(item), "", "enum 选项缺少 value", "enum option without value")
			}
			if e, ok := f["title"]; ok {
				o.Title = c.text(e.val, Text{"title", "title"})
			}
		} else if err := item.Decode(&o.Value); err != nil {
			c.errorf(c.pos(item), "", "无法读取 enum 选项：%v", "cannot read enum option: %v", err, err)
		}
		out = append(out, o)
	}
	return out
}
