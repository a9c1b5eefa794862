package workflows

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/expr-lang/expr"
	"go.yaml.in/yaml/v3"

	"github.com/zaoshu/zaoshu/workflows/fake"
)

// Loader loads workflow files and resolves the fragments they use
// (uses: custody/sign-main → <root>/custody/sign-main.yaml).
type Loader struct {
	files     files
	root      string
	options   []expr.Option
	fakeNames []string
}

// NewLoader returns a loader that reads the disk and resolves fragments under
// root; files and positions are named by OS paths.
func NewLoader(root string) *Loader {
	return newLoader(diskFiles{}, root)
}

// NewFSLoader returns a loader that reads fsys (an embedded library, a stored
// revision) and resolves fragments from its root: uses: account/login is
// account/login.yaml. Files and positions are named by their paths in fsys.
func NewFSLoader(fsys fs.FS) *Loader {
	return newLoader(fsFiles{fsys: fsys}, ".")
}

func newLoader(f files, root string) *Loader {
	names := make([]string, 0, 32)
	for name := range fake.New(0).Functions() {
		names = append(names, name)
	}
	sort.Strings(names)
	return &Loader{files: f, root: root, options: expressionOptions(), fakeNames: names}
}

// Load loads one workflow from data, resolving fragments next to file.
func Load(file string, data []byte) (*Definition, Diagnostics) {
	return NewLoader(filepath.Dir(file)).Load(file, data)
}

// LoadSources loads a workflow from exactly the files of a stored revision
// (see Definition.Sources), entry being its own file (Definition.SourcePath).
// Nothing else is read, so the definition has the revision it had when the
// sources were taken.
func LoadSources(entry string, sources map[string][]byte) (*Definition, Diagnostics) {
	files := make(map[string][]byte, len(sources))
	for name, data := range sources {
		files[path.Clean(name)] = data
	}
	return newLoader(sourceFiles{files: files}, ".").LoadFile(path.Clean(entry))
}

// LoadFile reads and loads one workflow file.
func (l *Loader) LoadFile(name string) (*Definition, Diagnostics) {
	data, err := l.files.read(name)
	if err != nil {
		return nil, Diagnostics{{File: name, Line: 1, Col: 1, Message: textf("无法读取文件：%v", "cannot read file: %v", err, err)}}
	}
	return l.Load(name, data)
}

// Load loads one workflow or fragment. The definition is nil when there is
// any diagnostic: a workflow with a problem never runs.
func (l *Loader) Load(file string, data []byte) (*Definition, Diagnostics) {
	s := &session{loader: l, fragments: map[string]*Definition{}, loading: map[string]bool{}}
	def := s.parse(file, data)
	s.diags.sort()
	if len(s.diags) > 0 {
		return nil, s.diags
	}
	return def, nil
}

// LoadDir loads every .yaml and .yml file under dir, fragments included, and
// returns those that load with every problem of those that do not.
func (l *Loader) LoadDir(dir string) ([]*Definition, Diagnostics) {
	var defs []*Definition
	var all Diagnostics
	err := l.files.walk(dir, func(name string) {
		def, diags := l.LoadFile(name)
		all = append(all, diags...)
		if def != nil {
			defs = append(defs, def)
		}
	})
	if err != nil {
		all = append(all, Diagnostic{File: dir, Line: 1, Col: 1, Message: textf("无法读取目录：%v", "cannot read directory: %v", err, err)})
	}
	all.sort()
	return defs, all
}

// LoadPaths loads files and directories the way zaoshu validate does: a
// directory with every workflow under it (fragments resolving from it), a
// file with fragments resolving from where its name places it.
func LoadPaths(paths ...string) ([]*Definition, Diagnostics) {
	var defs []*Definition
	var all Diagnostics
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			all = append(all, Diagnostic{File: p, Line: 1, Col: 1, Message: textf("无法读取：%v", "cannot read: %v", err, err)})
			continue
		}
		var ds []*Definition
		var diags Diagnostics
		if info.IsDir() {
			ds, diags = NewLoader(p).LoadDir(p)
		} else {
			var def *Definition
			def, diags = NewLoader(filepath.Dir(p)).LoadFile(p)
			if def != nil {
				ds = []*Definition{def}
			}
		}
		defs = append(defs, ds...)
		all = append(all, diags...)
	}
	return defs, all
}

// session is one Load: the fragments seen so far and every diagnostic.
type session struct {
	loader    *Loader
	diags     Diagnostics
	fragments map[string]*Definition
	loading   map[string]bool
	chain     []string
}

