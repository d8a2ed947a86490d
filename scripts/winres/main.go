// Command winres writes the Windows resources of the desktop app (icon,
// application manifest, version information) from build/windows into a
// .syso object that `go build` links into territoria.exe, as `wails build`
// does.
//
//	go run ./scripts/winres -arch amd64 -out territoria_windows_amd64.syso
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/tc-hib/winres"
	"github.com/tc-hib/winres/version"
)

func main() {
	dir := flag.String("dir", "build/windows", "folder with icon.ico, wails.exe.manifest and info.json")
	arch := flag.String("arch", "amd64", "amd64, arm64 or 386")
	out := flag.String("out", "territoria_windows_amd64.syso", "object file to write")
	flag.Parse()
	if err := run(*dir, *arch, *out); err != nil {
		fmt.Fprintln(os.Stderr, "winres:", err)
		os.Exit(1)
	}
}

func run(dir, arch, out string) error {
	archs := map[string]winres.Arch{"amd64": winres.ArchAMD64, "arm64": winres.ArchARM64, "386": winres.ArchI386}
	a, ok := archs[arch]
	if !ok {
		return fmt.Errorf("unsupported architecture %q", arch)
	}
	rs := winres.ResourceSet{}
	f, err := os.Open(filepath.Join(dir, "icon.ico"))
	if err != nil {
		return err
	}
	defer f.Close()
	ico, err := winres.LoadICO(f)
	if err != nil {
		return fmt.Errorf("%s: %w", f.Name(), err)
	}
	if err := rs.SetIcon(winres.RT_ICON, ico); err != nil {
		return err
	}
	man, err := os.ReadFile(filepath.Join(dir, "wails.exe.manifest"))
	if err != nil {
		return err
	}
	m, err := winres.AppManifestFromXML(man)
	if err != nil {
		return fmt.Errorf("wails.exe.manifest: %w", err)
	}
	rs.SetManifest(m)
	info, err := os.ReadFile(filepath.Join(dir, "info.json"))
	if err != nil {
		return err
	}
	var v version.Info
	if err := v.UnmarshalJSON(info); err != nil {
		return fmt.Errorf("info.json: %w", err)
	}
	rs.SetVersionInfo(v)
	w, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := rs.WriteObject(w, a); err != nil {
		w.Close()
		return err
	}
	return w.Close()
}
