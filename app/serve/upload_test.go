package serve

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUpload(t *testing.T) {
	s, c := newTestServer(t)
	// Without the token the upload is refused.
	res, err := http.Post(base(s)+"/upload?name=a.csv", "application/octet-stream", strings.NewReader("x"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("upload without token: %d", res.StatusCode)
	}
	get(t, c, s.URL())
	tests := []struct {
		name, query string
		code        int
		base        string
	}{
		{"plain", "name=accounts.csv", 200, "accounts.csv"},
		{"path stripped", "name=..%2F..%2Fetc%2Fpasswd", 200, "passwd"},
		{"windows path", "name=C:%5Cdata%5C%E5%AE%A2%E6%88%B7.xlsx", 200, "客户.xlsx"},
		{"no name", "", 400, ""},
		{"dot name", "name=.bashrc", 400, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.Post(base(s)+"/upload?"+tc.query, "application/octet-stream", strings.NewReader("id,name\n1,x\n"))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var out map[string]string
			json.NewDecoder(res.Body).Decode(&out)
			if res.StatusCode != tc.code {
				t.Fatalf("status %d (%v)", res.StatusCode, out)
			}
			if tc.code != 200 {
				return
			}
			p := out["path"]
			t.Cleanup(func() { os.RemoveAll(filepath.Dir(p)) })
			if filepath.Base(p) != tc.base {
				t.Errorf("stored as %s", p)
			}
			if b, _ := os.ReadFile(p); string(b) != "id,name\n1,x\n" {
				t.Errorf("content %q", b)
			}
		})
	}
}
