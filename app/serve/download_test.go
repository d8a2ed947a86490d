package serve

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
	"time"
)

type fakeDownloads map[string]string

func (f fakeDownloads) Download(id string) (string, string, bool) {
	p, ok := f[id]
	return p, filepath.Base(p), ok
}

func TestDownload(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "计划.xlsx")
	os.WriteFile(file, []byte("PK-workbook"), 0o600)
	s, err := New(Options{Assets: fstest.MapFS{"index.html": {Data: []byte("<html><head></head></html>")}},
		Downloads: fakeDownloads{"abc": file, "gone": filepath.Join(dir, "missing.pdf")}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(context.Background()) })
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}

	// Without the token the file is refused.
	res, err := http.Get(base(s) + "/download/abc/x.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("download without token: %d", res.StatusCode)
	}
	get(t, c, s.URL())
	tests := []struct {
		name, path string
		code       int
		body       string
	}{
		{"a finished export", "/download/abc/%E8%AE%A1%E5%88%92.xlsx", 200, "PK-workbook"},
		{"the name does not matter", "/download/abc/other", 200, "PK-workbook"},
		{"unknown id", "/download/nope/x.xlsx", 404, ""},
		{"file removed", "/download/gone/missing.pdf", 410, ""},
		{"no id", "/download/", 404, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Get(base(s) + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != tc.code {
				t.Fatalf("status %d: %s", res.StatusCode, b)
			}
			if tc.code != 200 {
				return
			}
			if string(b) != tc.body {
				t.Errorf("body %q", b)
			}
			if cd := res.Header.Get("Content-Disposition"); cd != "attachment; filename*=UTF-8''%E8%AE%A1%E5%88%92.xlsx" {
				t.Errorf("Content-Disposition %q", cd)
			}
		})
	}
}
