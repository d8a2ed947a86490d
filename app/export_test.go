package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"territoria/storage/export"
)

var exportProgressSample = export.Progress{Stage: "accounts", Done: 1, Total: 100}

// dialogStub answers save dialogs with a fixed path.
type dialogStub struct {
	noDialogs
	path string
}

func (d dialogStub) SaveFile(string, string, []FileFilter) (string, error) { return d.path, nil }

func TestExportService(t *testing.T) {
	s, rec, dir := testService(t)
	if _, err := WriteDemo(s, filepath.Join(dir, "demo")); err != nil {
		t.Fatal(err)
	}
	e := NewExportService(s)
	t.Cleanup(DownloadsOf(s).Close)

	t.Run("browser mode: no dialog, the file is kept for download", func(t *testing.T) {
		if _, err := e.ChoosePath(FormatXLSX); !errors.Is(err, ErrNoDialog) {
			t.Fatalf("ChoosePath: %v, want no-dialog", err)
		}
		for _, f := range []string{FormatCSV, FormatGeoJSON} {
			res, err := e.Export(ExportRequest{Format: f, NoAccounts: true})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(res.Download, "/download/") || res.Name == "" || res.Bytes == 0 {
				t.Fatalf("%s: result %+v", f, res)
			}
			id := strings.Split(strings.TrimPrefix(res.Download, "/download/"), "/")[0]
			path, name, ok := DownloadsOf(s).Download(id)
			if !ok || name != res.Name {
				t.Fatalf("%s: download %q %q %v", f, path, name, ok)
			}
			if fi, err := os.Stat(path); err != nil || fi.IsDir() || fi.Size() != res.Bytes {
				t.Fatalf("%s: %v %v", f, fi, err)
			}
			if f == FormatCSV && !strings.HasSuffix(name, ".zip") {
				t.Errorf("the CSV folder is offered as %s, want a zip", name)
			}
		}
		if rec.count(EventExportProgress) == 0 {
			t.Error("no export:progress event")
		}
	})

	t.Run("desktop: the dialog's path", func(t *testing.T) {
		want := filepath.Join(dir, "out", "plan.xlsx")
		Wire(s, Wiring{Emitter: rec, Dialogs: dialogStub{path: want}})
		p, err := e.ChoosePath(FormatXLSX)
		if err != nil || p != want {
			t.Fatalf("ChoosePath %q %v", p, err)
		}
		res, err := e.Export(ExportRequest{Format: FormatXLSX, Path: p, Baseline: "none"})
		if err != nil {
			t.Fatal(err)
		}
		if res.Download != "" || res.Path != want {
			t.Fatalf("result %+v", res)
		}
		if _, err := os.Stat(want); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("a cancelled export writes nothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		out := filepath.Join(dir, "cancelled.xlsx")
		_, err := RunExport(ctx, s, ExportRequest{Format: FormatXLSX, Path: out}, nil)
		if err == nil || !strings.Contains(err.Error(), "cancelled") {
			t.Fatalf("err %v", err)
		}
		if _, err := os.Stat(out); err == nil {
			t.Fatal("a cancelled export left its file")
		}
	})

	t.Run("bad requests", func(t *testing.T) {
		for _, req := range []ExportRequest{
			{Format: "docx", Path: filepath.Join(dir, "x.docx")},
			{Format: FormatXLSX, Path: filepath.Join(dir, "x.xlsx"), Scenario: "nope"},
			{Format: FormatPNG, Path: filepath.Join(dir, "x.png"), ColorBy: "nope"},
		} {
			if _, err := RunExport(context.Background(), s, req, nil); err == nil {
				t.Errorf("%+v: no error", req)
			}
		}
	})

	t.Run("provenance of a plan that was not shared", func(t *testing.T) {
		pv, err := e.Provenance()
		if err != nil || pv != nil {
			t.Fatalf("%+v %v", pv, err)
		}
	})
}

func TestExportProgressIsThrottled(t *testing.T) {
	s, rec, _ := testService(t)
	p := s.exportProgress(FormatXLSX)
	start := time.Now()
	for time.Since(start) < 350*time.Millisecond {
		p(exportProgressSample)
	}
	if n := rec.count(EventExportProgress); n < 2 || n > 5 {
		t.Errorf("%d events in 350 ms, want at most ten a second", n)
	}
}
