package engine_test

import (
	"os/exec"
	"strings"
	"testing"
)

// forbiddenDeps may not appear anywhere among the dependencies of engine
// packages (test files excluded): engine neither stores, shows, nor talks
// to the network.
var forbiddenDeps = []string{
	"go.etcd.io/bbolt",
	"github.com/wailsapp",
	"github.com/xuri/excelize",
	"database/sql",
	"net",
	"net/http",
	"os/exec",
}

// forbiddenImports may not be imported by engine packages themselves. They
// cannot be banned transitively: fmt imports os (and so io/fs), and the
// vector tile encoder's protobuf package imports log.
var forbiddenImports = []string{"os", "io/fs", "io/ioutil", "log", "log/slog", "net", "database/sql", "syscall", "unsafe"}

// matches reports whether pkg is p, or, for a module path p (one with a
// dot in its first element), inside p. Standard library names match
// exactly: net/url is harmless where net is not.
func matches(pkg, p string) bool {
	if pkg == p {
		return true
	}
	first, _, _ := strings.Cut(p, "/")
	return strings.Contains(first, ".") && strings.HasPrefix(pkg, p+"/")
}

func goList(t *testing.T, args ...string) []string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = "."
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("go list %v: %v\n%s", args, err, msg)
	}
	return strings.Fields(string(out))
}

func TestEngineDependencies(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go command not found")
	}
	pkgs := goList(t, "./...")
	if len(pkgs) < 2 {
		t.Fatalf("go list found only %v", pkgs)
	}
	for _, pkg := range pkgs {
		t.Run(strings.TrimPrefix(pkg, "territoria/"), func(t *testing.T) {
			for _, dep := range goList(t, "-deps", pkg) {
				for _, bad := range forbiddenDeps {
					if matches(dep, bad) {
						t.Errorf("%s depends on %s", pkg, dep)
					}
				}
			}
			for _, imp := range goList(t, "-f", `{{join .Imports "\n"}}`, pkg) {
				for _, bad := range forbiddenImports {
					if imp == bad {
						t.Errorf("%s imports %s", pkg, imp)
					}
				}
			}
		})
	}
}
