// moletest builds a HumanEvalPack Go program's test binary as `go test -c -vet=off -ldflags="-s -w"` would (Go
// 1.19, GOPATH mode), but calls the compiler and the linker itself: the go command spent about as much CPU deciding
// that nothing but the program needed building (loading testify's dependencies, hashing the standard library's
// sources for staleness) as compiling and linking took. It runs inside the program's compile sandbox (see
// workers-sandbox/README.md, "Go: moletest"), built once at warm-up by the worker from this file.
//
// Anything it does not reproduce exactly (cgo, build constraints, embedding, external test packages, imports outside
// the prepared import config, a file it cannot parse, a test function with a wrong signature) is handed to the real
// `go test -c`, with a private copy of the warm build cache: the command after "--".
//
// The test-function discovery and the _testmain.go template are those of cmd/go/internal/load/test.go (Go 1.19,
// Copyright 2018 The Go Authors, BSD-style licence); coverage is never on.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"text/template"
	"unicode"
	"unicode/utf8"
)

// errFallback: the real go command must decide.
var errFallback = errors.New("fallback")

func main() {
	var importcfg, warmCache, output string
	args := os.Args[1:]
	for len(args) > 0 && args[0] != "--" {
		if len(args) < 2 {
			fail("usage: moletest -importcfg F -warmcache D -o OUT -- go test -c ...")
		}
		switch args[0] {
		case "-importcfg":
			importcfg = args[1]
		case "-warmcache":
			warmCache = args[1]
		case "-o":
			output = args[1]
		default:
			fail("unknown flag " + args[0])
		}
		args = args[2:]
	}
	if len(args) < 2 || importcfg == "" || warmCache == "" || output == "" {
		fail("usage: moletest -importcfg F -warmcache D -o OUT -- go test -c ...")
	}
	fallback := args[1:]
	err := build(importcfg, output)
	if err == nil {
		return
	}
	var exit *exitError
	if errors.As(err, &exit) {
		os.Exit(exit.code)
	}
	if !errors.Is(err, errFallback) {
		fmt.Fprintln(os.Stderr, "moletest:", err, "- using go test")
	}
	runGoTest(fallback, warmCache)
}

type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "moletest:", msg)
	os.Exit(2)
}

// runGoTest copies the read-only warm cache into GOCACHE (hard links cannot cross mounts) and execs go test.
func runGoTest(argv []string, warmCache string) {
	if cache := os.Getenv("GOCACHE"); cache != "" {
		if err := copyTree(warmCache, cache); err != nil {
			fmt.Fprintln(os.Stderr, "moletest: cannot copy the warm build cache:", err)
		}
	}
	path, err := exec.LookPath(argv[0])
	if err != nil {
		fail(err.Error())
	}
	fail(syscall.Exec(path, argv, os.Environ()).Error())
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o777)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o666)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}

func build(importcfgFile string, output string) error {
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	files, err := testFiles(dir)
	if err != nil {
		return err
	}
	packages, err := readImportcfg(importcfgFile)
	if err != nil {
		return err
	}
	importPath := "_" + dir // what go/build calls a directory outside GOPATH
	t := &testFuncs{Package: &pkgInfo{ImportPath: importPath, Name: "main"}}
	imports := map[string]bool{"runtime": true} // the go command always gives the compiler runtime
	for _, f := range files {
		parsed, err := t.load(filepath.Join(dir, f), "_test", &t.ImportTest, &t.NeedTest)
		if err != nil {
			return errFallback
		}
		if parsed.Name.Name != "main" || hasDirectives(parsed) {
			return errFallback
		}
		for _, spec := range parsed.Imports {
			path := strings.Trim(spec.Path.Value, "`\"")
			if path == "unsafe" {
				continue
			}
			if _, ok := packages[path]; !ok || !importable(path) {
				return errFallback
			}
			imports[path] = true
		}
	}

	work, err := os.MkdirTemp("", "go-build")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	pkgDir := filepath.Join(work, "b085")
	mainDir := filepath.Join(work, "b001")
	for _, d := range []string{pkgDir, mainDir} {
		if err := os.MkdirAll(d, 0o777); err != nil {
			return err
		}
	}
	tool := filepath.Join(runtime.GOROOT(), "pkg", "tool", runtime.GOOS+"_"+runtime.GOARCH)

	// The program with its tests, as the package _/mole/src.
	pkgArchive := filepath.Join(pkgDir, "_pkg_.a")
	if err := writeImportcfg(filepath.Join(pkgDir, "importcfg"), packages, imports, nil); err != nil {
		return err
	}
	compile := []string{filepath.Join(tool, "compile"), "-o", pkgArchive, "-trimpath", pkgDir + "=>", "-p", importPath,
		"-complete", "-goversion", runtime.Version(), "-D", importPath, "-importcfg", filepath.Join(pkgDir, "importcfg"), "-pack"}
	for _, f := range files {
		compile = append(compile, "./"+f)
	}
	if err := runTool(compile, "# "+importPath+" ["+importPath+".test]"); err != nil {
		return err
	}

	// The generated main package.
	var testmain bytes.Buffer
	if err := testmainTmpl.Execute(&testmain, t); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(mainDir, "_testmain.go"), testmain.Bytes(), 0o666); err != nil {
		return err
	}
	mainImports := map[string]bool{"os": true, "testing": true, "testing/internal/testdeps": true, "runtime": true}
	if t.TestMain != nil {
		mainImports["reflect"] = true
	}
	local := map[string]string{}
	if t.ImportTest {
		local[importPath] = pkgArchive
	}
	if err := writeImportcfg(filepath.Join(mainDir, "importcfg"), packages, mainImports, local); err != nil {
		return err
	}
	mainArchive := filepath.Join(mainDir, "_pkg_.a")
	if err := runTool([]string{filepath.Join(tool, "compile"), "-o", mainArchive, "-trimpath", mainDir + "=>", "-p", "main",
		"-complete", "-goversion", runtime.Version(), "-nolocalimports", "-importcfg", filepath.Join(mainDir, "importcfg"),
		"-pack", filepath.Join(mainDir, "_testmain.go")}, "# "+importPath+".test"); err != nil {
		return err
	}

	// Link against everything the import config knows; the linker takes what the packages reach.
	linkcfg := filepath.Join(mainDir, "importcfg.link")
	if err := writeLinkcfg(linkcfg, packages, importPath, pkgArchive, mainArchive); err != nil {
		return err
	}
	return runTool([]string{filepath.Join(tool, "link"), "-o", output, "-importcfg", linkcfg, "-buildmode=exe", "-s", "-w",
		"-extld=gcc", mainArchive}, "# "+importPath+".test")
}

