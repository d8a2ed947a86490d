package tableimport

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkCheckAccounts parses and checks 50,000 account rows (a dry run:
// no commit).
func BenchmarkCheckAccounts(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("id,name,lon,lat,potential,fips\n")
	for i := 0; i < 50000; i++ {
		if i%2 == 0 {
			fmt.Fprintf(&sb, "A%d,Name %d,%.4f,%.4f,\"%d,000\",\n", i, i, -118+float64(i%100)/100, 34+float64(i%100)/100, i%900)
		} else {
			fmt.Fprintf(&sb, "A%d,Name %d,,,%d,6037\n", i, i, i%900)
		}
	}
	path := filepath.Join(b.TempDir(), "a.csv")
	os.WriteFile(path, []byte(sb.String()), 0o600)
	k := Known{Units: nil}
	m := Mapping{Kind: KindAccounts, Columns: map[string]string{"id": "id", "name": "name", "lon": "lon", "lat": "lat", "potential": "potential", "unit": "fips"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), nil, k, Request{Path: path, Mapping: m, DryRun: true, Now: now}, nil); err != nil {
			b.Fatal(err)
		}
	}
}
