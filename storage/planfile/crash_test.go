//go:build unix

package planfile

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

const crashChildEnv = "TERRITORIA_PLANFILE_CRASH_CHILD"

// crashUnits is the number of units in the crash test's plan; edit i
// assigns unit i.
const crashUnits = 3000

func crashTerritory(i int) string { return fmt.Sprintf("T%04d", i%7) }

// TestCrashChild is the child process of TestCrashSafety: it commits edits
// in a loop and prints "committed N" after each commit.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("runs as the child of TestCrashSafety")
	}
	f, err := Open(path, Options{Timeout: 10 * time.Second})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	p := genPlan(30, genSize{Units: crashUnits})
	for i := 0; i < crashUnits; i++ {
		if err := f.SetUnitTerritory("s1", []string{p.Units[i].ID}, crashTerritory(i)); err != nil {
			fmt.Println("error", err)
			os.Exit(2)
		}
		fmt.Printf("committed %d\n", i+1)
	}
	f.Close()
	os.Exit(0)
}

// TestCrashSafety kills a process that is committing edits with SIGKILL and
// checks that every edit it reported as committed is in the file.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	seed := time.Now().UnixNano()
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewSource(seed))

	p := genPlan(30, genSize{Units: crashUnits, Territories: 7})
	for _, s := range p.Scenarios {
		clear(s.UnitTerritory)
	}
	path := filepath.Join(t.TempDir(), "crash.territoria")
	f, err := Create(path, p, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	f.Close()

	killAt := 20 + r.Intn(200)
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	committed, killed := 0, false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if n, ok := strings.CutPrefix(line, "committed "); ok {
			if committed, err = strconv.Atoi(n); err != nil {
				t.Fatalf("bad line %q", line)
			}
		} else if strings.HasPrefix(line, "error") {
			t.Fatalf("child: %s", line)
		}
		if committed >= killAt && !killed {
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			killed = true
		}
	}
	_ = cmd.Wait()
	if !killed {
		t.Fatalf("the child finished all %d edits before it could be killed", committed)
	}
	t.Logf("killed after %d reported commits (asked at %d)", committed, killAt)

	g, err := Open(path, Options{})
	if err != nil {
		t.Fatalf("reopen after the crash: %v", err)
	}
	defer g.Close()
	if err := g.Check(); err != nil {
		t.Fatalf("after the crash: %v", err)
	}
	s, err := g.Scenario("s1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < committed; i++ {
		if got := s.UnitTerritory[p.Units[i].ID]; got != crashTerritory(i) {
			t.Fatalf("edit %d was reported committed but unit %s is in %q, want %q", i+1, p.Units[i].ID, got, crashTerritory(i))
		}
	}
	// Edits after the last report may or may not have landed, but never
	// out of order.
	for i := committed; i < crashUnits; i++ {
		if _, ok := s.UnitTerritory[p.Units[i].ID]; ok && i > committed {
			t.Fatalf("edit %d landed although edit %d did not", i+1, committed+1)
		}
	}
	// The plan still takes edits.
	if err := g.SetUnitTerritory("s1", []string{p.Units[crashUnits-1].ID}, "T0000"); err != nil {
		t.Fatal(err)
	}
}