// testFiles: the directory must hold nothing but internal test files of plain names (no _GOOS/_GOARCH suffix, which
// go/build would filter), the shape ProgramAssembler gives Go programs.
func testFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, "_test.go")
		if !e.Type().IsRegular() || base == name || base == "" || strings.ContainsAny(base, "_.") {
			return nil, errFallback
		}
		files = append(files, name)
	}
	if len(files) == 0 {
		return nil, errFallback
	}
	sort.Strings(files)
	return files, nil
}

// hasDirectives: build constraints, cgo or embedding, which the go command handles and this does not.
func hasDirectives(f *ast.File) bool {
	for _, g := range f.Comments {
		for _, c := range g.List {
			t := c.Text
			if strings.HasPrefix(t, "//go:build") || strings.HasPrefix(t, "//go:embed") || strings.HasPrefix(t, "//go:cgo") ||
				strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(t, "//")), "+build") {
				return true
			}
		}
	}
	return false
}

// importable: what a program outside GOROOT may import (go rejects internal and vendor packages of the standard library).
func importable(path string) bool {
	if path == "C" || strings.HasPrefix(path, "vendor/") || path == "internal" || strings.HasPrefix(path, "internal/") {
		return false
	}
	return !strings.Contains(path, "/internal/") && !strings.HasSuffix(path, "/internal")
}

func readImportcfg(file string) (map[string]string, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	packages := map[string]string{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, "packagefile ") {
			if k, v, ok := strings.Cut(strings.TrimPrefix(line, "packagefile "), "="); ok {
				packages[k] = v
			}
		}
	}
	return packages, s.Err()
}

func writeImportcfg(file string, packages map[string]string, imports map[string]bool, local map[string]string) error {
	var b strings.Builder
	b.WriteString("# import config\n")
	var names []string
	for p := range imports {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		fmt.Fprintf(&b, "packagefile %s=%s\n", p, packages[p])
	}
	for p, a := range local {
		fmt.Fprintf(&b, "packagefile %s=%s\n", p, a)
	}
	return os.WriteFile(file, []byte(b.String()), 0o666)
}

// writeLinkcfg also writes the build information go 1.19 embeds (runtime/debug.ReadBuildInfo).
func writeLinkcfg(file string, packages map[string]string, importPath, pkgArchive, mainArchive string) error {
	var b strings.Builder
	fmt.Fprintf(&b, "packagefile %s.test=%s\n", importPath, mainArchive)
	fmt.Fprintf(&b, "packagefile %s=%s\n", importPath, pkgArchive)
	var names []string
	for p := range packages {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		fmt.Fprintf(&b, "packagefile %s=%s\n", p, packages[p])
	}
	info := "path\t" + importPath + "\nbuild\t-compiler=gc\nbuild\t-ldflags=\"-s -w\"\nbuild\tCGO_ENABLED=1\n" +
		"build\tCGO_CFLAGS=\nbuild\tCGO_CPPFLAGS=\nbuild\tCGO_CXXFLAGS=\nbuild\tCGO_LDFLAGS=\nbuild\tGOARCH=" + runtime.GOARCH +
		"\nbuild\tGOOS=" + runtime.GOOS + "\nbuild\tGOAMD64=v1\n"
	fmt.Fprintf(&b, "modinfo %q\n", "0w\xaf\f\x92t\b\x02A\xe1\xc1\a\xe6\xd6\x18\xe6"+info+"\xf92C1\x86\x18 r\x00\x82B\x10A\x16\xd8\xf2")
	return os.WriteFile(file, []byte(b.String()), 0o666)
}

