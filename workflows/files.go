package workflows

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// files is where a loader reads workflow files: the disk, named by OS paths,
// or an fs.FS or the stored files of a revision, named by slash paths.
// uses: paths are slash paths either way.
type files interface {
	read(name string) ([]byte, error)
	exists(name string) bool
	// join appends a slash path to a directory.
	join(dir, slashed string) string
	// walk calls fn with every YAML file under dir, in lexical order.
	walk(dir string, fn func(name string)) error
	// slash and native convert a name to a slash path and back.
	slash(name string) string
	native(slashed string) string
	// rel is name as a slash path relative to root, if name lies under root.
	rel(root, name string) (string, bool)
}

// diskFiles reads the local disk.
type diskFiles struct{}

func (diskFiles) read(name string) ([]byte, error) { return os.ReadFile(name) }

func (diskFiles) exists(name string) bool {
	info, err := os.Stat(name)
	return err == nil && !info.IsDir()
}

func (diskFiles) join(dir, slashed string) string {
	return filepath.Join(dir, filepath.FromSlash(slashed))
}

func (diskFiles) walk(dir string, fn func(string)) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isYAML(p) {
			fn(p)
		}
		return nil
	})
}

func (diskFiles) slash(name string) string     { return filepath.ToSlash(name) }
func (diskFiles) native(slashed string) string { return filepath.FromSlash(slashed) }

func (diskFiles) rel(root, name string) (string, bool) {
	r, err := filepath.Rel(root, name)
	if err != nil {
		return "", false
	}
	r = filepath.ToSlash(r)
	return r, r != ".." && !strings.HasPrefix(r, "../")
}

// fsFiles reads an fs.FS: an embedded library, a directory.
type fsFiles struct {
	slashPaths
	fsys fs.FS
}

func (f fsFiles) read(name string) ([]byte, error) { return fs.ReadFile(f.fsys, name) }

func (f fsFiles) exists(name string) bool {
	info, err := fs.Stat(f.fsys, name)
	return err == nil && !info.IsDir()
}

func (f fsFiles) walk(dir string, fn func(string)) error {
	return fs.WalkDir(f.fsys, dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && isYAML(p) {
			fn(p)
		}
		return nil
	})
}

// sourceFiles are the files of a stored revision, in memory, by clean slash path.
type sourceFiles struct {
	slashPaths
	files map[string][]byte
}

func (f sourceFiles) read(name string) ([]byte, error) {
	data, ok := f.files[path.Clean(name)]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return data, nil
}

func (f sourceFiles) exists(name string) bool {
	_, ok := f.files[path.Clean(name)]
	return ok
}

func (f sourceFiles) walk(dir string, fn func(string)) error {
	names := make([]string, 0, len(f.files))
	for name := range f.files {
		if _, under := f.rel(dir, name); under && isYAML(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fn(name)
	}
	return nil
}

// slashPaths names files by slash paths, as an fs.FS does.
type slashPaths struct{}

func (slashPaths) join(dir, slashed string) string { return path.Join(dir, slashed) }
func (slashPaths) slash(name string) string        { return name }
func (slashPaths) native(slashed string) string    { return slashed }

func (slashPaths) rel(root, name string) (string, bool) {
	root, name = path.Clean(root), path.Clean(name)
	if root == "." {
		return name, name != ".." && !strings.HasPrefix(name, "../") && !path.IsAbs(name)
	}
	r, ok := strings.CutPrefix(name, root+"/")
	return r, ok
}

func isYAML(name string) bool {
	ext := path.Ext(filepath.ToSlash(name))
	return ext == ".yaml" || ext == ".yml"
}
