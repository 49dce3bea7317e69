// Package archtest enforces the direction of dependencies between
// Gongkai's packages (STYLE.md B.3): domain packages know nothing of
// storage or HTTP, the UIs never reach the store, and only cmd and cli wire
// everything together.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const mod = "gongkai/internal/"

// domain packages: types and rules only.
var domain = []string{"apperr", "org", "account", "audit", "publish", "screening", "workday", "apply", "interact", "report", "search", "translog", "job", "syndicate", "inspect", "demo"}

// forbidden maps a package (prefix) to imports it must not have.
func forbidden(pkg string) []string {
	rel := strings.TrimPrefix(pkg, mod)
	top := strings.SplitN(rel, "/", 2)[0]
	switch {
	case top == "apperr":
		return []string{mod}
	case contains(domain, top) && top != "demo":
		return []string{mod + "store", mod + "web", mod + "admin", mod + "site", mod + "cli", mod + "app", mod + "config", "net/http", "database/sql"}
	case top == "demo":
		return []string{mod + "store", mod + "web", mod + "admin", mod + "site", mod + "cli", mod + "app", "net/http", "database/sql"}
	case top == "store":
		return []string{mod + "web", mod + "admin", mod + "site", mod + "cli", mod + "app"}
	case top == "site" || top == "admin":
		return []string{mod + "store", mod + "cli", mod + "app"}
	case top == "web":
		return []string{mod + "store", mod + "admin", mod + "site", mod + "cli", mod + "app"}
	case top == "app":
		return []string{mod + "cli"}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func TestDependenciesPointOneWay(t *testing.T) {
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Imports}} {{.}}{{end}}", "gongkai/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		pkg, imports := fields[0], fields[1:]
		if !strings.HasPrefix(pkg, mod) {
			continue
		}
		checked++
		for _, imp := range imports {
			for _, bad := range forbidden(pkg) {
				if imp == bad || strings.HasPrefix(imp, bad+"/") || (strings.HasSuffix(bad, "/") && strings.HasPrefix(imp, bad)) {
					// storetest is the store's own test helper.
					if strings.HasPrefix(pkg, mod+"store") && strings.HasPrefix(imp, mod+"store") {
						continue
					}
					t.Errorf("%s imports %s, which it must not (STYLE.md B.3)", pkg, imp)
				}
			}
		}
	}
	if checked < 10 {
		t.Fatalf("checked only %d packages; go list output looks wrong", checked)
	}
}