// runTool runs a compiler or the linker; on failure its output goes to stderr under a "# package" line, as the go
// command prints it, and the exit status is 2, as go test -c's.
func runTool(argv []string, header string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if err == nil {
		os.Stderr.Write(out.Bytes())
		return nil
	}
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return err
	}
	fmt.Fprintln(os.Stderr, header)
	os.Stderr.Write(out.Bytes())
	return &exitError{2}
}

// From here on: cmd/go/internal/load/test.go of Go 1.19.

type pkgInfo struct {
	ImportPath string
	Name       string
}

type testFuncs struct {
	Tests       []testFunc
	Benchmarks  []testFunc
	FuzzTargets []testFunc
	Examples    []testFunc
	TestMain    *testFunc
	Package     *pkgInfo
	ImportTest  bool
	NeedTest    bool
	ImportXtest bool
	NeedXtest   bool
	Cover       *testCover // always nil: kept so that the template, and the line numbers of _testmain.go, are go's
}

type testCover struct {
	Mode  string
	Paths []string
	Vars  []struct {
		Package *pkgInfo
		Vars    map[string]struct{ File, Var string }
	}
}

func (t *testFuncs) Covered() string { return "" }

func (t *testFuncs) ImportPath() string {
	pkg := t.Package.ImportPath
	if strings.HasPrefix(pkg, "_/") {
		return ""
	}
	if pkg == "command-line-arguments" {
		return ""
	}
	return pkg
}

type testFunc struct {
	Package   string
	Name      string
	Output    string
	Unordered bool
}

var testFileSet = token.NewFileSet()