var (
	namePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._/-]*$`)
	idPattern   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
)

var workflowKeys = []string{"name", "kind", "title", "description", "groups", "inputs", "services", "steps", "finally", "outputs", "errors", "timeout"}

func (s *session) parse(file string, data []byte) *Definition {
	c := &compiler{file: file, root: s.loader.root, diags: &s.diags, options: s.loader.options, fakeNames: s.loader.fakeNames}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		c.errorf(Pos{File: file, Line: yamlErrorLine(err), Col: 1}, "", "YAML 格式错误：%s", "YAML syntax error: %s", yamlMessage(err), yamlMessage(err))
		return nil
	}
	if len(doc.Content) == 0 {
		c.errorf(Pos{File: file, Line: 1, Col: 1}, "", "文件是空的", "the file is empty")
		return nil
	}
	root := doc.Content[0]
	if !c.checkAliases(root) {
		return nil
	}
	def := &Definition{File: file, Kind: KindWorkflow, Fragments: map[string]*Definition{}}
	f := c.fields(root, Text{"工作流", "workflow"}, workflowKeys...)
	if e, ok := f["kind"]; ok {
		switch k := c.str(e.val, Text{"kind", "kind"}); Kind(k) {
		case KindWorkflow, KindFragment:
			def.Kind = Kind(k)
		default:
			c.errorf(c.pos(e.val), suggest(k, []string{"workflow", "fragment"}), "kind 只能是 workflow 或 fragment，而不是 %q", "kind must be workflow or fragment, not %q", k, k)
		}
	}
	if e, ok := f["name"]; ok {
		def.Name = c.str(e.val, Text{"name", "name"})
		if def.Name != "" && !namePattern.MatchString(def.Name) {
			c.errorf(c.pos(e.val), "", "名称 %q 只能用小写字母、数字和 . _ / -", "name %q may only use lowercase letters, digits and . _ / -", def.Name, def.Name)
		}
		c.root = s.rootOf(file, def.Name)
	} else if root.Kind == yaml.MappingNode {
		c.errorf(c.pos(root), "", "缺少 name", "missing name")
	}
	if e, ok := f["title"]; ok {
		def.Title = c.text(e.val, Text{"title", "title"})
	}
	if e, ok := f["description"]; ok {
		def.Description = c.text(e.val, Text{"description", "description"})
	}
	if e, ok := f["timeout"]; ok {
		def.Timeout = c.duration(e.val, Text{"timeout", "timeout"})
	}
	if e, ok := f["groups"]; ok {
		def.Groups = c.groups(e.val)
	}
	if e, ok := f["services"]; ok {
		def.Services = c.services(e.val)
	}
	var inputExprs map[*Input][]*Expr
	if e, ok := f["inputs"]; ok {
		def.Inputs, inputExprs = c.inputs(e.val, def)
	}
	if e, ok := f["steps"]; ok {
		def.Steps = s.steps(c, e.val, def)
		if len(resolve(e.val).Content) == 0 {
			c.errorf(c.pos(e.key), "", "steps 是空的", "steps is empty")
		}
	} else if root.Kind == yaml.MappingNode {
		c.errorf(c.pos(root), "", "缺少 steps", "missing steps")
	}
	if e, ok := f["finally"]; ok {
		if def.Kind == KindFragment {
			c.errorf(c.pos(e.key), "", "片段不能有 finally，请放在使用它的工作流里", "a fragment cannot have finally; put it in the workflow that uses it")
		} else {
			def.Finally = s.steps(c, e.val, def)
		}
	}
	var outputExprs, ruleExprs []*Expr
	if e, ok := f["outputs"]; ok {
		at := site{vars: varInputs | varSteps | varRun | varFake, sink: &outputExprs, where: "outputs"}
		for _, o := range c.entries(e.val, Text{"outputs", "outputs"}) {
			def.Outputs = append(def.Outputs, &Output{Name: o.key.Value, Pos: c.pos(o.key), Value: c.value(o.val, at)})
		}
	}
	if e, ok := f["errors"]; ok {
		def.Errors = c.errorRules(e.val, site{vars: varInputs | varSecrets | varRun | varResponse, sink: &ruleExprs, where: "errors"})
	}
	for _, fr := range def.Fragments {
		for _, svc := range fr.Services {
			if def.Service(svc.Name) == nil {
				def.Services = append(def.Services, svc)
			}
		}
	}
	c.checkInputRefs(def, inputExprs)
	c.checkGraph(def, def.Steps, nil)
	c.checkGraph(def, def.Finally, def.Steps)
	c.checkRefs(def, outputExprs, stepIndex(def.Steps), nil)
	c.checkRefs(def, ruleExprs, nil, nil)
	def.Revision = revision(data, def.Fragments)
	def.source = bytes.Clone(data)
	def.sources = s.sources(c.root, def)
	return def
}

// rootOf is where a file's uses: paths resolve: the directory its name is a
// path under (custody/sign.yaml named custody/sign lives under the root), so
// a fragment loaded on its own finds its siblings; otherwise the loader's root.
func (s *session) rootOf(file, name string) string {
	files := s.loader.files
	slashed := files.slash(file)
	for _, ext := range []string{".yaml", ".yml"} {
		if dir, ok := strings.CutSuffix(slashed, "/"+name+ext); ok {
			return files.native(dir)
		}
		if slashed == name+ext {
			return "."
		}
	}
	return s.loader.root
}

// sources are the files def was loaded from, keyed by slash paths relative
// to root, the directory its uses: paths resolve from, so that loading them
// again resolves every fragment to the same bytes. A file outside root (a
// workflow given as text under another name) is keyed by its base name.
func (s *session) sources(root string, def *Definition) map[string][]byte {
	key := func(file string) string {
		if rel, ok := s.loader.files.rel(root, file); ok {
			return rel
		}
		return path.Base(s.loader.files.slash(file))
	}
	out := make(map[string][]byte, len(def.Fragments)+1)
	for _, fr := range def.Fragments {
		out[key(fr.File)] = fr.source
	}
	def.sourcePath = key(def.File)
	out[def.sourcePath] = def.source
	return out
}

func yamlMessage(err error) string { return strings.TrimPrefix(err.Error(), "yaml: ") }

func revision(data []byte, fragments map[string]*Definition) string {
	h := sha256.New()
	h.Write(data)
	paths := make([]string, 0, len(fragments))
	for p := range fragments {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h.Write([]byte("\x00" + p + "\x00" + fragments[p].Revision))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (c *compiler) groups(n *yaml.Node) []*Group {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		c.errorf(c.pos(n), "", "groups 应当是列表", "groups must be a list")
		return nil
	}
	var out []*Group
	for _, item := range n.Content {
		f := c.fields(item, Text{"分组", "group"}, "id", "title")
		g := &Group{}
		if e, ok := f["id"]; ok {
			g.ID = c.str(e.val, Text{"id", "id"})
		} else {
			c.errorf(c.pos(item), "", "分组缺少 id", "group without id")
		}
		if e, ok := f["title"]; ok {
			g.Title = c.text(e.val, Text{"title", "title"})
		}
		out = append(out, g)
	}
	return out
}

// services accepts a list of names or a mapping name → {title, success, message}.
func (c *compiler) services(n *yaml.Node) []*ServiceSpec {
	n = resolve(n)
	var out []*ServiceSpec
	if n.Kind == yaml.SequenceNode {
		for _, item := range n.Content {
			out = append(out, &ServiceSpec{Name: c.str(item, Text{"服务名", "service name"}), Pos: c.pos(item)})
		}
		return out
	}
	at := site{vars: varResponse, where: "services"}
	for _, e := range c.entries(n, Text{"services", "services"}) {
		svc := &ServiceSpec{Name: e.key.Value, Pos: c.pos(e.key)}
		f := c.fields(e.val, Text{"服务", "service"}, "title", "success", "message")
		if x, ok := f["title"]; ok {
			svc.Title = c.text(x.val, Text{"title", "title"})
		}
		if x, ok := f["success"]; ok {
			svc.Success = c.condition(x.val, at)
		}
		if x, ok := f["message"]; ok {
			svc.Message = c.condition(x.val, at)
		}
		out = append(out, svc)
	}
	return out
}

func (c *compiler) errorRules(n *yaml.Node, at site) []*ErrorRule {
	n = resolve(n)
	if n.Kind != yaml.SequenceNode {
		c.errorf(c.pos(n), "", "errors 应当是列表", "errors must be a list")
		return nil
	}
	var out []*ErrorRule
	for _, item := range n.Content {
		f := c.fields(item, Text{"错误规则", "error rule"}, "when", "class", "message", "hint")
		r := &ErrorRule{Pos: c.pos(item)}
		if e, ok := f["when"]; ok {
			r.When = c.condition(e.val, at)
		} else {
			c.errorf(c.pos(item), "", "错误规则缺少 when", "error rule without when")
		}
		if e, ok := f["class"]; ok {
			r.Class = c.class(e.val, true)
		} else {
			c.errorf(c.pos(item), "", "错误规则缺少 class", "error rule without class")
		}
		if e, ok := f["message"]; ok {
			r.Message = c.condition(e.val, at)
		}
		if e, ok := f["hint"]; ok {
			r.Hint = c.text(e.val, Text{"hint", "hint"})
		}
		out = append(out, r)
	}
	return out
}

func (c *compiler) class(n *yaml.Node, allowSuccess bool) Class {
	s := c.str(n, Text{"class", "class"})
	names := classNames()
	if allowSuccess {
		names = append(names, string(ClassSuccess))
	}
	if !contains(names, s) {
		c.errorf(c.pos(n), suggest(s, names), "未知的失败类别 %q（可用：%s）", "unknown failure class %q (one of %s)", s, strings.Join(names, ", "), s, strings.Join(names, ", "))
		return ""
	}
	return Class(s)
}