func (t *testFuncs) load(filename, pkg string, doImport, seen *bool) (*ast.File, error) {
	src, err := os.ReadFile(filename)
	if err != nil {
		return nil, err
	}
	f, err := parser.ParseFile(testFileSet, filename, src, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	for _, d := range f.Decls {
		n, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		if n.Recv != nil {
			continue
		}
		name := n.Name.String()
		switch {
		case name == "TestMain":
			if isTestFunc(n, "T") {
				t.Tests = append(t.Tests, testFunc{pkg, name, "", false})
				*doImport, *seen = true, true
				continue
			}
			err := checkTestFunc(n, "M")
			if err != nil {
				return nil, err
			}
			if t.TestMain != nil {
				return nil, errors.New("multiple definitions of TestMain")
			}
			t.TestMain = &testFunc{pkg, name, "", false}
			*doImport, *seen = true, true
		case isTest(name, "Test"):
			err := checkTestFunc(n, "T")
			if err != nil {
				return nil, err
			}
			t.Tests = append(t.Tests, testFunc{pkg, name, "", false})
			*doImport, *seen = true, true
		case isTest(name, "Benchmark"):
			err := checkTestFunc(n, "B")
			if err != nil {
				return nil, err
			}
			t.Benchmarks = append(t.Benchmarks, testFunc{pkg, name, "", false})
			*doImport, *seen = true, true
		case isTest(name, "Fuzz"):
			err := checkTestFunc(n, "F")
			if err != nil {
				return nil, err
			}
			t.FuzzTargets = append(t.FuzzTargets, testFunc{pkg, name, "", false})
			*doImport, *seen = true, true
		}
	}
	ex := doc.Examples(f)
	sort.Slice(ex, func(i, j int) bool { return ex[i].Order < ex[j].Order })
	for _, e := range ex {
		*doImport = true
		if e.Output == "" && !e.EmptyOutput {
			continue
		}
		t.Examples = append(t.Examples, testFunc{pkg, "Example" + e.Name, e.Output, e.Unordered})
		*seen = true
	}
	return f, nil
}

func isTestFunc(fn *ast.FuncDecl, arg string) bool {
	if fn.Type.Results != nil && len(fn.Type.Results.List) > 0 ||
		fn.Type.Params.List == nil ||
		len(fn.Type.Params.List) != 1 ||
		len(fn.Type.Params.List[0].Names) > 1 {
		return false
	}
	ptr, ok := fn.Type.Params.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	if name, ok := ptr.X.(*ast.Ident); ok && name.Name == arg {
		return true
	}
	if sel, ok := ptr.X.(*ast.SelectorExpr); ok && sel.Sel.Name == arg {
		return true
	}
	return false
}

func isTest(name, prefix string) bool {
	if !strings.HasPrefix(name, prefix) {
		return false
	}
	if len(name) == len(prefix) {
		return true
	}
	rune, _ := utf8.DecodeRuneInString(name[len(prefix):])
	return !unicode.IsLower(rune)
}

func checkTestFunc(fn *ast.FuncDecl, arg string) error {
	var why string
	if !isTestFunc(fn, arg) {
		why = fmt.Sprintf("must be: func %s(%s *testing.%s)", fn.Name.String(), strings.ToLower(arg), arg)
	}
	if fn.Type.TypeParams.NumFields() > 0 {
		why = "test functions cannot have type parameters"
	}
	if why != "" {
		pos := testFileSet.Position(fn.Pos())
		return fmt.Errorf("%s: wrong signature for %s, %s", pos, fn.Name.String(), why)
	}
	return nil
}

var testmainTmpl = template.Must(template.New("main").Parse(`
// Code generated by 'go test'. DO NOT EDIT.

package main

import (
	"os"
{{if .TestMain}}
	"reflect"
{{end}}
	"testing"
	"testing/internal/testdeps"

{{if .ImportTest}}
	{{if .NeedTest}}_test{{else}}_{{end}} {{.Package.ImportPath | printf "%q"}}
{{end}}
{{if .ImportXtest}}
	{{if .NeedXtest}}_xtest{{else}}_{{end}} {{.Package.ImportPath | printf "%s_test" | printf "%q"}}
{{end}}
{{if .Cover}}
{{range $i, $p := .Cover.Vars}}
	_cover{{$i}} {{$p.Package.ImportPath | printf "%q"}}
{{end}}
{{end}}
)

var tests = []testing.InternalTest{
{{range .Tests}}
	{"{{.Name}}", {{.Package}}.{{.Name}}},
{{end}}
}

var benchmarks = []testing.InternalBenchmark{
{{range .Benchmarks}}
	{"{{.Name}}", {{.Package}}.{{.Name}}},
{{end}}
}

var fuzzTargets = []testing.InternalFuzzTarget{
{{range .FuzzTargets}}
	{"{{.Name}}", {{.Package}}.{{.Name}}},
{{end}}
}

var examples = []testing.InternalExample{
{{range .Examples}}
	{"{{.Name}}", {{.Package}}.{{.Name}}, {{.Output | printf "%q"}}, {{.Unordered}}},
{{end}}
}

func init() {
	testdeps.ImportPath = {{.ImportPath | printf "%q"}}
}

{{if .Cover}}

// Only updated by init functions, so no need for atomicity.
var (
	coverCounters = make(map[string][]uint32)
	coverBlocks = make(map[string][]testing.CoverBlock)
)

func init() {
	{{range $i, $p := .Cover.Vars}}
	{{range $file, $cover := $p.Vars}}
	coverRegisterFile({{printf "%q" $cover.File}}, _cover{{$i}}.{{$cover.Var}}.Count[:], _cover{{$i}}.{{$cover.Var}}.Pos[:], _cover{{$i}}.{{$cover.Var}}.NumStmt[:])
	{{end}}
	{{end}}
}

func coverRegisterFile(fileName string, counter []uint32, pos []uint32, numStmts []uint16) {
	if 3*len(counter) != len(pos) || len(counter) != len(numStmts) {
		panic("coverage: mismatched sizes")
	}
	if coverCounters[fileName] != nil {
		// Already registered.
		return
	}
	coverCounters[fileName] = counter
	block := make([]testing.CoverBlock, len(counter))
	for i := range counter {
		block[i] = testing.CoverBlock{
			Line0: pos[3*i+0],
			Col0: uint16(pos[3*i+2]),
			Line1: pos[3*i+1],
			Col1: uint16(pos[3*i+2]>>16),
			Stmts: numStmts[i],
		}
	}
	coverBlocks[fileName] = block
}
{{end}}

func main() {
{{if .Cover}}
	testing.RegisterCover(testing.Cover{
		Mode: {{printf "%q" .Cover.Mode}},
		Counters: coverCounters,
		Blocks: coverBlocks,
		CoveredPackages: {{printf "%q" .Covered}},
	})
{{end}}
	m := testing.MainStart(testdeps.TestDeps{}, tests, benchmarks, fuzzTargets, examples)
{{with .TestMain}}
	{{.Package}}.{{.Name}}(m)
	os.Exit(int(reflect.ValueOf(m).Elem().FieldByName("exitCode").Int()))
{{else}}
	os.Exit(m.Run())
{{end}}
}

`))
